/**
 * What every MCP transport test checks, with the SDK's own Client: the tool list, a bash
 * session (echo hi → wait_for → read_screen), vim on the alternate screen with a PNG screenshot,
 * and bad calls answered as tool errors while the server keeps working.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { expect } from 'vitest';
import { findProgram } from '../helpers/service.js';
import { decodePng } from '../render/png-decode.js';

export const TOOLS = [
  'create_session', 'list_sessions', 'kill_session', 'send_text', 'send_keys', 'wait_for', 'read_screen',
  'read_scrollback', 'screenshot', 'run_command', 'send_signal', 'resize_session', 'paste_text', 'mouse_click',
];

/** Every tool's annotations, reviewed: only reading tools are read-only; input may do anything the program does. */
export const ANNOTATIONS: Record<string, Record<string, boolean>> = {
  create_session: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
  list_sessions: { readOnlyHint: true },
  kill_session: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  resize_session: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  run_command: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  send_text: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  send_keys: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  paste_text: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  mouse_click: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  send_signal: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  wait_for: { readOnlyHint: true },
  read_screen: { readOnlyHint: true },
  read_scrollback: { readOnlyHint: true },
  screenshot: { readOnlyHint: true },
};

export interface ToolOutcome {
  isError: boolean;
  text: string;
  structured: any;
  content: { type: string; [k: string]: any }[];
}

/** Calls a tool; the result's text content joined, and its structured content. */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolOutcome> {
  const r = await client.callTool({ name, arguments: args });
  const content = r.content as ToolOutcome['content'];
  return {
    isError: r.isError === true,
    text: content.filter((c) => c.type === 'text').map((c) => c.text as string).join('\n'),
    structured: r.structuredContent,
    content,
  };
}

/** Calls a tool that must succeed. */
export async function ok(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolOutcome> {
  const r = await call(client, name, args);
  expect(r.isError, `${name} failed: ${r.text}`).toBe(false);
  return r;
}

export async function toolList(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual([...TOOLS].sort());
  for (const t of tools) {
    expect(t.description!.length, t.name).toBeGreaterThan(80);
    expect(t.annotations, t.name).toMatchObject(ANNOTATIONS[t.name]!);
  }
  const wait = tools.find((t) => t.name === 'wait_for')!;
  expect(Object.keys(wait.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['session_id', 'text', 'regex', 'stable_ms', 'timeout_ms']));
  expect(client.getInstructions()).toMatch(/wait_for/);
}

/**
 * run_command in a shell-integration bash: exit codes, output (all 3,000 lines of it, from the
 * scrollback), cwd; a session without integration is a tool error naming NO_SHELL_INTEGRATION.
 */
export async function runCommandSession(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  const tool = tools.find((t) => t.name === 'run_command')!;
  expect(tool.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: false });
  expect(tool.description).toMatch(/exit code/);
  const created = await ok(client, 'create_session', { shell: 'bash', cwd: '/tmp' });
  const id = (created.structured.session as { id: string }).id;
  expect(created.text).toMatch(/run_command/);
  const hi = await ok(client, 'run_command', { session_id: id, command: 'echo hi' });
  expect(hi.structured).toMatchObject({ reason: 'finished', exitCode: 0, output: ['hi'], cwd: '/tmp' });
  expect(hi.text).toBe(`Exit code 0 after ${hi.structured.durationMs} ms; cwd /tmp.\nOutput:\nhi`);
  const failed = await ok(client, 'run_command', { session_id: id, command: 'ls /nonexistent-dir' });
  expect(failed.structured.exitCode).toBe(2);
  expect(failed.text).toMatch(/^Exit code 2 /);
  const long = await ok(client, 'run_command', { session_id: id, command: 'seq 3000', max_lines: 5000 });
  expect(long.structured.output).toHaveLength(3000);
  const slow = await ok(client, 'run_command', { session_id: id, command: 'sleep 5', timeout_ms: 200 });
  expect(slow.structured.reason).toBe('timeout');
  expect(slow.text).toMatch(/Still running/);
  const busy = await call(client, 'run_command', { session_id: id, command: 'echo no' });
  expect(busy.isError).toBe(true);
  expect(busy.text).toMatch(/^COMMAND_RUNNING: /);
  await ok(client, 'kill_session', { session_id: id });
  const plain = (await ok(client, 'create_session', { command: 'cat' })).structured.session as { id: string };
  const refused = await call(client, 'run_command', { session_id: plain.id, command: 'echo hi' });
  expect(refused.isError).toBe(true);
  expect(refused.text).toMatch(/^NO_SHELL_INTEGRATION: .*"shell": "bash"/);
  await ok(client, 'kill_session', { session_id: plain.id });
}

/** bash: echo hi, wait for it, read the screen (with the cursor) and the scrollback; returns the pid. */
export async function bashSession(client: Client): Promise<{ id: string; pid: number }> {
  const created = await ok(client, 'create_session', { command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' }, cols: 60, rows: 12 });
  const s = created.structured.session as { id: string; pid: number; cols: number };
  expect(s).toMatchObject({ cols: 60, rows: 12, state: 'running' });
  expect(created.text).toContain(s.id);
  expect((await ok(client, 'wait_for', { session_id: s.id, text: '$' })).structured.satisfied).toBe(true);
  expect((await ok(client, 'send_text', { session_id: s.id, text: 'echo hi', enter: true })).structured).toEqual({ bytes: 8 });
  const w = await ok(client, 'wait_for', { session_id: s.id, regex: '^hi$', timeout_ms: 5000 });
  expect(w.structured).toMatchObject({ satisfied: true, reason: 'matched', match: { text: 'hi', row: 1, column: 0 } });
  expect(w.text).toContain('$ echo hi\nhi');
  const screen = await ok(client, 'read_screen', { session_id: s.id });
  expect(screen.text).toBe('$ echo hi\nhi\n$');
  const withCursor = await ok(client, 'read_screen', { session_id: s.id, include_cursor: true });
  expect(withCursor.text.split('\n')[0]).toMatch(/^cursor: row 2, column 2; size 60x12; .*normal screen$/);
  expect(withCursor.structured).toMatchObject({ cursor: { row: 2, col: 2 }, alternateScreen: false });
  const found = await ok(client, 'read_scrollback', { session_id: s.id, query: 'hi' });
  expect(found.text).toContain('2 matches');
  expect(found.text).toContain('(screen row 1): hi');
  // Output longer than the screen: its first line is found in the scrollback with scrollback: true.
  const long = (await ok(client, 'create_session', { command: 'bash', args: ['-c', 'echo FIRST-LINE; seq 30; sleep 30'], cols: 60, rows: 12 }))
    .structured.session as { id: string };
  await ok(client, 'wait_for', { session_id: long.id, regex: '^30$' });
  expect((await ok(client, 'wait_for', { session_id: long.id, regex: '^FIRST-LINE$', timeout_ms: 100 })).structured.satisfied).toBe(false);
  const back = await ok(client, 'wait_for', { session_id: long.id, regex: '^FIRST-LINE$', scrollback: true, timeout_ms: 5000 });
  expect(back.structured).toMatchObject({ satisfied: true, match: { text: 'FIRST-LINE', line: 0 } });
  expect(back.text).toContain('at scrollback line 0, column 0');
  const byRegex = await ok(client, 'read_scrollback', { session_id: long.id, query: '^1\\d$', regex: true });
  expect(byRegex.text).toContain('10 matches for /^1\\d$/');
  expect(byRegex.text).toContain('\n10: 10\n');
  await ok(client, 'kill_session', { session_id: long.id });
  // A wait that cannot come true is a result with the screen, not an error.
  const late = await ok(client, 'wait_for', { session_id: s.id, text: 'never printed', timeout_ms: 100 });
  expect(late.structured).toMatchObject({ satisfied: false, reason: 'timeout' });
  expect(late.text).toMatch(/^Not satisfied: timed out/);
  expect((await ok(client, 'list_sessions')).text).toContain(s.id);
  return s;
}

/** vim: a full-screen program; read_screen and a decodable PNG screenshot. */
export async function vimSession(client: Client): Promise<void> {
  const vim = findProgram('vim', 'vim.tiny', 'vi');
  expect(vim, 'vim is needed on PATH (apt-get install vim-tiny; .ci/run does)').not.toBeNull();
  const created = await ok(client, 'create_session', { command: vim, args: ['-u', 'NONE', '-i', 'NONE', '-N', '-n'], cols: 80, rows: 24 });
  const id = created.structured.session.id as string;
  expect((await ok(client, 'wait_for', { session_id: id, regex: '^~', timeout_ms: 10_000 })).structured.satisfied).toBe(true);
  await ok(client, 'send_keys', { session_id: id, keys: ['i'] });
  await ok(client, 'send_text', { session_id: id, text: 'hello from mcp' });
  // Still in insert mode (vim shows it on the last line): the cursor is after the typed text.
  const typed = await ok(client, 'wait_for', { session_id: id, regex: '^hello from mcp$[\\s\\S]*-- INSERT --' });
  expect(typed.structured.satisfied).toBe(true);
  const screen = await ok(client, 'read_screen', { session_id: id, include_cursor: true });
  const lines = screen.text.split('\n');
  expect(lines[0]).toMatch(/alternate screen \(full-screen program\)$/);
  expect(lines[1]).toBe('hello from mcp');
  expect(lines[2]).toBe('~');
  expect(lines[24]).toMatch(/^-- INSERT --/);
  expect(screen.structured).toMatchObject({ cols: 80, rows: 24, alternateScreen: true, cursor: { row: 0, col: 14 } });
  await ok(client, 'send_keys', { session_id: id, keys: ['Escape'] });

  const shot = await ok(client, 'screenshot', { session_id: id });
  expect(shot.content).toHaveLength(1);
  const image = shot.content[0]!;
  expect(image).toMatchObject({ type: 'image', mimeType: 'image/png' });
  const png = decodePng(Buffer.from(image.data as string, 'base64'));
  expect(png.width).toBeGreaterThan(80 * 5);
  expect(png.height).toBeGreaterThan(24 * 10);

  await ok(client, 'send_keys', { session_id: id, keys: [':', 'q', '!', 'Enter'] });
  const done = await ok(client, 'wait_for', { session_id: id, exit: true, timeout_ms: 5000 });
  expect(done.structured).toMatchObject({ satisfied: true, state: 'exited', exitCode: 0 });
  expect((await ok(client, 'kill_session', { session_id: id })).text).toMatch(/exited with code 0/);
}

/** Bad calls: tool errors naming the problem; the server keeps answering. */
export async function badCalls(client: Client, liveId: string): Promise<void> {
  const expectError = async (name: string, args: Record<string, unknown>, pattern: RegExp): Promise<void> => {
    const r = await call(client, name, args);
    expect(r.isError, `${name} ${JSON.stringify(args)} should fail: ${r.text}`).toBe(true);
    expect(r.text).toMatch(pattern);
  };
  await expectError('create_session', { command: 'bash', cols: 'wide' }, /cols/);
  await expectError('create_session', {}, /command/);
  await expectError('create_session', { command: 'no-such-program-xyz' }, /^SPAWN_FAILED: .*not found in PATH/);
  await expectError('create_session', { command: 'bash', cwd: '/no/such/dir' }, /^BAD_CWD/);
  await expectError('read_screen', { session_id: 'nosuchsession' }, /^SESSION_NOT_FOUND: no session 'nosuchsession'/);
  await expectError('send_keys', { session_id: liveId, keys: ['NoSuchKey'] }, /^TP_BAD_KEY/);
  await expectError('send_keys', { session_id: liveId, keys: [] }, /keys/);
  await expectError('wait_for', { session_id: liveId }, /at least one of text, regex, stable_ms/);
  await expectError('wait_for', { session_id: liveId, text: '$', regex: '^never$' }, /give text or regex, not both/);
  await expectError('wait_for', { session_id: liveId, regex: '(' }, /^BAD_REGEX/);
  await expectError('no_such_tool', {}, /no_such_tool/);
  // Still serving, and the session untouched by the refused calls.
  expect((await ok(client, 'read_screen', { session_id: liveId })).text).toContain('hi');
}

/** A python3 program that turns on `modes`, reads raw input until `end` arrives and prints what it got (repr). */
function rawReader(modes: string, end: string): string[] {
  return ['-c', [
    'import os, sys, tty',
    'tty.setraw(0)',
    `sys.stdout.write(${JSON.stringify(modes)} + "ready\\r\\n"); sys.stdout.flush()`,
    "d = b''",
    `while ${JSON.stringify(end)}.encode() not in d: d += os.read(0, 1024)`,
    'sys.stdout.write("got " + repr(d) + "\\r\\n"); sys.stdout.flush()',
    'os.read(0, 1)',
  ].join('\n')];
}

/**
 * The tools of issue 25's MCP completeness against real programs: resize_session seen by `stty size`,
 * paste_text in bracketed paste mode and mouse_click in SGR mouse mode as a raw reader gets them,
 * read_scrollback finding a line that scrolled away, read_screen with since, and the screens as resources.
 */
export async function moreTools(client: Client): Promise<void> {
  const bash = (await ok(client, 'create_session', { command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' }, cols: 60, rows: 10 })).structured.session.id as string;
  await ok(client, 'wait_for', { session_id: bash, text: '$ ' });

  // resize_session: the pty's size follows.
  const resized = await ok(client, 'resize_session', { session_id: bash, cols: 100, rows: 30 });
  expect(resized.structured.session).toMatchObject({ cols: 100, rows: 30 });
  expect(resized.text).toBe(`Resized session ${bash} to 100x30.`);
  await ok(client, 'send_text', { session_id: bash, text: 'stty size', enter: true });
  expect((await ok(client, 'wait_for', { session_id: bash, regex: '^30 100$', timeout_ms: 5000 })).structured.satisfied).toBe(true);
  const tooBig = await call(client, 'resize_session', { session_id: bash, cols: 1, rows: 10 });
  expect(tooBig.isError).toBe(true);
  expect(tooBig.text).toMatch(/cols/);

  // read_screen with since: a first full read with an etag, then "Unchanged.", then only the changed rows.
  await ok(client, 'wait_for', { session_id: bash, stable_ms: 150 });
  const first = await ok(client, 'read_screen', { session_id: bash, since: '' });
  expect(first.structured).toMatchObject({ full: true, unchanged: false });
  const etag = first.structured.etag as string;
  expect(first.text).toBe(`$ stty size\n30 100\n$\netag: ${etag}`);
  const same = await ok(client, 'read_screen', { session_id: bash, since: etag });
  expect(same.text).toBe('Unchanged.');
  expect(same.structured).toMatchObject({ etag, unchanged: true, changedRows: [] });
  await ok(client, 'send_text', { session_id: bash, text: 'echo changed', enter: true });
  await ok(client, 'wait_for', { session_id: bash, regex: '^changed$', stable_ms: 150 });
  const delta = await ok(client, 'read_screen', { session_id: bash, since: etag });
  expect(delta.structured).toMatchObject({ full: false, unchanged: false, changedRows: [2, 3, 4] });
  expect(delta.text).toBe(`3 of 30 rows changed (the others as before):\nrow 2: $ echo changed\nrow 3: changed\nrow 4: $\netag: ${delta.structured.etag}`);
  // The quotes may be left off; an unknown tag is a full read.
  expect((await ok(client, 'read_screen', { session_id: bash, since: (delta.structured.etag as string).replace(/"/g, '') })).text).toBe('Unchanged.');
  expect((await ok(client, 'read_screen', { session_id: bash, since: 'made-up' })).structured.full).toBe(true);
  expect((await call(client, 'read_screen', { session_id: bash, since: '', scrollback: 5 })).isError).toBe(true);

  // read_scrollback: a line long scrolled off the top is found by a search.
  await ok(client, 'send_text', { session_id: bash, text: 'for i in $(seq 1 80); do echo "line-$i"; done', enter: true });
  await ok(client, 'wait_for', { session_id: bash, regex: '^line-80$' });
  const found = await ok(client, 'read_scrollback', { session_id: bash, query: 'line-7' });
  expect(found.text).toMatch(/^\d+ match(es)? for "line-7"/);
  expect(found.text).toMatch(/\n\d+: line-7\n/); // a scrollback line, not a screen row
  expect(found.text).not.toMatch(/: line-7 \(screen/);
  const range = await ok(client, 'read_scrollback', { session_id: bash, start: 0, count: 500 });
  expect(range.text.split('\n')).toContain('line-7');

  // Screens as resources: listed per session, read as text.
  const { resources } = await client.listResources();
  const uri = `termpool://sessions/${bash}/screen`;
  expect(resources.map((r) => r.uri)).toContain(uri);
  expect(resources.find((r) => r.uri === uri)).toMatchObject({ mimeType: 'text/plain', name: `${bash} screen` });
  const { resourceTemplates } = await client.listResourceTemplates();
  expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('termpool://sessions/{id}/screen');
  const read = await client.readResource({ uri });
  const screenText = (read.contents[0] as { text: string }).text;
  expect(screenText).toMatch(/line-80\n\$$/);
  expect(screenText.split('\n')).toHaveLength(30);
  await expect(client.readResource({ uri: 'termpool://sessions/nosuchsession/screen' })).rejects.toThrow(/SESSION_NOT_FOUND|nosuchsession/);
  await ok(client, 'kill_session', { session_id: bash });

  // paste_text: bracketed (mode 2004), as the program reads it.
  const paster = (await ok(client, 'create_session', { command: 'python3', args: rawReader('\x1b[?2004h', '\x1b[201~') })).structured.session.id as string;
  await ok(client, 'wait_for', { session_id: paster, text: 'ready' });
  expect((await ok(client, 'paste_text', { session_id: paster, text: 'two\nlines' })).text).toMatch(/^Pasted \d+ bytes\.$/);
  const pasted = await ok(client, 'wait_for', { session_id: paster, text: 'got ' });
  expect(pasted.text).toMatch(/got b'\\x1b\[200~two\\[rn]lines\\x1b\[201~'/);
  await ok(client, 'kill_session', { session_id: paster });

  // mouse_click: press and release at a cell, SGR-encoded (1-based on the wire), as the program reads them.
  const clicker = (await ok(client, 'create_session', { command: 'python3', args: rawReader('\x1b[?1000h\x1b[?1006h', 'm') })).structured.session.id as string;
  await ok(client, 'wait_for', { session_id: clicker, text: 'ready' });
  expect((await ok(client, 'mouse_click', { session_id: clicker, row: 2, col: 5 })).text).toMatch(/^Clicked left at row 2, column 5/);
  const clicked = await ok(client, 'wait_for', { session_id: clicker, text: 'got ' });
  expect(clicked.text).toContain(String.raw`got b'\x1b[<0;6;3M\x1b[<0;6;3m'`);
  await ok(client, 'kill_session', { session_id: clicker });
  // Without mouse reporting: a tool error, nothing sent.
  const cat = (await ok(client, 'create_session', { command: 'cat' })).structured.session.id as string;
  const off = await call(client, 'mouse_click', { session_id: cat, row: 0, col: 0 });
  expect(off.isError).toBe(true);
  expect(off.text).toMatch(/^TP_MOUSE_OFF/);
  await ok(client, 'kill_session', { session_id: cat });
}
