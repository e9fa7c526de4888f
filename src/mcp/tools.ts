/**
 * The MCP tool layer: termpool's terminals as tools a model can drive (create_session,
 * send_text, send_keys, wait_for, read_screen, screenshot, ...) and their screens as resources,
 * registered on an McpServer over a small `TerminalBackend` (the tools themselves by concern in
 * ./session-tools.ts, ./input-tools.ts, ./reading-tools.ts, ./resources.ts). The backend is either the in-process session registry
 * (./local-backend.ts: `termpool mcp` and the server's /mcp route) or a running server through
 * the typed client (./remote-backend.ts: `termpool mcp --url`). Every failure becomes an MCP tool
 * error (`isError: true`) naming the code and what to do; nothing a caller sends can throw out
 * of a tool.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { API_VERSION } from '../version.js';
import type {
  CreateSessionRequest, InputRequest, InputResult, RunRequest, RunResult, ScreenDelta, ScreenSnapshot, ScrollbackRange, ScrollbackSearch,
  Session, SignalName, SignalResult, WaitRequest, WaitResult,
} from '../client/types.js';
import { registerSessionTools } from './session-tools.js';
import { registerInputTools } from './input-tools.js';
import { registerReadingTools } from './reading-tools.js';
import { registerScreenResources } from './resources.js';

export { errorText } from './tool-result.js';

/** What the tools need from a session registry; local and remote backends implement it. */
export interface TerminalBackend {
  create(req: CreateSessionRequest): Promise<Session>;
  list(): Promise<Session[]>;
  /** A cluster's list (src/cluster/cluster-backend.ts): also the peers that did not answer, so list_sessions can say so. */
  listCluster?(): Promise<{ sessions: Session[]; missing: { name: string; error: string }[] }>;
  /** Kills the process group and forgets the session; resolves with its final state. */
  kill(id: string): Promise<Session>;
  input(id: string, req: InputRequest): Promise<InputResult>;
  /** Like POST /signal: to the terminal's foreground process group. */
  signal(id: string, signal: SignalName): Promise<SignalResult>;
  /** Like POST /wait: `satisfied: false` on timeout or exit is a result, not an error. */
  wait(id: string, req: WaitRequest): Promise<WaitResult>;
  /** Like POST /run: `reason: 'timeout' | 'exited'` is a result, not an error. */
  run(id: string, req: RunRequest): Promise<RunResult>;
  /** Like POST /resize: resolves once the terminal has its new size. */
  resize(id: string, cols: number, rows: number): Promise<Session>;
  /** Like GET /screen?format=text&since=: the rows changed since `since` (every row, `full`, when it is not known). */
  screenDelta(id: string, since: string): Promise<ScreenDelta>;
  /** The screen as a snapshot, with `scrollback` lines above it. */
  snapshot(id: string, scrollback: number): Promise<ScreenSnapshot>;
  scrollback(id: string, start: number, count: number): Promise<ScrollbackRange>;
  /** `regex`: query is a regular expression (flag m), not text. */
  search(id: string, query: string, limit: number, regex?: boolean): Promise<ScrollbackSearch>;
  png(id: string): Promise<Buffer>;
}

export const INSTRUCTIONS = `termpool runs real programs (bash, vim, htop, REPLs, ...) in headless terminals and lets you \
see their screens. To run shell commands: create_session with shell: "bash", then run_command for each command (it waits \
for the command to finish and returns its exit code and output). For interactive programs, a typical sequence: \
create_session → wait_for (the prompt, or stable_ms) → send_text / send_keys → \
wait_for (the output you expect, or stable_ms: 300) → read_screen. Always wait_for after sending input before reading \
the screen: programs answer asynchronously. Use screenshot only when colours or layout matter; read_screen is cheaper. \
To poll a screen cheaply, read_screen with since (the etag of the last read) returns only the rows that changed. \
Call kill_session when done.`;

/** Registers the termpool tools and the screen resources on `server`, backed by `backend`. */
export function registerTools(server: McpServer, backend: TerminalBackend): void {
  registerSessionTools(server, backend);
  registerInputTools(server, backend);
  registerReadingTools(server, backend);
  registerScreenResources(server, backend);
}

/** A new McpServer with the termpool tools on `backend`. */
export function createMcpServer(backend: TerminalBackend): McpServer {
  const server = new McpServer({ name: 'termpool', version: API_VERSION }, { instructions: INSTRUCTIONS });
  registerTools(server, backend);
  return server;
}
