/**
 * MCP over stdio: one McpServer with the termpool tools on stdin/stdout (JSON-RPC lines), for
 * MCP clients that start `termpool mcp` themselves (Claude Desktop, editors, agents). stdout
 * belongs to the protocol, so nothing else may write to it. Resolves when the client closes
 * stdin or the process gets SIGTERM/SIGINT; the caller then ends the sessions.
 */
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer, type TerminalBackend } from './tools.js';

export async function serveStdio(backend: TerminalBackend, stdin: Readable = process.stdin, stdout: Writable = process.stdout): Promise<string> {
  const server = createMcpServer(backend);
  const transport = new StdioServerTransport(stdin, stdout);
  const ended = new Promise<string>((resolve) => {
    // The transport does not notice end of input by itself: a client that goes away closes stdin.
    stdin.once('end', () => resolve('stdin closed'));
    stdin.once('close', () => resolve('stdin closed'));
    transport.onclose = () => resolve('transport closed');
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  await server.connect(transport);
  const why = await ended;
  await server.close().catch(() => { /* already closed */ });
  // After a signal stdin is still open and would keep the process alive.
  stdin.destroy();
  return why;
}
