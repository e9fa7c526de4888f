/**
 * The server's /mcp endpoint (streamable HTTP, stateless) on a real server process with a token,
 * driven with the MCP SDK's Client (StreamableHTTPClientTransport): the same tools on real bash
 * and vim as over stdio, sessions shared with the REST API, and the bearer auth of every route.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { badCalls, bashSession, moreTools, ok, runCommandSession, toolList, vimSession } from './scenario.js';

const TOKEN = 'mcp-http-token';
let srv: ServerProcess;
beforeAll(async () => { srv = await spawnServer({ TERMPOOL_TOKEN: TOKEN }); });
afterAll(async () => { await srv?.stop(); });

async function connect(token: string | null = TOKEN): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${srv.url}/mcp`), {
    requestInit: { headers: token === null ? {} : { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'termpool-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

describe('MCP over streamable HTTP: /mcp', () => {
  it('bash, vim, screenshot and tool errors; sessions are the server\'s own', async () => {
    const client = await connect();
    expect(client.getServerVersion()).toMatchObject({ name: 'termpool' });
    await toolList(client);
    const bash = await bashSession(client);
    await vimSession(client);
    await badCalls(client, bash.id);
    // One registry: the REST API sees the MCP session, and a new MCP connection sees it too.
    expect(await srv.client.getSession(bash.id)).toMatchObject({ id: bash.id, state: 'running' });
    await client.close();
    const again = await connect();
    expect((await ok(again, 'read_screen', { session_id: bash.id })).text).toBe('$ echo hi\nhi\n$');
    expect((await ok(again, 'kill_session', { session_id: bash.id })).text).toMatch(/^Session \S+ ended/);
    await again.close();
    expect(srv.log()).not.toMatch(/"level":50/); // no error logged
  });

  it('resize_session, paste_text, mouse_click, read_scrollback search, read_screen since, screen resources (in-process backend)', async () => {
    const client = await connect();
    await moreTools(client);
    await client.close();
  });

  it('run_command: a shell-integration bash runs commands and reports exit codes and output', async () => {
    const client = await connect();
    await runCommandSession(client);
    await client.close();
  });

  it('refused without the token, as every route', async () => {
    await expect(connect(null)).rejects.toThrow(/401|Unauthorized|UNAUTHORIZED/i);
    await expect(connect('wrong')).rejects.toThrow(/401|Unauthorized|UNAUTHORIZED/i);
    const init = {
      jsonrpc: '2.0', id: 1, method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
    };
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const r = await fetch(`${srv.url}/mcp`, { method: 'POST', headers, body: JSON.stringify(init) });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ error: 'UNAUTHORIZED' });
    // With the token the same raw request is answered (plain JSON: the endpoint is stateless).
    const okr = await fetch(`${srv.url}/mcp`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(init) });
    expect(okr.status).toBe(200);
    expect(okr.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await okr.json()).toMatchObject({ jsonrpc: '2.0', id: 1, result: { serverInfo: { name: 'termpool' } } });
  });

  it('GET and DELETE answer 405 (no SSE stream, no MCP session); bad bodies are refused', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const method of ['GET', 'DELETE']) {
      const r = await fetch(`${srv.url}/mcp`, { method, headers: { ...auth, accept: 'text/event-stream' } });
      expect(r.status, method).toBe(405);
      expect(r.headers.get('allow')).toBe('POST');
      expect(await r.json()).toMatchObject({ error: 'METHOD_NOT_ALLOWED', message: expect.stringMatching(/stateless/) });
    }
    const notJsonRpc = await fetch(`${srv.url}/mcp`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{"hello":1}',
    });
    expect(notJsonRpc.status).toBe(400);
    expect(await notJsonRpc.json()).toMatchObject({ error: 'VALIDATION', message: expect.stringMatching(/jsonrpc/) });
    const badJson = await fetch(`${srv.url}/mcp`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{',
    });
    expect(badJson.status).toBe(400);
    expect((await srv.client.health()).status).toBe('ok');
  });
});
