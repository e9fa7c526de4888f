/**
 * MCP tools for sessions themselves: create_session, list_sessions, kill_session, resize_session,
 * and run_command (a whole shell command, start to exit code).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { SessionArgs, SessionCommand, SessionCwd, SessionEnv } from '../schemas/sessions.js';
import { SHELL_KINDS } from '../sessions/shell-integration.js';
import type { TerminalBackend } from './tools.js';
import { describe, run, sessionId, text, fail } from './tool-result.js';

const CreateArgs = {
  command: SessionCommand.optional().describe('program to run, looked up in PATH unless it contains a slash, e.g. "python3", "vim" (give command or shell)'),
  shell: z.enum(SHELL_KINDS).optional().describe('instead of command: start this shell with shell integration, so run_command can run commands in it and report exit codes and output (recommended for shell work)'),
  args: SessionArgs.optional().describe('arguments, e.g. ["--norc"] for bash or ["-u", "NONE", "file.txt"] for vim'),
  cols: z.number().int().min(2).max(4096).optional().describe('terminal width in character cells (default 80)'),
  rows: z.number().int().min(1).max(4096).optional().describe('terminal height in lines (default 24)'),
  cwd: SessionCwd.optional().describe('absolute path of an existing directory to start in (default: the server\'s working directory)'),
  env: SessionEnv.optional().describe('extra environment variables, e.g. {"PS1": "$ "}; TERM is always xterm-256color'),
};

export function registerSessionTools(server: McpServer, backend: TerminalBackend): void {
  server.registerTool('create_session', {
    title: 'Start a program in a new terminal',
    description: 'Starts a program under a new pseudo-terminal (a real pty, like a terminal window) and returns the new ' +
      'session: its id (pass it to every other tool), pid, size and state. The program keeps running until it exits or ' +
      'kill_session. To run shell commands give shell: "bash" (or "zsh", "fish") instead of command, then use run_command. ' +
      'Otherwise next: wait_for (e.g. the prompt, or stable_ms: 300) before sending input or reading the screen.',
    inputSchema: CreateArgs,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  }, (a) => run(async () => {
    if ((a.command === undefined) === (a.shell === undefined)) return fail('give command (a program) or shell ("bash", "zsh" or "fish"), one of them');
    const s = await backend.create({
      ...(a.command !== undefined && { command: a.command }),
      ...(a.shell !== undefined && { shell: a.shell }),
      ...(a.args !== undefined && { args: a.args }),
      ...(a.cols !== undefined && { cols: a.cols }),
      ...(a.rows !== undefined && { rows: a.rows }),
      ...(a.cwd !== undefined && { cwd: a.cwd }),
      ...(a.env !== undefined && { env: a.env }),
    });
    const next = s.shell ? 'run_command to run commands in it' : 'wait_for the program to be ready, then send_text / send_keys';
    return text(`Started session ${s.id}: ${describe(s)}.\nNext: ${next}.`, { session: s });
  }));

  server.registerTool('list_sessions', {
    title: 'List terminals',
    description: 'Lists every session (running, and exited ones still kept for a while) with id, command, state, exit ' +
      'code, size and window title. Use it to find a session id again.',
    inputSchema: {},
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, () => run(async () => {
    const { sessions: all, missing } = backend.listCluster ? await backend.listCluster() : { sessions: await backend.list(), missing: [] };
    const lines = all.map((s) => `${s.id}: ${describe(s)}`);
    // A partial list says which pods it lacks (never silently).
    if (missing.length > 0) lines.push(`Incomplete: no answer from ${missing.map((m) => `${m.name} (${m.error})`).join(', ')}; their sessions are not listed.`);
    return text(lines.length === 0 ? 'No sessions.' : lines.join('\n'), { sessions: all, ...(missing.length > 0 && { missing }) });
  }));

  server.registerTool('kill_session', {
    title: 'Kill a terminal',
    description: 'Ends a session: sends SIGHUP to its whole process group (SIGKILL after 1.5 s), frees its terminal and ' +
      'returns how it ended (exit code or signal). The session id is invalid afterwards. Use it when you are done.',
    inputSchema: { session_id: sessionId },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  }, (a) => run(async () => {
    const s = await backend.kill(a.session_id);
    return text(`Session ${s.id} ended: ${describe(s)}.`, { session: s });
  }));

  server.registerTool('resize_session', {
    title: 'Resize a terminal',
    description: 'Changes the terminal\'s size in character cells, as dragging a terminal window would: the program gets ' +
      'SIGWINCH and redraws (full-screen programs reflow their layout; `stty size` and $COLUMNS/$LINES follow). Returns the ' +
      'session with its new size. Next: wait_for (e.g. stable_ms: 300), then read_screen.',
    inputSchema: {
      session_id: sessionId,
      cols: z.number().int().min(2).max(4096).describe('columns (width in character cells)'),
      rows: z.number().int().min(1).max(4096).describe('lines (height)'),
    },
    // The same size twice changes nothing more.
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  }, (a) => run(async () => {
    const s = await backend.resize(a.session_id, a.cols, a.rows);
    return text(`Resized session ${s.id} to ${s.cols}x${s.rows}.`, { session: s });
  }));

  server.registerTool('run_command', {
    title: 'Run a shell command and get its result',
    description: 'Runs one shell command in a session created with shell: "bash" (or zsh, fish) and waits until it has ' +
      'finished: returns its exit code, its output (all of it, also what scrolled off the screen; the last max_lines lines) ' +
      'and the working directory afterwards. Use it for every non-interactive command (builds, tests, git, ls, cat, ...): ' +
      'no need to type, wait and read the screen yourself. The shell keeps its state between calls (cd, variables). If it ' +
      'times out the command keeps running: wait_for, read_screen, or send_keys ["C-c"] to stop it. For programs that wait ' +
      'for keyboard input (vim, REPLs, prompts) use send_text / send_keys and wait_for instead.',
    inputSchema: {
      session_id: sessionId,
      command: z.string().min(1).max(65536).describe('the command line, e.g. "npm test" or "cd src && ls -la"; several lines run as one'),
      timeout_ms: z.number().int().min(0).max(3_600_000).optional().describe('stop waiting after this many milliseconds (default 30000); the command keeps running'),
      max_lines: z.number().int().min(1).max(100_000).optional().describe('return at most this many output lines, the last ones (default 2000)'),
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  }, (a) => run(async () => {
    const r = await backend.run(a.session_id, {
      command: a.command,
      ...(a.timeout_ms !== undefined && { timeoutMs: a.timeout_ms }),
      ...(a.max_lines !== undefined && { maxLines: a.max_lines }),
    });
    const head = r.reason === 'finished'
      ? `Exit code ${r.exitCode ?? 'unknown'} after ${r.durationMs} ms${r.cwd ? `; cwd ${r.cwd}` : ''}.`
      : r.reason === 'exited'
        ? `The shell exited before the command finished (${describe(r.session)}).`
        : `Still running after ${r.durationMs} ms (timed out waiting; it keeps running: wait_for, read_screen or send_keys ["C-c"]).`;
    const out = r.output.length === 0 ? '(no output)' : `${r.truncated ? '(earlier lines left out)\n' : ''}${r.output.join('\n')}`;
    return text(`${head}\nOutput:\n${out}`, { reason: r.reason, exitCode: r.exitCode, output: r.output, truncated: r.truncated, durationMs: r.durationMs, cwd: r.cwd });
  }));
}
