/**
 * `termpool mcp`: serve the MCP tools over stdio. By default with its own in-process session
 * registry (configured by the same TERMPOOL_* variables as `serve`; every session ends with the
 * process); with `--url URL [--token T]` it drives a running termpool server instead.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { CliError, type Io } from './errors.js';

export const MCP_USAGE = `usage: termpool mcp [--url URL [--token TOKEN]]

Serve termpool's terminals as MCP tools over stdio (create_session, send_text, send_keys,
wait_for, read_screen, read_scrollback, screenshot, list_sessions, kill_session).

Without --url the sessions run inside this process (TERMPOOL_* limits apply) and end
when the client closes stdin. With --url the tools drive a running termpool server
(token: --token, or TERMPOOL_TOKEN).

options:
  --url URL       a running termpool server, e.g. http://127.0.0.1:7681
  --token TOKEN   its bearer token (default: $TERMPOOL_TOKEN)
  -h, --help      show this help
`;

export async function runMcp(args: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: { url?: string | undefined; token?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args,
      options: { url: { type: 'string' }, token: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new CliError(`mcp: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (values.help) {
    io.stdout.write(MCP_USAGE);
    return 0;
  }
  const { serveStdio } = await import('../mcp/stdio.js');
  if (values.url !== undefined) {
    if (!/^https?:\/\/[^/]/.test(values.url)) throw new CliError(`mcp: --url must be an http(s) URL (got '${values.url}')`);
    const { TermpoolClient } = await import('../client/index.js');
    const { remoteBackend } = await import('../mcp/remote-backend.js');
    const token = values.token ?? env['TERMPOOL_TOKEN'];
    const client = new TermpoolClient({ url: values.url, ...(token && { token }) });
    await serveStdio(remoteBackend(client), io.stdin, io.stdout);
    return 0;
  }
  if (values.token !== undefined) throw new CliError('mcp: --token needs --url');
  const { SessionRegistry } = await import('../sessions/registry.js');
  const { localBackend } = await import('../mcp/local-backend.js');
  let registry;
  try {
    // The registry checks TERMPOOL_CONTAINMENT and TERMPOOL_SANDBOX as it starts.
    registry = new SessionRegistry(loadConfig(env));
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message);
    throw err;
  }
  try {
    await serveStdio(localBackend(registry), io.stdin, io.stdout);
  } finally {
    await registry.closeAll();
  }
  return 0;
}
