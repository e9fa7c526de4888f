/**
 * What a program is started with, checked the same way for REST (POST /v1/sessions) and MCP
 * (create_session over /mcp), before anything is spawned (issue 22):
 *   - environment names a shell could not set (`A=B`, empty, with a NUL) and values, arguments,
 *     commands or directories with a NUL are refused by the one schema (400 VALIDATION naming
 *     the field; a tool error naming it);
 *   - an argument list past the kernel's exec limits (one string over MAX_ARG_STRLEN, or all of
 *     them over ARG_MAX) is 400 ARGS_TOO_LONG, not a 201 for a program that never started; one
 *     just under the limit still starts and sees every argument.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argSpaceLimit, MAX_ARG_STRLEN } from '../../src/sessions/exec-limits.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

/** 8 MiB: big enough that only exec's own limits can refuse the argument lists below. */
const BODY_LIMIT = String(8 * 1024 * 1024);

let srv: TestServer;
let mcp: Client;
beforeAll(async () => {
  srv = await startTestServer({ TERMPOOL_BODY_LIMIT: BODY_LIMIT });
  mcp = new Client({ name: 'termpool-validation-test', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${srv.url}/mcp`)));
});
afterAll(async () => {
  await mcp?.close().catch(() => undefined);
  await srv?.close();
});

/** create_session's outcome: the tool's text and whether it is a tool error. */
async function mcpCreate(args: Record<string, unknown>): Promise<{ isError: boolean; text: string }> {
  try {
    const r = await mcp.callTool({ name: 'create_session', arguments: { command: 'sh', ...args } });
    const content = r.content as { type: string; text?: string }[];
    return { isError: r.isError === true, text: content.map((c) => c.text ?? '').join('\n') };
  } catch (err) {
    // An SDK that answers bad arguments with a JSON-RPC error rather than a tool error.
    return { isError: true, text: err instanceof Error ? err.message : String(err) };
  }
}

/** Sessions the server holds now (nothing refused may have been spawned). */
async function sessionCount(): Promise<number> {
  return (await srv.api('GET', '/v1/sessions')).body.sessions.length;
}

describe('validation: one schema for what a program is started with (REST and MCP)', () => {
  const NAME = /not an environment variable name/;
  const NUL = /NUL byte/;
  /** [case, request, the field the answer must name, why]. */
  const cases: [string, Record<string, unknown>, RegExp, RegExp][] = [
    ['env name with =', { env: { 'A=B': 'x' } }, /env[/.]A=B/, NAME],
    ['empty env name', { env: { '': 'x' } }, /env[/.]/, NAME],
    ['env name with NUL', { env: { 'A\u0000': 'x' } }, /env[/.]A/, NAME],
    ['env name starting with a digit', { env: { '1A': 'x' } }, /env[/.]1A/, NAME],
    ['env value with NUL', { env: { A: 'x\u0000y' } }, /env[/.]A/, NUL],
    ['argument with NUL', { args: ['ok', 'a\u0000b'] }, /args(\/1|\[1\])/, NUL],
    ['command with NUL', { command: 'sh\u0000x' }, /command/, NUL],
    ['cwd with NUL', { cwd: '/tmp\u0000x' }, /cwd/, NUL],
  ];

  it.each(cases)('REST: %s is 400 VALIDATION naming the field', async (_name, body, field, why) => {
    const before = await sessionCount();
    const r = await srv.api('POST', '/v1/sessions', { command: 'sh', ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.error).toBe('VALIDATION');
    expect(r.body.message).toMatch(field);
    expect(r.body.message).toMatch(why);
    expect(await sessionCount()).toBe(before);
  });

  it.each(cases)('MCP: %s is a tool error naming the field', async (_name, args, field, why) => {
    const before = await sessionCount();
    const r = await mcpCreate(args);
    expect(r.isError, r.text).toBe(true);
    expect(r.text).toMatch(field);
    expect(r.text).toMatch(why);
    expect(await sessionCount()).toBe(before);
  });

  it('a well-formed env still reaches the program (REST and MCP)', async () => {
    const r = await srv.api('POST', '/v1/sessions', { command: 'sh', args: ['-c', 'echo "v=$MY_VAR"; sleep 30'], env: { MY_VAR: 'rest=ok' } });
    expect(r.status).toBe(201);
    expect((await srv.api('POST', `/v1/sessions/${r.body.id}/wait`, { text: 'v=rest=ok', timeoutMs: 10_000 })).status).toBe(200);
    await srv.api('DELETE', `/v1/sessions/${r.body.id}`);
    const m = await mcpCreate({ args: ['-c', 'echo "v=$MY_VAR"; sleep 30'], env: { MY_VAR: 'mcp=ok' } });
    expect(m.isError, m.text).toBe(false);
    const id = /Started session (\S+):/.exec(m.text)![1]!;
    expect((await srv.api('POST', `/v1/sessions/${id}/wait`, { text: 'v=mcp=ok', timeoutMs: 10_000 })).status).toBe(200);
    await srv.api('DELETE', `/v1/sessions/${id}`);
  });
});

describe('validation: argument lists past the kernel\'s exec limits', () => {
  const arg = 'a'.repeat(65536);
  /** 40 (2.6 MB), or more where the stack rlimit allows more than 2 MiB (at most 6 MiB). */
  const over = Math.max(40, Math.ceil(argSpaceLimit() / (arg.length + 1 + 8)) + 1);

  it(`${over} arguments of 65536 bytes (over ARG_MAX ${argSpaceLimit()}) are 400 ARGS_TOO_LONG, nothing spawned`, async () => {
    const before = await sessionCount();
    const r = await srv.api('POST', '/v1/sessions', { command: 'sh', args: ['-c', 'echo started', ...Array(over).fill(arg)] });
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(400);
    expect(r.body.error).toBe('ARGS_TOO_LONG');
    expect(r.body.message).toContain(String(argSpaceLimit()));
    expect(await sessionCount()).toBe(before);
  });

  it('one argument over MAX_ARG_STRLEN (65536 three-byte characters) is 400 ARGS_TOO_LONG naming it', async () => {
    const r = await srv.api('POST', '/v1/sessions', { command: 'sh', args: ['-c', 'true', '日'.repeat(65536)] });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('ARGS_TOO_LONG');
    expect(r.body.message).toContain('args[2]');
    expect(r.body.message).toContain(String(MAX_ARG_STRLEN - 1));
  });

  it('an environment value over MAX_ARG_STRLEN is 400 ARGS_TOO_LONG naming the variable', async () => {
    const r = await srv.api('POST', '/v1/sessions', { command: 'sh', env: { BIG: '日'.repeat(65536) } });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('ARGS_TOO_LONG');
    expect(r.body.message).toContain('env BIG');
  });

  it('MCP create_session gets the same refusal', async () => {
    const before = await sessionCount();
    const m = await mcpCreate({ args: ['-c', 'echo started', ...Array(over).fill(arg)] });
    expect(m.isError).toBe(true);
    expect(m.text).toMatch(/^ARGS_TOO_LONG: /);
    expect(await sessionCount()).toBe(before);
  });

  it('just under the limit the program starts and receives every argument', async () => {
    // 28 × 65537 bytes = 1.8 MB: under 2 MiB with room for this test runner's environment.
    const n = Math.min(28, Math.floor((argSpaceLimit() - 64 * 1024) / (arg.length + 1 + 8)) - 1);
    const r = await srv.api('POST', '/v1/sessions', { command: 'sh', args: ['-c', 'echo "argc=$#"; sleep 30', 'sh', ...Array(n).fill(arg)] });
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(201);
    const w = await srv.api('POST', `/v1/sessions/${r.body.id}/wait`, { text: `argc=${n}`, timeoutMs: 10_000 });
    expect(w.status, JSON.stringify(w.body.lines)).toBe(200);
    await srv.api('DELETE', `/v1/sessions/${r.body.id}`);
  });
});
