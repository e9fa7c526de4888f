/**
 * /mcp: the MCP tools (src/mcp/tools.ts) over streamable HTTP, on the server's own session
 * registry and behind the same bearer auth as every route. Stateless, as the SDK recommends when
 * the server keeps no per-client state: each POST gets a fresh McpServer and transport that live
 * for that request only (sessions are addressed by id, so nothing is lost between requests), and
 * answers with plain JSON. With no server-initiated messages there is no SSE stream to open:
 * GET and DELETE answer 405, as the MCP spec allows.
 *
 * Browsers: the host guard (src/plugins/host-guard.ts) has already refused a rebinding Host and a
 * foreign Origin (on every method here) before this route runs. The SDK transport's own
 * DNS-rebinding check is on as well, fed from the same rules, so /mcp stays closed to browsers
 * even if the guard were ever bypassed for it.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TerminalBackend } from '../mcp/tools.js';
import { ServiceError } from '../errors.js';
import { clusterBackend } from '../cluster/cluster-backend.js';
import { ErrorBody } from '../schemas/common.js';

/** The MCP SDK and the tools load on the first /mcp request: most servers never get one. */
let modules: Promise<[typeof import('@modelcontextprotocol/sdk/server/streamableHttp.js'), typeof import('../mcp/tools.js'), typeof import('../mcp/local-backend.js')]> | null = null;
const load = () => (modules ??= Promise.all([
  import('@modelcontextprotocol/sdk/server/streamableHttp.js'), import('../mcp/tools.js'), import('../mcp/local-backend.js'),
]));

/**
 * One JSON-RPC 2.0 message, strict: the members JSON-RPC defines and nothing else, so a body that
 * is not JSON-RPC is refused by name like any other bad body. (MCP 2025-06-18 dropped batches.)
 */
const JsonRpcMessage = z
  .object({
    jsonrpc: z.literal('2.0'),
    id: z.union([z.string().max(256), z.number().int()]).optional().describe('absent on notifications'),
    method: z.string().min(1).max(256).optional().describe('requests and notifications, e.g. initialize, tools/list, tools/call'),
    params: z.record(z.string(), z.unknown()).optional(),
    result: z.unknown().optional().describe('responses (to server requests; this server sends none)'),
    error: z.object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() }).strict().optional(),
  })
  .strict()
  .describe('a JSON-RPC 2.0 message (MCP); see the Model Context Protocol specification, transport "Streamable HTTP"')
  .meta({ id: 'JsonRpcMessage' });

/** What the SDK's transport answers (a JSON-RPC result or error), documented loosely. */
const JsonRpcAnswer = z.looseObject({ jsonrpc: z.literal('2.0') }).meta({ id: 'JsonRpcAnswer' });

const mcpRoutes: FastifyPluginAsyncZod = async (app) => {
  let backend: TerminalBackend | null = null;

  app.post('/mcp', {
    schema: {
      summary: 'MCP over streamable HTTP (stateless, JSON responses)',
      description: 'Model Context Protocol endpoint: POST one JSON-RPC message or a batch (Accept: application/json, ' +
        'text/event-stream). Tools: create_session, list_sessions, kill_session, resize_session, run_command, send_text, ' +
        'send_keys, paste_text, mouse_click, send_signal, wait_for, read_screen (since: only changed rows), read_scrollback, ' +
        'screenshot; resources termpool://sessions/{id}/screen. Point an MCP client\'s streamable HTTP transport at this URL.',
      tags: ['mcp'],
      body: JsonRpcMessage,
      response: {
        200: { description: 'the JSON-RPC response', content: { 'application/json': { schema: JsonRpcAnswer } } },
        202: { description: 'accepted (a notification or response; no body)', content: { 'application/json': { schema: z.null() } } },
        400: { description: 'not a JSON-RPC message (ours) or not an MCP one (the transport\'s)', content: { 'application/json': { schema: z.union([ErrorBody, JsonRpcAnswer]) } } },
        401: ErrorBody,
        403: { description: 'a foreign Origin (the host guard\'s ORIGIN_NOT_ALLOWED, or the transport\'s own check)', content: { 'application/json': { schema: z.union([ErrorBody, JsonRpcAnswer]) } } },
        406: { description: 'Accept lacks application/json and text/event-stream', content: { 'application/json': { schema: JsonRpcAnswer } } },
        413: ErrorBody,
        415: { description: 'not application/json', content: { 'application/json': { schema: z.union([ErrorBody, JsonRpcAnswer]) } } },
      },
    },
  }, async (req, reply) => {
    const [{ StreamableHTTPServerTransport }, { createMcpServer }, { localBackend }] = await load();
    backend ??= localBackend(app.sessions);
    // In a cluster (TERMPOOL_PEERS) tool calls on a peer's session go to that peer, with this caller's token.
    const peers = app.sessions.config.peers;
    const server = createMcpServer(peers === null ? backend : clusterBackend(backend, app.sessions, peers, req.headers.authorization));
    const host = req.headers.host;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      // The SDK compares whole Host values (port included) and cannot know which ports reach this
      // server (a tunnel may forward another one), so it gets this request's Host when the guard's
      // rule allows it, and otherwise a value no Host can be (an empty list would switch it off).
      enableDnsRebindingProtection: true,
      allowedHosts: [host !== undefined && app.hostGuard.hostAllowed(host) ? host : '\u0000'],
      allowedOrigins: app.hostGuard.origins(host),
    });
    // The transport writes the answer itself; fastify must not send one too.
    reply.hijack();
    reply.raw.once('close', () => { void transport.close(); void server.close(); });
    try {
      await server.connect(transport);
      await transport.handleRequest(req.raw, reply.raw, req.body);
    } catch (err) {
      req.log.error({ err }, 'mcp request failed');
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'internal server error' }, id: null }));
      }
    }
  });

  for (const method of ['GET', 'DELETE'] as const) {
    app.route({
      method,
      url: '/mcp',
      schema: {
        summary: `${method} /mcp: not supported (stateless MCP server)`,
        description: 'This MCP endpoint is stateless and sends no server-initiated messages, so there is no SSE stream ' +
          '(GET) and no MCP session to end (DELETE): 405, as the streamable HTTP transport specifies.',
        tags: ['mcp'],
        response: { 401: ErrorBody, 405: ErrorBody },
      },
      handler: async (_req, reply) => {
        reply.header('allow', 'POST');
        throw new ServiceError('METHOD_NOT_ALLOWED', `${method} /mcp is not supported: this MCP server is stateless (no SSE stream, no MCP session); POST JSON-RPC messages`);
      },
    });
  }
};

export default mcpRoutes;
