/**
 * `termpool mcp` over stdio, spawned as a real process and driven with the MCP SDK's Client
 * (StdioClientTransport): tools on real bash and vim in the process's own registry; closing the
 * client ends the process and every session it started. Also `--url`, driving a running server.
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, gone } from '../helpers/service.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { badCalls, bashSession, moreTools, ok, toolList, vimSession } from './scenario.js';

const BIN = fileURLToPath(new URL('../../bin/termpool.js', import.meta.url));

async function connect(args: string[] = [], env: Record<string, string> = {}): Promise<{ client: Client; transport: StdioClientTransport; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', ...args],
    env: { ...(process.env as Record<string, string>), ...env },
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
  const client = new Client({ name: 'termpool-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport, stderr: () => err };
}

describe('MCP over stdio: termpool mcp', () => {
  it('bash, vim, screenshot and tool errors; closing the client ends the process and its sessions', async () => {
    const { client, transport, stderr } = await connect();
    expect(client.getServerVersion()).toMatchObject({ name: 'termpool' });
    await toolList(client);
    const bash = await bashSession(client);
    await vimSession(client);
    await badCalls(client, bash.id);
    const serverPid = transport.pid!;
    expect(alive(bash.pid)).toBe(true);
    await client.close();
    expect(await gone(serverPid, 10_000), `termpool mcp did not exit: ${stderr()}`).toBe(true);
    expect(await gone(bash.pid)).toBe(true);
    expect(stderr()).not.toMatch(/internal error/);
  });

  it('--help, and bad flags are usage errors', async () => {
    const { spawnSync } = await import('node:child_process');
    const help = spawnSync(process.execPath, [BIN, 'mcp', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: termpool mcp/);
    const bad = spawnSync(process.execPath, [BIN, 'mcp', '--nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--nope/);
    expect(spawnSync(process.execPath, [BIN, 'mcp', '--url', 'ftp://x'], { encoding: 'utf8' }).status).toBe(2);
  });
});

describe('MCP over stdio: termpool mcp --url (a running server)', () => {
  let srv: ServerProcess;
  afterAll(async () => { await srv?.stop(); });

  it('the same tools drive the server through the client; its sessions outlive the MCP process', async () => {
    srv = await spawnServer({ TERMPOOL_TOKEN: 'mcp-remote-token' });
    const { client } = await connect(['--url', srv.url], { TERMPOOL_TOKEN: 'mcp-remote-token' });
    const bash = await bashSession(client);
    await badCalls(client, bash.id);
    // The new tools through the remote backend (the typed client over REST).
    await toolList(client);
    await moreTools(client);
    // The session lives in the server, seen through its REST API too.
    expect(await srv.client.getSession(bash.id)).toMatchObject({ id: bash.id, state: 'running' });
    await client.close();
    expect(await srv.client.screenLines(bash.id)).toContain('hi');
    await ok((await connect(['--url', srv.url, '--token', 'mcp-remote-token'])).client, 'kill_session', { session_id: bash.id });
    expect(await gone(bash.pid)).toBe(true);

    const refused = await connect(['--url', srv.url], { TERMPOOL_TOKEN: 'wrong' });
    const r = await refused.client.callTool({ name: 'list_sessions', arguments: {} });
    expect(r.isError).toBe(true);
    expect((r.content as { text: string }[])[0]!.text).toMatch(/^UNAUTHORIZED/);
    await refused.client.close();
  });
});
