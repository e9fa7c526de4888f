/**
 * SessionViewer: a live view of one session over GET /v1/sessions/{id}/ws. Server messages come
 * as an async iterator (`for await (const m of viewer)`), an `onMessage` callback, or `next(pred)`;
 * input and resize go back over the same socket. Uses the `ws` package in Node (it can send the
 * bearer token; Node 20 has no global WebSocket) and the global WebSocket elsewhere.
 */
import { TermpoolApiError } from './errors.js';
import type { InputRequest, WsClientMessage, WsServerMessage } from './types.js';

type WsScreen = Extract<WsServerMessage, { type: 'screen' }>;
type WsExit = Extract<WsServerMessage, { type: 'exit' }>;

export interface ViewerOptions {
  /** Called for every server message, in order, as it arrives. */
  onMessage?: (msg: WsServerMessage) => void;
  /** Give up connecting after this long (default 10 000 ms). */
  connectTimeoutMs?: number;
  /**
   * Most messages kept for the iterator / next() while nobody reads them (default 10 000); older
   * ones are dropped and counted in `skipped`, so an unread viewer of a flood stays bounded.
   */
  maxQueued?: number;
}

/** The part of the WHATWG WebSocket both `ws` and the global one implement. */
interface Socket {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

interface Waiter { pred: (m: WsServerMessage) => boolean; resolve: (m: WsServerMessage) => void; reject: (e: Error) => void }

export class SessionViewer implements AsyncIterable<WsServerMessage> {
  /** The latest screen message (one arrives at once on connect). */
  screen: WsScreen | null = null;
  /** The exit message, once the program has exited. */
  exit: WsExit | null = null;
  /** Messages dropped from the queue because nobody read them. */
  skipped = 0;
  /** Resolves when the socket has closed. */
  readonly closed: Promise<{ code: number; reason: string }>;

  private readonly queue: WsServerMessage[] = [];
  private readonly waiters = new Set<Waiter>();
  private isClosed = false;
  private resolveClosed!: (v: { code: number; reason: string }) => void;

  private constructor(private readonly socket: Socket, private readonly opts: ViewerOptions) {
    this.closed = new Promise((resolve) => { this.resolveClosed = resolve; });
  }

  /** Connects; rejects with TermpoolApiError when the server refuses the upgrade (401, 404, ...). */
  static async open(url: string, headers: Record<string, string>, opts: ViewerOptions = {}): Promise<SessionViewer> {
    const socket = await createSocket(url, headers);
    const viewer = new SessionViewer(socket, opts);
    // Handlers go on before the socket opens: the first screen can arrive in the same read as
    // the upgrade answer, and would be lost if attached after `open` resolved.
    socket.onmessage = (ev) => viewer.receive(ev.data);
    socket.onclose = (ev) => viewer.finish(ev.code, ev.reason);
    await whenOpen(socket, url, opts.connectTimeoutMs ?? 10_000);
    socket.onerror = () => { /* a close event follows */ };
    return viewer;
  }

  /** Sends one client message (input or resize); a refused one comes back as an `error` message. */
  send(msg: WsClientMessage): void { this.socket.send(JSON.stringify(msg)); }

  /** Input like POST /input: exactly one of text, keys, paste, mouse. */
  input(req: InputRequest): void { this.send({ type: 'input', ...req } as WsClientMessage); }

  sendText(text: string): void { this.send({ type: 'input', text }); }

  sendKeys(keys: string[], opts: { literal?: boolean } = {}): void { this.send({ type: 'input', keys, ...(opts.literal !== undefined && { literal: opts.literal }) }); }

  resize(cols: number, rows: number): void { this.send({ type: 'resize', cols, rows }); }

  /**
   * The next queued or arriving message matching `pred` (any message when omitted); messages
   * before it are consumed. Rejects on timeout (default 10 000 ms) or when the socket closes.
   */
  next(pred: (m: WsServerMessage) => boolean = () => true, timeoutMs = 10_000): Promise<WsServerMessage> {
    while (this.queue.length > 0) {
      const m = this.queue.shift()!;
      if (pred(m)) return Promise.resolve(m);
    }
    if (this.isClosed) return Promise.reject(new Error('the viewer socket is closed'));
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        pred,
        resolve: (m) => { clearTimeout(t); this.waiters.delete(w); resolve(m); },
        reject: (e) => { clearTimeout(t); this.waiters.delete(w); reject(e); },
      };
      const t = setTimeout(() => w.reject(new Error(`no matching viewer message within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.add(w);
    });
  }

  /** The latest screen if it satisfies `pred`, else the next screen message that does. */
  async waitForScreen(pred: (s: WsScreen) => boolean, timeoutMs = 10_000): Promise<WsScreen> {
    if (this.screen && pred(this.screen)) return this.screen;
    return (await this.next((m) => m.type === 'screen' && pred(m), timeoutMs)) as WsScreen;
  }

  /** Every server message in order, until the socket closes. */
  async *[Symbol.asyncIterator](): AsyncIterator<WsServerMessage> {
    for (;;) {
      let m: WsServerMessage;
      try {
        m = await this.next(() => true, 2 ** 31 - 1);
      } catch {
        return; // closed
      }
      yield m;
    }
  }

  /** Closes the socket (the session keeps running). */
  close(): Promise<{ code: number; reason: string }> {
    if (!this.isClosed) this.socket.close(1000);
    return this.closed;
  }

  private receive(data: unknown): void {
    let m: WsServerMessage;
    try {
      m = JSON.parse(typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer).toString('utf8')) as WsServerMessage;
    } catch {
      return; // the server sends JSON text frames only
    }
    if (m.type === 'screen') this.screen = m;
    else if (m.type === 'exit') this.exit = m;
    this.opts.onMessage?.(m);
    for (const w of this.waiters) {
      if (w.pred(m)) { w.resolve(m); return; }
    }
    // A waiter that did not match still consumed the message, as next() documents.
    if (this.waiters.size > 0) return;
    this.queue.push(m);
    if (this.queue.length > (this.opts.maxQueued ?? 10_000)) { this.queue.shift(); this.skipped++; }
  }

  private finish(code: number, reason: string): void {
    this.isClosed = true;
    for (const w of [...this.waiters]) w.reject(new Error(`the viewer socket closed (${code}${reason ? ` ${reason}` : ''})`));
    this.resolveClosed({ code, reason });
  }
}

/** A socket from `ws` (Node: it can send headers) or the global WebSocket. */
async function createSocket(url: string, headers: Record<string, string>): Promise<Socket> {
  let ws: typeof import('ws') | null = null;
  try {
    ws = await import('ws');
  } catch { /* not in Node: the global WebSocket below */ }
  if (ws) return new ws.WebSocket(url, { headers }) as unknown as Socket;
  const G = (globalThis as { WebSocket?: new (url: string) => Socket }).WebSocket;
  if (!G) throw new Error('no WebSocket implementation: install the `ws` package');
  if (headers['authorization']) throw new Error('the global WebSocket cannot send a bearer token: install the `ws` package');
  return new G(url);
}

/** Resolves when the socket is open; a refused upgrade rejects with the API error it carries. */
function whenOpen(socket: Socket, url: string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => { socket.close(); reject(new Error(`could not connect to ${url} within ${timeoutMs} ms`)); }, timeoutMs);
    const done = (err: Error | null): void => {
      clearTimeout(t);
      socket.onopen = null;
      // Swallowed from here on: terminating a refused handshake emits one more error.
      socket.onerror = () => {};
      if (err) reject(err); else resolve();
    };
    socket.onopen = () => done(null);
    socket.onerror = (ev) => done(new Error(`WebSocket ${url} failed: ${(ev as { message?: string }).message ?? 'connection error'}`));
    // ws reports a refused upgrade with its HTTP answer (status and our JSON error body).
    const emitter = socket as unknown as { on?(ev: string, fn: (...a: any[]) => void): void; terminate?(): void };
    emitter.on?.('unexpected-response', (_req: unknown, res: import('node:http').IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        emitter.terminate?.();
        done(TermpoolApiError.from(res.statusCode ?? 0, `GET ${new URL(url).pathname}`, Buffer.concat(chunks).toString('utf8')));
      });
    });
  });
}
