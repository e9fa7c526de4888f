/**
 * Screens as MCP resources: `termpool://sessions/{id}/screen`, one per session (listed from the
 * backend's sessions at each resources/list), read as the screen's text — what read_screen gives
 * without options — so a client can attach a terminal's screen as context.
 */
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { TerminalBackend } from './tools.js';
import { trimScreen } from './tool-result.js';

export const SCREEN_URI = 'termpool://sessions/{id}/screen';
export const screenUri = (id: string): string => `termpool://sessions/${encodeURIComponent(id)}/screen`;

export function registerScreenResources(server: McpServer, backend: TerminalBackend): void {
  const template = new ResourceTemplate(SCREEN_URI, {
    list: async () => ({
      resources: (await backend.list()).map((s) => ({
        uri: screenUri(s.id),
        name: `${s.id} screen`,
        description: `The screen of ${[s.command, ...s.args].join(' ')} (${s.cols}x${s.rows}, ${s.state})`,
        mimeType: 'text/plain',
      })),
    }),
  });
  server.registerResource('screen', template, {
    title: 'Terminal screen',
    description: 'What a session\'s terminal shows now, as text (trailing spaces and empty rows trimmed)',
    mimeType: 'text/plain',
  }, async (uri, vars) => {
    // An unknown id throws the backend's coded error, which the SDK answers as a JSON-RPC error.
    const id = decodeURIComponent(String(vars.id));
    const snap = await backend.snapshot(id, 0);
    return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: trimScreen(snap.lines.map((l) => l.text.trimEnd())) }] };
  });
}
