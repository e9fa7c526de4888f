/**
 * The MCP tool layer: termpool's terminals as tools a model can drive (create_session,
 * send_text, send_keys, wait_for, read_screen, screenshot, ...), registered on an McpServer over
 * a small `TerminalBackend`. The backend is either the in-process session registry
 * (./local-backend.ts: `termpool mcp` and the server's /mcp route) or a running server through
 * the typed client (./remote-backend.ts: `termpool mcp --url`). Every failure becomes an MCP tool
 * error (`isError: true`) naming the code and what to do; nothing a caller sends can throw out
 * of a tool.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { SessionArgs, SessionCommand, SessionCwd, SessionEnv } from '../schemas/sessions.js';
import { API_VERSION } from '../version.js';
import type {
  CreateSessionRequest, InputRequest, InputResult, RunRequest, RunResult, ScreenSnapshot, ScrollbackRange, ScrollbackSearch,
  Session, SignalName, SignalResult, WaitRequest, WaitResult,
} from '../client/types.js';
import { SHELL_KINDS } from '../sessions/shell-integration.js';
import { SESSION_SIGNALS } from '../sessions/signal.js';

/** What the tools need from a session registry; local and remote backends implement it. */
export interface TerminalBackend {
  create(req: CreateSessionRequest): Promise<Session>;
  list(): Promise<Session[]>;
  /** Kills the process group and forgets the session; resolves with its final state. */
  kill(id: string): Promise<Session>;
  input(id: string, req: InputRequest): Promise<InputResult>;
  /** Like POST /signal: to the terminal's foreground process group. */
  signal(id: string, signal: SignalName): Promise<SignalResult>;
  /** Like POST /wait: `satisfied: false` on timeout or exit is a result, not an error. */
  wait(id: string, req: WaitRequest): Promise<WaitResult>;
  /** Like POST /run: `reason: 'timeout' | 'exited'` is a result, not an error. */
  run(id: string, req: RunRequest): Promise<RunResult>;
  /** The screen as a snapshot, with `scrollback` lines above it. */
  snapshot(id: string, scrollback: number): Promise<ScreenSnapshot>;
  scrollback(id: string, start: number, count: number): Promise<ScrollbackRange>;
  /** `regex`: query is a regular expression (flag m), not text. */
  search(id: string, query: string, limit: number, regex?: boolean): Promise<ScrollbackSearch>;
  png(id: string): Promise<Buffer>;
}

export const INSTRUCTIONS = `termpool runs real programs (bash, vim, htop, REPLs, ...) in headless terminals and lets you \
see their screens. To run shell commands: create_session with shell: "bash", then run_command for each command (it waits \
for the command to finish and returns its exit code and output). For interactive programs, a typical sequence: \
create_session → wait_for (the prompt, or stable_ms) → send_text / send_keys → \
wait_for (the output you expect, or stable_ms: 300) → read_screen. Always wait_for after sending input before reading \
the screen: programs answer asynchronously. Use screenshot only when colours or layout matter; read_screen is cheaper. \
Call kill_session when done.`;

const sessionId = z.string().min(1).max(64).describe('the session id returned by create_session (or list_sessions)');

const CreateArgs = {
  command: SessionCommand.optional().describe('program to run, looked up in PATH unless it contains a slash, e.g. "python3", "vim" (give command or shell)'),
  shell: z.enum(SHELL_KINDS).optional().describe('instead of command: start this shell with shell integration, so run_command can run commands in it and report exit codes and output (recommended for shell work)'),
  args: SessionArgs.optional().describe('arguments, e.g. ["--norc"] for bash or ["-u", "NONE", "file.txt"] for vim'),
  cols: z.number().int().min(2).max(4096).optional().describe('terminal width in character cells (default 80)'),
  rows: z.number().int().min(1).max(4096).optional().describe('terminal height in lines (default 24)'),
  cwd: SessionCwd.optional().describe('absolute path of an existing directory to start in (default: the server\'s working directory)'),
  env: SessionEnv.optional().describe('extra environment variables, e.g. {"PS1": "$ "}; TERM is always xterm-256color'),
};

const WaitArgs = {
  session_id: sessionId,
  text: z.string().min(1).max(65536).optional().describe('wait until the screen contains this exact text (case-sensitive)'),
  regex: z.string().min(1).max(4096).optional().describe('wait until this JavaScript regular expression matches the screen (lines joined by \\n, flag m: ^ and $ match at line ends)'),
  stable_ms: z.number().int().min(1).max(600_000).optional().describe('wait until the program has written nothing for this many milliseconds (e.g. 300): use when you do not know what will appear'),
  exit: z.boolean().optional().describe('wait until the program has exited'),
  scrollback: z.boolean().optional().describe('also match text/regex in lines that scrolled off the top (already there, or scrolling past while waiting): use when the output may be longer than the screen'),
  absent: z.string().min(1).max(65536).optional().describe('wait until the screen no longer shows this text (a spinner, a dialog gone); holds at once if it is not there'),
  absent_regex: z.string().min(1).max(4096).optional().describe('wait until this regular expression no longer matches the screen'),
  title: z.string().max(4096).optional().describe('wait until the window title is exactly this'),
  title_regex: z.string().min(1).max(4096).optional().describe('wait until the window title matches this regular expression'),
  cursor: z.object({ row: z.number().int().min(0).max(65535).optional(), col: z.number().int().min(0).max(65535).optional() }).strict().optional()
    .describe('wait until the cursor is at this 0-based row and/or column'),
  cell: z.object({
    row: z.number().int().min(0).max(65535), col: z.number().int().min(0).max(65535),
    text: z.string().min(1).max(64).optional(), inverse: z.boolean().optional(), bold: z.boolean().optional(), italic: z.boolean().optional(),
    underline: z.boolean().optional(),
    fg: z.union([z.null(), z.number().int().min(0).max(255), z.string().min(1).max(32)]).optional(),
    bg: z.union([z.null(), z.number().int().min(0).max(255), z.string().min(1).max(32)]).optional(),
  }).strict().optional().describe('wait until the cell at 0-based row, col has this text and style: e.g. {row: 5, col: 2, inverse: true} for ' +
    'a highlighted menu item; colours: null/"default", 0-255, "#rrggbb" or names (red, brightBlue, ...)'),
  trim: z.boolean().optional().describe('false: match text/regex/absent against full-width lines (trailing spaces kept); a text ending in a space, like the prompt "$ ", already matches that way'),
  timeout_ms: z.number().int().min(0).max(600_000).optional().describe('give up after this many milliseconds (default 10000)'),
};

type ToolResult = CallToolResult;

/** Registers the termpool tools on `server`, backed by `backend`. */
export function registerTools(server: McpServer, backend: TerminalBackend): void {
  server.registerTool('create_session', {
    title: 'Start a program in a new terminal',
    description: 'Starts a program under a new pseudo-terminal (a real pty, like a terminal window) and returns the new ' +
      'session: its id (pass it to every other tool), pid, size and state. The program keeps running until it exits or ' +
      'kill_session. To run shell commands give shell: "bash" (or "zsh", "fish") instead of command, then use run_command. ' +
      'Otherwise next: wait_for (e.g. the prompt, or stable_ms: 300) before sending input or reading the screen.',
    inputSchema: CreateArgs,
    annotations: { destructiveHint: false, openWorldHint: true },
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
    annotations: { readOnlyHint: true },
  }, () => run(async () => {
    const all = await backend.list();
    const lines = all.map((s) => `${s.id}: ${describe(s)}`);
    return text(all.length === 0 ? 'No sessions.' : lines.join('\n'), { sessions: all });
  }));

  server.registerTool('kill_session', {
    title: 'Kill a terminal',
    description: 'Ends a session: sends SIGHUP to its whole process group (SIGKILL after 1.5 s), frees its terminal and ' +
      'returns how it ended (exit code or signal). The session id is invalid afterwards. Use it when you are done.',
    inputSchema: { session_id: sessionId },
    annotations: { destructiveHint: true, idempotentHint: false },
  }, (a) => run(async () => {
    const s = await backend.kill(a.session_id);
    return text(`Session ${s.id} ended: ${describe(s)}.`, { session: s });
  }));

  server.registerTool('send_text', {
    title: 'Type text',
    description: 'Types text into the program, exactly as given (UTF-8), as if typed on a keyboard. Set enter: true to ' +
      'press Enter afterwards (or include "\\r"; "\\n" is not Enter for most programs). For special keys (arrows, Escape, ' +
      'Ctrl-C, F-keys) use send_keys. Returns the number of bytes written. Next: wait_for the expected output (or ' +
      'stable_ms: 300), then read_screen.',
    inputSchema: {
      session_id: sessionId,
      text: z.string().max(1_000_000).describe('the text to type'),
      enter: z.boolean().optional().describe('press Enter after the text (default false)'),
    },
  }, (a) => run(async () => {
    const r = await backend.input(a.session_id, { text: a.enter ? `${a.text}\r` : a.text });
    return text(`Sent ${r.bytes} bytes.`, r);
  }));

  server.registerTool('send_keys', {
    title: 'Press keys',
    description: 'Presses named keys in order, encoded for the program\'s current modes (as xterm would). Names: Enter, ' +
      'Tab, Escape, BSpace, Space, Up, Down, Left, Right, Home, End, PageUp (PPage), PageDown (NPage), IC (Insert), DC ' +
      '(Delete), F1-F12; modifiers as prefixes: C-c (Ctrl-C), C-d, M-x (Alt-x), S-Tab (Shift-Tab), C-Left. Playwright ' +
      'names work too: ArrowUp, Backspace, Control+c, Shift+Tab, Alt+x, Meta+x (= Alt), Control+Shift+ArrowUp. A single ' +
      'character is typed as is (e.g. "i", ":"). Example: ["Escape", ":", "w", "q", "Enter"]. Unknown names are refused ' +
      'without sending anything, unless literal: true, which types them as text: ["exit 123", "Enter"]. Next: wait_for, ' +
      'then read_screen.',
    inputSchema: {
      session_id: sessionId,
      keys: z.array(z.string().min(1).max(65536)).min(1).max(10_000).describe('key names, pressed in order (with literal: true, text items too)'),
      literal: z.boolean().optional().describe('type items that are not key names as text instead of refusing them (default false)'),
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  }, (a) => run(async () => {
    const r = await backend.input(a.session_id, { keys: a.keys, ...(a.literal !== undefined && { literal: a.literal }) });
    return text(`Pressed ${a.keys.length} key${a.keys.length === 1 ? '' : 's'} (${r.bytes} bytes).`, r);
  }));

  server.registerTool('send_signal', {
    title: 'Send a signal',
    description: 'Sends a signal to the program in the foreground of the terminal — the process group Ctrl-C would reach: ' +
      'the command a shell is running, or the shell itself at its prompt. SIGINT interrupts (like send_keys ["C-c"], but ' +
      'also when the program has the terminal in raw mode), SIGTERM asks it to end, SIGKILL ends it at once, SIGTSTP/SIGCONT ' +
      'stop and resume it, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2, SIGWINCH. Returns the process group signalled. To end the ' +
      'whole session use kill_session. Next: wait_for (e.g. the prompt, or exit: true), then read_screen.',
    inputSchema: {
      session_id: sessionId,
      signal: z.enum(SESSION_SIGNALS).describe('the signal name, e.g. "SIGINT"'),
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  }, (a) => run(async () => {
    const r = await backend.signal(a.session_id, a.signal);
    return text(`Sent ${r.signal} to process group ${r.processGroup}${r.foreground ? ' (the foreground group)' : ' (the session leader\'s group: no foreground group)'}.`,
      { signal: r.signal, processGroup: r.processGroup, foreground: r.foreground });
  }));

  server.registerTool('wait_for', {
    title: 'Wait for the screen',
    description: 'Waits until the screen shows something (or no longer does), the title or cursor or a cell\'s style is as ' +
      'given, the output goes quiet, or the program exits — without polling. Give text, regex, absent, title, cursor, ' +
      'cell, stable_ms and/or exit: true; all given conditions must hold at once. Returns whether it was satisfied (reason ' +
      'matched, timeout or exited), which conditions still failed, where the text/regex matched (0-based row, column) and ' +
      'the screen at that moment. A timeout is not an error: read the returned screen to see what happened instead. Call ' +
      'it after every send_text / send_keys / create_session before read_screen.',
    inputSchema: WaitArgs,
    annotations: { readOnlyHint: true },
  }, (a) => run(async () => {
    const conditions = [a.text, a.regex, a.stable_ms, a.exit === true ? true : undefined, a.absent, a.absent_regex, a.title, a.title_regex, a.cursor, a.cell];
    if (conditions.every((c) => c === undefined)) {
      return fail('give at least one of text, regex, stable_ms, exit: true, absent, absent_regex, title, title_regex, cursor or cell');
    }
    if (a.text !== undefined && a.regex !== undefined) return fail('give text or regex, not both');
    if (a.absent !== undefined && a.absent_regex !== undefined) return fail('give absent or absent_regex, not both');
    if (a.title !== undefined && a.title_regex !== undefined) return fail('give title or title_regex, not both');
    const w = await backend.wait(a.session_id, {
      ...(a.text !== undefined && { text: a.text }),
      ...(a.regex !== undefined && { regex: a.regex }),
      ...(a.stable_ms !== undefined && { stableMs: a.stable_ms }),
      ...(a.exit !== undefined && { exit: a.exit }),
      ...(a.scrollback !== undefined && { scrollback: a.scrollback }),
      ...(a.absent !== undefined && { absent: a.absent }),
      ...(a.absent_regex !== undefined && { absent: { regex: a.absent_regex } }),
      ...(a.title !== undefined && { title: a.title }),
      ...(a.title_regex !== undefined && { title: { regex: a.title_regex } }),
      ...(a.cursor !== undefined && { cursor: a.cursor }),
      ...(a.cell !== undefined && { cell: a.cell }),
      ...(a.trim !== undefined && { trim: a.trim }),
      ...(a.timeout_ms !== undefined && { timeoutMs: a.timeout_ms }),
    });
    const head = w.satisfied
      ? `Satisfied after ${w.elapsedMs} ms${w.match && w.match.text !== '' ? ` (matched ${JSON.stringify(w.match.text)} at ${w.match.row < 0 ? `scrollback line ${w.match.line}` : `row ${w.match.row}`}, column ${w.match.column})` : ''}.`
      : w.reason === 'exited'
        ? `Not satisfied: the program exited (${describe(w.session)}) and the condition can no longer hold.`
        : `Not satisfied: timed out after ${w.elapsedMs} ms.`;
    const failing = w.satisfied || w.failing.length === 0 ? '' : ` Still failing: ${w.failing.join(', ')}.`;
    return text(`${head}${failing}\nScreen:\n${trimScreen(w.lines)}`, {
      satisfied: w.satisfied, reason: w.reason, elapsedMs: w.elapsedMs, match: w.match, failing: w.failing, state: w.session.state, exitCode: w.session.exitCode,
    });
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

  server.registerTool('read_screen', {
    title: 'Read the screen',
    description: 'Returns what the terminal shows now, as text: one line per screen row (trailing spaces and trailing ' +
      'empty rows trimmed). With include_cursor: true it starts with a header giving the cursor position (0-based row ' +
      'and column), the window title and whether a full-screen program has the alternate screen. scrollback: N adds the ' +
      'N lines that scrolled off the top. Call wait_for first after sending input.',
    inputSchema: {
      session_id: sessionId,
      include_cursor: z.boolean().optional().describe('prefix a header with cursor position, size, title and screen mode (default false)'),
      scrollback: z.number().int().min(0).max(10_000).optional().describe('also return this many lines from above the screen (default 0)'),
    },
    annotations: { readOnlyHint: true },
  }, (a) => run(async () => {
    const snap = await backend.snapshot(a.session_id, a.scrollback ?? 0);
    const lines = snap.lines.map((l) => l.text.trimEnd());
    const screen = lines.slice(lines.length - snap.rows);
    const above = lines.slice(0, lines.length - snap.rows);
    let out = '';
    if (a.include_cursor) {
      const c = snap.cursor;
      out += `cursor: row ${c.row}, column ${c.col}${c.visible ? '' : ' (hidden)'}; size ${snap.cols}x${snap.rows}; ` +
        `title ${JSON.stringify(snap.title)}; ${snap.modes.alternateScreen ? 'alternate screen (full-screen program)' : 'normal screen'}\n`;
    }
    if (above.length > 0) out += `--- ${above.length} scrollback lines ---\n${above.join('\n')}\n--- screen ---\n`;
    out += trimScreen(screen);
    return text(out, a.include_cursor ? { cursor: snap.cursor, cols: snap.cols, rows: snap.rows, title: snap.title, alternateScreen: snap.modes.alternateScreen } : undefined);
  }));

  server.registerTool('read_scrollback', {
    title: 'Read or search the scrollback',
    description: 'Reads lines that scrolled off the top of the screen (the history; line 0 is the oldest kept), or with ' +
      'query searches history and screen for a case-sensitive substring (or, with regex: true, a JavaScript regular ' +
      'expression) and returns matching lines with their line numbers. Use it when output was longer than the screen.',
    inputSchema: {
      session_id: sessionId,
      query: z.string().min(1).max(1024).optional().describe('search for this text instead of reading a range'),
      regex: z.boolean().optional().describe('query is a JavaScript regular expression (flag m: ^ and $ match at line ends)'),
      start: z.number().int().min(0).optional().describe('first line to read (default: enough to end at the newest line)'),
      count: z.number().int().min(1).max(10_000).optional().describe('lines to read, or most matches to return (default 200)'),
    },
    annotations: { readOnlyHint: true },
  }, (a) => run(async () => {
    const count = a.count ?? 200;
    if (a.query !== undefined) {
      const r = await backend.search(a.session_id, a.query, count, a.regex);
      const rows = r.matches.map((m) => `${m.line}${m.line >= r.scrollbackLength ? ` (screen row ${m.line - r.scrollbackLength})` : ''}: ${m.text}`);
      return text(`${r.matches.length} match${r.matches.length === 1 ? '' : 'es'} for ${r.kind === 'regex' ? `/${r.query}/` : JSON.stringify(r.query)} in ${r.total} lines` +
        `${r.truncated ? ' (more not shown)' : ''}.${rows.length ? '\n' + rows.join('\n') : ''}`);
    }
    let start = a.start;
    if (start === undefined) start = Math.max(0, (await backend.scrollback(a.session_id, 0, 0)).total - count);
    const r = await backend.scrollback(a.session_id, start, count);
    return text(`Scrollback lines ${r.start}-${r.start + r.lines.length - 1} of ${r.total}:\n${r.lines.join('\n')}`);
  }));

  server.registerTool('screenshot', {
    title: 'Screenshot the terminal',
    description: 'Renders the screen as a PNG image (colours, bold, cursor, box drawing), returned as image content. ' +
      'Use it when colours or visual layout matter; for the text itself read_screen is cheaper and exact.',
    inputSchema: { session_id: sessionId },
    annotations: { readOnlyHint: true },
  }, (a) => run(async () => {
    const png = await backend.png(a.session_id);
    return { content: [{ type: 'image', data: png.toString('base64'), mimeType: 'image/png' }] };
  }));
}

/** A new McpServer with the termpool tools on `backend`. */
export function createMcpServer(backend: TerminalBackend): McpServer {
  const server = new McpServer({ name: 'termpool', version: API_VERSION }, { instructions: INSTRUCTIONS });
  registerTools(server, backend);
  return server;
}

/** Runs a tool body; any thrown error becomes a tool error result. */
async function run(body: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await body();
  } catch (err) {
    return fail(errorText(err));
  }
}

/** Our coded errors (ServiceError, InputError, TermpoolApiError) read "CODE: message". */
export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

function fail(message: string): ToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

function text(body: string, structured?: object): ToolResult {
  return { content: [{ type: 'text', text: body }], ...(structured && { structuredContent: structured as Record<string, unknown> }) };
}

function describe(s: Session): string {
  const state = s.state === 'running' ? 'running' : `exited${s.signal ? ` by ${s.signal}` : ` with code ${s.exitCode}`}`;
  return `${[s.command, ...s.args].join(' ')} (pid ${s.pid}, ${s.cols}x${s.rows}, ${state}${s.title ? `, title ${JSON.stringify(s.title)}` : ''})`;
}

/** Screen lines without the empty rows at the bottom (an empty screen stays one empty line). */
function trimScreen(lines: readonly string[]): string {
  let end = lines.length;
  while (end > 1 && lines[end - 1] === '') end--;
  return lines.slice(0, end).join('\n');
}
