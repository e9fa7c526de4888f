/**
 * TermpoolClient: one method per REST route of termpool, over the global fetch (Node 20+), with
 * the bearer token on every request. Bodies and answers are typed from the server's zod schemas
 * (./types.ts); any 4xx/5xx except a wait's 408 becomes a TermpoolApiError.
 */
import { TermpoolApiError } from './errors.js';
import type {
  CommandList, CommandsOptions, CreateSessionRequest, Health, RunRequest, RunResult, InputRequest, InputResult, MouseEvent, ScreenDelta, ScreenSnapshot, ScrollbackRange,
  ScrollbackSearch, Session, SignalName, SignalResult, WaitRequest, WaitResult,
} from './types.js';
import { SessionViewer, type ViewerOptions } from './viewer.js';

export interface ClientOptions {
  /** Where termpool listens, e.g. http://127.0.0.1:7681 (a trailing slash is fine). */
  url: string;
  /** TERMPOOL_TOKEN of the server, sent as `Authorization: Bearer <token>`; omit when auth is off. */
  token?: string;
  /** Extra headers on every request (a gateway's, say). */
  headers?: Record<string, string>;
  /** A fetch to use instead of the global one (to instrument or proxy requests). */
  fetch?: typeof fetch;
}

/** Text formats of GET /screen; `json` gives a ScreenSnapshot and `png` a Buffer. */
export type TextScreenFormat = 'text' | 'ansi' | 'html' | 'svg';

interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Statuses besides 2xx that carry a normal answer (408 for wait). */
  accept?: number[];
  signal?: AbortSignal;
  /** Extra request headers (If-None-Match). */
  headers?: Record<string, string>;
}

export class TermpoolClient {
  readonly url: string;
  readonly token: string | undefined;
  private readonly headers: Record<string, string>;
  private readonly doFetch: typeof fetch;

  constructor(opts: ClientOptions) {
    this.url = opts.url.replace(/\/+$/, '');
    this.token = opts.token || undefined;
    this.headers = { ...opts.headers, ...(this.token && { authorization: `Bearer ${this.token}` }) };
    this.doFetch = opts.fetch ?? globalThis.fetch;
  }

  /** GET /healthz (no auth needed). */
  health(): Promise<Health> { return this.json('GET', '/healthz'); }

  /** GET /metrics: Prometheus text format. */
  async metrics(): Promise<string> { return (await this.request('GET', '/metrics')).text(); }

  /** POST /v1/sessions: starts `command` under a new pty. */
  createSession(req: CreateSessionRequest): Promise<Session> { return this.json('POST', '/v1/sessions', { body: req }); }

  /** GET /v1/sessions: running and retained exited sessions. */
  async listSessions(): Promise<Session[]> {
    return (await this.json<{ sessions: Session[] }>('GET', '/v1/sessions')).sessions;
  }

  getSession(id: string): Promise<Session> { return this.json('GET', sessionPath(id)); }

  /** DELETE /v1/sessions/{id}: kills the process group; answers with the session as it ended. */
  deleteSession(id: string): Promise<Session> { return this.json('DELETE', sessionPath(id)); }

  /** POST /v1/sessions/{id}/resize. */
  resize(id: string, cols: number, rows: number): Promise<Session> {
    return this.json('POST', sessionPath(id, 'resize'), { body: { cols, rows } });
  }

  /** POST /v1/sessions/{id}/input with exactly one of text, keys, paste, mouse. */
  input(id: string, req: InputRequest): Promise<InputResult> { return this.json('POST', sessionPath(id, 'input'), { body: req }); }

  /** Writes text as is ("\r" is Enter). */
  sendText(id: string, text: string): Promise<InputResult> { return this.input(id, { text }); }

  /**
   * Key names encoded for the program's modes: tmux-style (Enter, C-c, M-x, Up, F5, S-Tab, ...) or Playwright-style
   * (ArrowUp, Control+c, Shift+Tab, Meta+x). With `literal: true` items that are not key names are typed as text:
   * `sendKeys(id, ['exit 123', 'Enter'], { literal: true })`.
   */
  sendKeys(id: string, keys: string[], opts: { literal?: boolean } = {}): Promise<InputResult> {
    return this.input(id, { keys, ...(opts.literal !== undefined && { literal: opts.literal }) });
  }

  /** Pasted text, bracketed when the program enabled bracketed paste. */
  paste(id: string, text: string): Promise<InputResult> { return this.input(id, { paste: text }); }

  /** A mouse event; 409 TP_MOUSE_OFF unless the program enabled mouse tracking. */
  mouse(id: string, event: MouseEvent): Promise<InputResult> { return this.input(id, { mouse: event }); }

  /**
   * POST /v1/sessions/{id}/signal: sends `signal` to the terminal's foreground process group (what Ctrl-C reaches);
   * a 409 SESSION_EXITED once the program has exited.
   */
  signal(id: string, signal: SignalName): Promise<SignalResult> { return this.json('POST', sessionPath(id, 'signal'), { body: { signal } }); }

  /** GET /v1/sessions/{id}/screen; `scrollback` adds that many lines above the screen. */
  screen(id: string, opts?: { format?: TextScreenFormat; scrollback?: number }): Promise<string>;
  screen(id: string, opts: { format: 'json'; scrollback?: number }): Promise<ScreenSnapshot>;
  screen(id: string, opts: { format: 'png'; scrollback?: number }): Promise<Buffer>;
  async screen(id: string, opts: { format?: TextScreenFormat | 'json' | 'png'; scrollback?: number } = {}): Promise<string | ScreenSnapshot | Buffer> {
    const format = opts.format ?? 'text';
    const r = await this.request('GET', sessionPath(id, 'screen'), { query: { format, scrollback: opts.scrollback } });
    if (format === 'json') return (await r.json()) as ScreenSnapshot;
    if (format === 'png') return Buffer.from(await r.arrayBuffer());
    return r.text();
  }

  /**
   * GET /screen with its ETag: `ifNoneMatch` (an earlier `etag`) answers `{ notModified: true }` (HTTP 304, no body)
   * when the screen is unchanged, so a poller downloads nothing (PNG included).
   */
  async screenIfChanged(id: string, opts: { format?: TextScreenFormat | 'json' | 'png'; scrollback?: number; ifNoneMatch?: string } = {}):
    Promise<{ notModified: true; etag: string } | { notModified: false; etag: string; body: string | ScreenSnapshot | Buffer }> {
    const format = opts.format ?? 'text';
    const r = await this.request('GET', sessionPath(id, 'screen'), {
      query: { format, scrollback: opts.scrollback }, accept: [304], ...(opts.ifNoneMatch !== undefined && { headers: { 'if-none-match': opts.ifNoneMatch } }),
    });
    const etag = r.headers.get('etag') ?? '';
    if (r.status === 304) return { notModified: true, etag };
    const body = format === 'json' ? (await r.json()) as ScreenSnapshot : format === 'png' ? Buffer.from(await r.arrayBuffer()) : await r.text();
    return { notModified: false, etag, body };
  }

  /**
   * GET /screen?since=<etag> (format text, or json for cells too): the rows changed since the screen that ETag named;
   * pass the answer's `etag` next time. An ETag the server no longer remembers gives every row with `full: true`.
   */
  screenDelta(id: string, since: string, opts: { format?: 'text' | 'json' } = {}): Promise<ScreenDelta> {
    return this.json('GET', sessionPath(id, 'screen'), { query: { format: opts.format ?? 'text', since } });
  }

  /** The visible screen as right-trimmed lines (exactly `rows` of them). */
  async screenLines(id: string): Promise<string[]> {
    return (await this.screen(id)).replace(/\n$/, '').split('\n');
  }

  /** GET /v1/sessions/{id}/scrollback: `count` lines from `start` (0 = oldest kept). */
  scrollback(id: string, opts: { start?: number; count?: number } = {}): Promise<ScrollbackRange> {
    return this.json('GET', sessionPath(id, 'scrollback'), { query: { start: opts.start, count: opts.count } });
  }

  /**
   * GET /v1/sessions/{id}/scrollback?q=: case-sensitive search of scrollback then screen; with
   * `regex: true`, `query` is a regular expression (flag m) instead (?regex=).
   */
  search(id: string, query: string, opts: { limit?: number; regex?: boolean } = {}): Promise<ScrollbackSearch> {
    const q = opts.regex === true ? { regex: query } : { q: query };
    return this.json('GET', sessionPath(id, 'scrollback'), { query: { ...q, limit: opts.limit } });
  }

  /**
   * POST /v1/sessions/{id}/wait: resolves when every given condition holds (`satisfied: true`)
   * or with `satisfied: false` on timeout or when the program exited first — never throws for that;
   * `failing` then names the conditions that did not hold. E.g. `{ absent: 'Loading' }`,
   * `{ title: { regex: '^vim' } }`, `{ cursor: { row: 5 } }`, `{ cell: { row: 7, col: 2, inverse: true } }`, `{ text: '$ ' }`.
   */
  wait(id: string, req: WaitRequest, opts: { signal?: AbortSignal } = {}): Promise<WaitResult> {
    return this.json('POST', sessionPath(id, 'wait'), { body: req, accept: [408], ...(opts.signal && { signal: opts.signal }) });
  }

  /**
   * POST /v1/sessions/{id}/run (a session with shell integration): types `command`, resolves with
   * its exit code and output once it finished — or `reason: 'timeout' | 'exited'` (HTTP 408), never
   * thrown. Accepts a string: `run(id, 'make test')`.
   */
  run(id: string, req: RunRequest | string, opts: { signal?: AbortSignal } = {}): Promise<RunResult> {
    const body = typeof req === 'string' ? { command: req } : req;
    return this.json('POST', sessionPath(id, 'run'), { body, accept: [408], ...(opts.signal && { signal: opts.signal }) });
  }

  /** GET /v1/sessions/{id}/commands: the shell's commands with id above `after` (oldest first). */
  commands(id: string, opts: CommandsOptions = {}): Promise<CommandList> {
    return this.json('GET', sessionPath(id, 'commands'), { query: { after: opts.after, limit: opts.limit } });
  }

  /** Opens GET /v1/sessions/{id}/ws; resolves once connected (a refused upgrade throws TermpoolApiError). */
  view(id: string, opts: ViewerOptions = {}): Promise<SessionViewer> {
    const wsUrl = this.url.replace(/^http/, 'ws') + sessionPath(id, 'ws');
    return SessionViewer.open(wsUrl, this.headers, opts);
  }

  private async json<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    return (await (await this.request(method, path, opts)).json()) as T;
  }

  /** One request; throws TermpoolApiError for a status outside 2xx and `accept`. */
  private async request(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    let url = this.url + path;
    const params = Object.entries(opts.query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined);
    if (params.length > 0) url += '?' + new URLSearchParams(params.map(([k, v]): [string, string] => [k, String(v)])).toString();
    const headers = { ...this.headers, ...opts.headers, ...(opts.body !== undefined && { 'content-type': 'application/json' }) };
    const r = await this.doFetch(url, {
      method,
      headers,
      ...(opts.body !== undefined && { body: JSON.stringify(opts.body) }),
      ...(opts.signal && { signal: opts.signal }),
    });
    if (r.ok || opts.accept?.includes(r.status)) return r;
    throw TermpoolApiError.from(r.status, `${method} ${path}`, await r.text());
  }
}

function sessionPath(id: string, sub?: string): string {
  return `/v1/sessions/${encodeURIComponent(id)}${sub ? `/${sub}` : ''}`;
}
