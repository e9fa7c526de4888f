/**
 * What every MCP tool shares: the session id argument, and results as the model reads them (text,
 * structured content, or a tool error naming the code — nothing a caller sends throws out of a tool).
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Session } from '../client/types.js';

export type ToolResult = CallToolResult;

export const sessionId = z.string().min(1).max(64).describe('the session id returned by create_session (or list_sessions)');

/** Runs a tool body; any thrown error becomes a tool error result. */
export async function run(body: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await body();
  } catch (err) {
    return fail(errorText(err));
  }
}

/** Our coded errors (ServiceError, InputError, TermpoolApiError) read "CODE: message". */
export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

export function fail(message: string): ToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

export function text(body: string, structured?: object): ToolResult {
  return { content: [{ type: 'text', text: body }], ...(structured && { structuredContent: structured as Record<string, unknown> }) };
}

export function describe(s: Session): string {
  const state = s.state === 'running' ? 'running' : `exited${s.signal ? ` by ${s.signal}` : ` with code ${s.exitCode}`}`;
  return `${[s.command, ...s.args].join(' ')} (pid ${s.pid}, ${s.cols}x${s.rows}, ${state}${s.title ? `, title ${JSON.stringify(s.title)}` : ''})`;
}

/** Screen lines without the empty rows at the bottom (an empty screen stays one empty line). */
export function trimScreen(lines: readonly string[]): string {
  let end = lines.length;
  while (end > 1 && lines[end - 1] === '') end--;
  return lines.slice(0, end).join('\n');
}
