/**
 * Live viewers of one session (the WebSocket route's sockets): fans the program's output out to
 * every viewer, sends coalesced screen snapshots, and keeps a slow viewer from growing memory.
 *
 * Screen messages come in two formats, chosen per viewer on connect: `text` (lines) and `html`
 * (also each row rendered by src/render/html.ts, for the web viewer); each is built once per
 * change for all viewers that asked for it, and only when someone asked for it.
 *
 * Owns: the viewer set, one UTF-8 decoder per session (output is decoded once for all viewers,
 * so a character split across pty reads arrives whole in the later frame), the screen timer,
 * and each viewer's backpressure state. Subscribes to the session's events; unsubscribes when
 * the last viewer leaves or the session closes.
 *
 * Backpressure (per viewer; nothing is queued in termpool itself):
 *   - Output and screen messages are *droppable*. Before sending one, the viewer's
 *     `bufferedAmount` (bytes ws has not yet handed to the kernel) is checked; above
 *     OUTPUT_HIGH_WATER_BYTES (1 MiB) the viewer is marked *behind* and droppable messages for it
 *     are skipped (output bytes counted).
 *   - A behind viewer is polled every SCREEN_INTERVAL_MS; once its buffer is down to
 *     RESUME_LOW_WATER_BYTES it gets one {type:'dropped', bytes} (when output was skipped) and a
 *     fresh screen, and output flows again. The screen makes up for the skipped output.
 *   - Control messages (exit, error replies, the dropped notice) are never dropped; a viewer whose
 *     buffer is over HARD_LIMIT_BYTES when one is due (a client that sends requests but does not
 *     read the replies) is closed with 1013 (try again later).
 *   So a viewer costs at most HARD_LIMIT_BYTES plus one message, whatever the program writes,
 *   and other viewers and sessions are not slowed: the pty is never paused for a viewer.
 */
import { StringDecoder } from 'node:string_decoder';
import { renderHtmlRows } from '../render/html.js';
import type { WsScreen, WsServerMessage } from '../schemas/ws.js';
import type { Session } from './session.js';

/** Above this many unsent bytes a viewer's output and screen messages are dropped. */
export const OUTPUT_HIGH_WATER_BYTES = 1 << 20;
/** A behind viewer resumes once its unsent bytes are down to this. */
export const RESUME_LOW_WATER_BYTES = 64 << 10;
/** A viewer this far behind when a message that cannot be dropped is due is closed (1013). */
export const HARD_LIMIT_BYTES = 4 << 20;
/** Screen messages are sent at most this often; behind viewers are polled this often. */
export const SCREEN_INTERVAL_MS = 50;

const OPEN = 1;

/** What a viewer's screen messages carry: text lines, or text lines plus rendered HTML rows. */
export type ScreenFormat = 'text' | 'html';
const FORMATS: readonly ScreenFormat[] = ['text', 'html'];

/** What the hub needs of a socket (ws's WebSocket has it). */
export interface ViewerSocket {
  readonly readyState: number;
  /** Bytes queued and not yet written to the kernel. */
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export class Viewer {
  /** Droppable messages are being skipped until the socket drains. */
  behind = false;
  /** Output bytes skipped since the viewer fell behind. */
  droppedBytes = 0;
  /** Total output bytes ever skipped for this viewer (for logs and tests). */
  totalDroppedBytes = 0;
  private drainTimer: NodeJS.Timeout | null = null;

  constructor(readonly socket: ViewerSocket, private readonly hub: ViewerHub, readonly format: ScreenFormat = 'text') {}

  get open(): boolean { return this.socket.readyState === OPEN; }

  /** Sends a message that must arrive (exit, error, dropped); closes a hopelessly slow viewer. */
  sendControl(msg: WsServerMessage): void {
    if (!this.open) return;
    if (this.socket.bufferedAmount > HARD_LIMIT_BYTES) {
      this.socket.close(1013, 'viewer too slow');
      return;
    }
    this.socket.send(JSON.stringify(msg));
  }

  /** Sends an output or screen message unless the viewer is behind; `bytes` = output bytes it carries. */
  sendDroppable(json: string, bytes: number): void {
    if (!this.open) return;
    if (!this.behind && this.socket.bufferedAmount > OUTPUT_HIGH_WATER_BYTES) this.fallBehind();
    if (this.behind) {
      this.droppedBytes += bytes;
      this.totalDroppedBytes += bytes;
      return;
    }
    this.socket.send(json);
  }

  /** Stops timers (socket closed). */
  dispose(): void {
    if (this.drainTimer) { clearInterval(this.drainTimer); this.drainTimer = null; }
  }

  private fallBehind(): void {
    this.behind = true;
    this.drainTimer = setInterval(() => {
      if (!this.open) { this.dispose(); return; }
      if (this.socket.bufferedAmount > RESUME_LOW_WATER_BYTES) return;
      this.dispose();
      this.behind = false;
      const bytes = this.droppedBytes;
      this.droppedBytes = 0;
      if (bytes > 0) this.sendControl({ type: 'dropped', bytes });
      this.hub.sendScreenTo(this);
    }, SCREEN_INTERVAL_MS);
    this.drainTimer.unref();
  }
}

export class ViewerHub {
  private readonly viewers = new Set<Viewer>();
  private readonly decoder = new StringDecoder('utf8');
  private screenTimer: NodeJS.Timeout | null = null;
  private lastScreenAt = 0;
  /** JSON of the last screen broadcast per format: an unchanged screen is not sent again. */
  private readonly lastScreen: Record<ScreenFormat, string> = { text: '', html: '' };
  private attached = false;

  /** `onIdle` runs when the hub has no viewers left or the session closed (the owner forgets it). */
  constructor(readonly session: Session, private readonly onIdle: () => void) {}

  get size(): number { return this.viewers.size; }

  /** Adds a viewer: it gets the current screen at once (and the exit status if the program is gone). */
  add(socket: ViewerSocket, format: ScreenFormat = 'text'): Viewer {
    const v = new Viewer(socket, this, format);
    this.viewers.add(v);
    this.session.watchers++;
    this.attach();
    this.sendScreenTo(v);
    const s = this.session;
    if (!s.running) v.sendControl({ type: 'exit', exitCode: s.exitCode, signal: s.signal });
    return v;
  }

  remove(v: Viewer): void {
    v.dispose();
    if (!this.viewers.delete(v)) return;
    this.session.watchers--;
    // Watching counted as activity; the idle period starts again when the last viewer leaves.
    this.session.touch();
    if (this.viewers.size === 0) this.detach();
  }

  /** A fresh screen for one viewer (on connect and when it catches up). */
  sendScreenTo(v: Viewer): void {
    const json = this.screenJson(v.format);
    if (json !== null) v.sendDroppable(json, 0);
  }

  private readonly onOutput = (chunk: Buffer): void => {
    const data = this.decoder.write(chunk);
    if (data === '') return;
    this.broadcastOutput(data, chunk.length);
  };

  private readonly onUpdate = (): void => {
    if (this.screenTimer !== null) return;
    const delay = Math.max(0, this.lastScreenAt + SCREEN_INTERVAL_MS - Date.now());
    this.screenTimer = setTimeout(() => this.flushScreen(), delay);
  };

  private readonly onExit = (exitCode: number | null, signal: string | null): void => {
    const rest = this.decoder.end();
    if (rest !== '') this.broadcastOutput(rest, 0);
    this.flushScreen();
    for (const v of this.viewers) v.sendControl({ type: 'exit', exitCode, signal });
  };

  private readonly onClosed = (): void => {
    for (const v of this.viewers) {
      v.dispose();
      if (v.open) v.socket.close(1000, 'session closed');
    }
    this.session.watchers -= this.viewers.size;
    this.viewers.clear();
    this.detach();
  };

  private broadcastOutput(data: string, bytes: number): void {
    const json = JSON.stringify({ type: 'output', data } satisfies WsServerMessage);
    for (const v of this.viewers) v.sendDroppable(json, bytes);
  }

  private flushScreen(): void {
    if (this.screenTimer !== null) { clearTimeout(this.screenTimer); this.screenTimer = null; }
    this.lastScreenAt = Date.now();
    for (const format of FORMATS) {
      let json: string | null | undefined;
      for (const v of this.viewers) {
        if (v.format !== format) continue;
        if (json === undefined) {
          json = this.screenJson(format);
          if (json === null || json === this.lastScreen[format]) break;
          this.lastScreen[format] = json;
        }
        v.sendDroppable(json!, 0);
      }
    }
  }

  /** The screen as served (the last complete frame during mode 2026), or null once disposed. */
  private screenJson(format: ScreenFormat): string | null {
    const s = this.session;
    if (s.isDisposed) return null;
    const t = s.terminal;
    let msg: WsScreen;
    if (format === 'html') {
      const f = s.snapshot(0);
      const html = renderHtmlRows(f);
      msg = {
        type: 'screen', cols: f.cols, rows: f.rows, lines: f.lines.map((l) => l.text),
        cursor: { row: f.cursor.row, col: f.cursor.col, visible: f.cursor.visible },
        title: f.title, alternateScreen: f.modes.alternateScreen,
        html: html.rows, fg: html.fg, bg: html.bg, scrollbackLength: t.scrollbackLength,
      };
    } else if (s.inFrame) {
      const f = s.snapshot(0);
      msg = {
        type: 'screen', cols: f.cols, rows: f.rows, lines: f.lines.map((l) => l.text),
        cursor: { row: f.cursor.row, col: f.cursor.col, visible: f.cursor.visible },
        title: f.title, alternateScreen: f.modes.alternateScreen,
      };
    } else {
      msg = {
        type: 'screen', cols: t.cols, rows: t.rows, lines: s.screenLines(),
        cursor: { row: t.cursor.y, col: t.cursor.x, visible: t.modes.cursorVisible },
        title: t.title, alternateScreen: t.altActive,
      };
    }
    return JSON.stringify(msg);
  }

  private attach(): void {
    if (this.attached) return;
    this.attached = true;
    const s = this.session;
    s.on('output', this.onOutput);
    s.on('update', this.onUpdate);
    s.on('exit', this.onExit);
    s.on('closed', this.onClosed);
  }

  private detach(): void {
    if (this.screenTimer !== null) { clearTimeout(this.screenTimer); this.screenTimer = null; }
    if (this.attached) {
      this.attached = false;
      const s = this.session;
      s.off('output', this.onOutput);
      s.off('update', this.onUpdate);
      s.off('exit', this.onExit);
      s.off('closed', this.onClosed);
    }
    this.onIdle();
  }
}
