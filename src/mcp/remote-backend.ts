/**
 * The MCP tools' backend over a running termpool server, through the typed client: what
 * `termpool mcp --url URL [--token T]` uses. API errors arrive as TermpoolApiError (code and
 * message from the server), which the tool layer turns into tool errors.
 */
import type { TermpoolClient } from '../client/index.js';
import type { TerminalBackend } from './tools.js';

export function remoteBackend(client: TermpoolClient): TerminalBackend {
  return {
    create: (req) => client.createSession(req),
    list: () => client.listSessions(),
    kill: (id) => client.deleteSession(id),
    input: (id, req) => client.input(id, req),
    signal: (id, sig) => client.signal(id, sig),
    wait: (id, req) => client.wait(id, req),
    run: (id, req) => client.run(id, req),
    resize: (id, cols, rows) => client.resize(id, cols, rows),
    screenDelta: (id, since) => client.screenDelta(id, since),
    snapshot: (id, scrollback) => client.screen(id, { format: 'json', scrollback }),
    scrollback: (id, start, count) => client.scrollback(id, { start, count }),
    search: (id, query, limit, regex) => client.search(id, query, { limit, regex }),
    png: (id) => client.screen(id, { format: 'png' }),
  };
}
