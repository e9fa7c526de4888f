/**
 * The MCP tools for issue 25's signals, keys and waits, through the server's real /mcp endpoint
 * with the SDK's Client: send_signal (annotations, a trapped SIGINT, a tool error once exited),
 * send_keys with Playwright names and literal items, wait_for on absent, title, cursor and cell
 * (and `failing` on a timeout). The in-process backend and the remote one (`termpool mcp --url`)
 * share the tool layer; this drives the local one.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/service.js';
import { call, ok } from './scenario.js';

let srv: TestServer;
let client: Client;
beforeAll(async () => {
  srv = await startTestServer();
  client = new Client({ name: 'termpool-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${srv.url}/mcp`)));
});
afterAll(async () => {
  await client?.close();
  await srv?.close();
});

async function create(args: Record<string, unknown>): Promise<string> {
  return (await ok(client, 'create_session', args)).structured.session.id as string;
}

describe('MCP: send_signal, send_keys literal, wait_for conditions', () => {
  it('send_signal: accurate annotations; a trapped SIGINT; SIGKILL ends it; then a tool error', async () => {
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === 'send_signal')!;
    expect(tool.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: false });
    expect(Object.keys(tool.inputSchema.properties ?? {}).sort()).toEqual(['session_id', 'signal']);
    const keys = tools.find((t) => t.name === 'send_keys')!;
    expect(Object.keys(keys.inputSchema.properties ?? {})).toContain('literal');
    // Keys do what the program does with them (Enter runs a command, C-c stops one): not read-only, destructive.
    expect(keys.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    const wait = tools.find((t) => t.name === 'wait_for')!;
    expect(Object.keys(wait.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['absent', 'absent_regex', 'title', 'title_regex', 'cursor', 'cell', 'trim']));

    const id = await create({ command: 'bash', args: ['--norc', '--noprofile', '-c', "trap 'echo got INT' INT; echo ready; while :; do sleep 0.1; done"] });
    await ok(client, 'wait_for', { session_id: id, text: 'ready' });
    const r = await ok(client, 'send_signal', { session_id: id, signal: 'SIGINT' });
    expect(r.text).toMatch(/^Sent SIGINT to process group \d+ \(the foreground group\)\.$/);
    expect(r.structured).toMatchObject({ signal: 'SIGINT', foreground: true });
    await ok(client, 'wait_for', { session_id: id, regex: '^got INT$' });
    await ok(client, 'send_signal', { session_id: id, signal: 'SIGKILL' });
    expect((await ok(client, 'wait_for', { session_id: id, exit: true })).structured).toMatchObject({ satisfied: true, state: 'exited' });
    const after = await call(client, 'send_signal', { session_id: id, signal: 'SIGINT' });
    expect(after.isError).toBe(true);
    expect(after.text).toMatch(/^SESSION_EXITED: /);
    const bad = await call(client, 'send_signal', { session_id: id, signal: 'SIGSEGV' });
    expect(bad.isError).toBe(true);
  });

  it('send_keys literal + wait_for absent, title, cursor, cell; failing on a timeout', async () => {
    const id = await create({ command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' } });
    // The prompt's trailing space matches by default.
    await ok(client, 'wait_for', { session_id: id, text: '$ ' });
    await ok(client, 'send_keys', { session_id: id, keys: ["printf '\\033]2;my title\\007\\033[7mSEL\\033[0m\\n'; echo spinning", 'Enter'], literal: true });
    const refused = await call(client, 'send_keys', { session_id: id, keys: ['echo x'] });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/^TP_BAD_KEY: .*"echo x"/);
    const w = await ok(client, 'wait_for', { session_id: id, title: 'my title', cell: { row: 1, col: 0, text: 'S', inverse: true }, regex: '^spinning$' });
    expect(w.structured).toMatchObject({ satisfied: true, failing: [] });
    expect((await ok(client, 'wait_for', { session_id: id, title_regex: '^my', absent: 'no such text', cursor: { row: 3, col: 2 } })).structured.satisfied).toBe(true);
    const t = await ok(client, 'wait_for', { session_id: id, absent_regex: '^spinning$', cursor: { row: 3 }, timeout_ms: 100 });
    expect(t.structured).toMatchObject({ satisfied: false, reason: 'timeout', failing: ['absent'] });
    expect(t.text).toMatch(/^Not satisfied: timed out after \d+ ms\. Still failing: absent\.\n/);
    // An unknown colour is refused before waiting, naming the field.
    const colour = await call(client, 'wait_for', { session_id: id, cell: { row: 1, col: 0, fg: 'nonsense-colour' } });
    expect(colour.isError).toBe(true);
    expect(colour.text).toMatch(/^VALIDATION: cell\.fg: unknown colour "nonsense-colour"/);
  });
});
