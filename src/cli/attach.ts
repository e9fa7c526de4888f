/**
 * `termpool attach ID`: a person's terminal on a running session, over the session's WebSocket.
 *
 * The local screen is drawn once from the session's screen (styled: the ANSI render of a JSON
 * snapshot), then the program's output is written as it comes, so the local terminal keeps it
 * up to date itself — through AttachFilter (attach-filter.ts), which lets only drawing through:
 * no clipboard, palette or title changes, and no queries whose answers the local terminal would
 * type back into the session. Read-only by default: keystrokes are not sent, only the
 * detach key is read (a read-only viewer must never type into someone's session by mistake);
 * --write sends them as raw input bytes (the protocol's `input` message with `text`).
 *
 * Exit status: 0 detached (the detach key, SIGTERM/SIGINT/SIGHUP) or the session's program
 * exited; 1 the server could not be reached or the connection was lost; 2 usage errors and a
 * refused attach (unknown session, bad token, archived session), as `assert` treats them.
 *
 * The local tty's mode is restored on every way out: the normal ends restore it before
 * resolving, and a process 'exit' handler covers a throw we did not foresee.
 */
import { parseArgs } from 'node:util';
import { StringDecoder } from 'node:string_decoder';
import type { ReadStream } from 'node:tty';
import type { ScreenSnapshot } from '../engine/index.js';
import type { SessionViewer } from '../client/viewer.js';
import type { WsServerMessage } from '../client/types.js';
import { CliError, type Io } from './errors.js';
import { AttachFilter } from './attach-filter.js';

export const ATTACH_USAGE = `usage: termpool attach ID [--url URL] [--token T] [--write [--resize]] [--detach-key KEY]
  ID               the session to attach to
  --url URL        the server (default: $TERMPOOL_URL)
  --token T        its bearer token (default: $TERMPOOL_TOKEN)
  --write          send keystrokes to the session (default: watch only; keys are not sent)
  --resize         with --write: resize the session to this terminal (also when it is resized)
  --detach-key KEY the key that detaches: C-\\ (default), C-], C-a ... C-z, or ^X
  -h, --help       show this help

Stdin must be a terminal for --write (it is put in raw mode); read-only watching also works
without one (no keys are read then: end it with a signal).
exit status: 0 detached or the session's program exited, 1 connection failed or lost,
2 usage error or a refused attach (unknown session, bad token).
`;

export interface AttachOptions {
  id: string;
  url: string;
  token?: string;
  write: boolean;
  resize: boolean;
  /** The detach key's byte (Ctrl-\ = 0x1c). */
  detachByte: number;
  detachName: string;
}

/**
 * C-x / ^x for the control characters a keyboard sends with Ctrl: @, A–Z, [, \, ], ^, _.
 * Only single bytes: a detach key must be recognisable in any chunk of raw input.
 */
export function parseDetachKey(s: string): number {
  const m = /^(?:C-|\^)(.)$/i.exec(s);
  const c = m?.[1]?.toUpperCase();
  if (c === undefined || c < '@' || c > '_') throw new CliError(`attach: --detach-key must be C-\\, C-], C-a ... C-z or ^X, got '${s}'`);
  return c.charCodeAt(0) ^ 0x40;
}

export function parseAttachArgs(args: readonly string[], env: NodeJS.ProcessEnv): AttachOptions | null {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        url: { type: 'string' }, token: { type: 'string' }, write: { type: 'boolean' }, resize: { type: 'boolean' },
        'detach-key': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    const msg = (err instanceof Error ? err.message : String(err)).split(/\.\s/)[0]!;
    throw new CliError(`attach: ${msg}`);
  }
  if (values.help) return null;
  if (positionals.length !== 1) throw new CliError(positionals.length === 0 ? 'attach: missing session ID' : `attach: one session ID, got ${positionals.length}`);
  if (values.resize && !values.write) throw new CliError('attach: --resize goes with --write (a watcher never changes the session)');
  const url = values.url ?? env['TERMPOOL_URL'];
  if (url === undefined || url === '') throw new CliError('attach: needs --url URL (or TERMPOOL_URL)');
  if (!/^https?:\/\/[^/]/.test(url)) throw new CliError(`attach: --url must be an http(s) URL (got '${url}')`);
  const token = values.token ?? env['TERMPOOL_TOKEN'];
  const detachName = values['detach-key'] ?? 'C-\\';
  return {
    id: positionals[0]!, url, write: values.write ?? false, resize: values.resize ?? false,
    detachByte: parseDetachKey(detachName), detachName,
    ...(token !== undefined && token !== '' && { token }),
  };
}

/**
 * Undoes what the session's output may have switched on in the local terminal: mouse reporting,
 * bracketed paste, application keys, a scroll region, the alternate screen, a hidden cursor.
 * Left on, they would garble the shell the person returns to.
 */
const RESET_LOCAL = '\x1b[0m\x1b]8;;\x1b\\\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1005l\x1b[?1006l\x1b[?1004l' +
  '\x1b[?2004l\x1b[?1l\x1b>\x1b[r\x1b[?1049l\x1b[?25h\x1b[0 q';

const MOUSE_MODE: Record<string, number> = { x10: 9, normal: 1000, button: 1002, any: 1003 };
const MOUSE_ENCODING: Record<string, number> = { utf8: 1005, sgr: 1006, urxvt: 1015, 'sgr-pixels': 1016 };

/** The session's input modes, set locally so the keys (and mouse) the terminal sends are what the program expects. */
function inputModes(s: ScreenSnapshot): string {
  const m = s.modes;
  let out = '';
  if (m.applicationCursorKeys) out += '\x1b[?1h';
  if (m.applicationKeypad) out += '\x1b=';
  if (m.bracketedPaste) out += '\x1b[?2004h';
  if (m.focusEvents) out += '\x1b[?1004h';
  const mouse = MOUSE_MODE[m.mouseTracking];
  if (mouse !== undefined) out += `\x1b[?${mouse}h`;
  const enc = MOUSE_ENCODING[m.mouseEncoding];
  if (mouse !== undefined && enc !== undefined) out += `\x1b[?${enc}h`;
  return out;
}

type WsScreen = Extract<WsServerMessage, { type: 'screen' }>;

/** A screen message drawn as plain text (after dropped output, or when the styled snapshot is stale). */
function drawText(s: WsScreen): string {
  return '\x1b[0m\x1b[H\x1b[2J' + s.lines.join('\r\n') + `\x1b[${s.cursor.row + 1};${s.cursor.col + 1}H` + (s.cursor.visible ? '\x1b[?25h' : '\x1b[?25l');
}

const sameText = (snap: ScreenSnapshot, s: WsScreen): boolean =>
  snap.cols === s.cols && snap.rows === s.rows && snap.cursor.row === s.cursor.row && snap.cursor.col === s.cursor.col &&
  snap.lines.length === s.lines.length && snap.lines.every((l, i) => l.text === s.lines[i]);

export async function runAttach(args: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const o = parseAttachArgs(args, env);
  if (o === null) {
    io.stdout.write(ATTACH_USAGE);
    return 0;
  }
  const stdin = io.stdin as Partial<ReadStream> & typeof io.stdin;
  const tty = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  if (o.write && !tty) throw new CliError('attach: --write needs a terminal on stdin (read-only watching does not)');
  const out = io.stdout as typeof io.stdout & { columns?: number; rows?: number };

  const { TermpoolClient, TermpoolApiError } = await import('../client/index.js');
  const { renderAnsi } = await import('../render/ansi.js');
  const client = new TermpoolClient({ url: o.url, ...(o.token !== undefined && { token: o.token }) });
  const refused = (err: unknown): never => {
    if (err instanceof TermpoolApiError) throw new CliError(`attach: session ${o.id}: ${err.message}`);
    // fetch wraps the socket's error (ECONNREFUSED ...) in `cause`, sometimes twice.
    let why = err instanceof Error ? err.message : String(err);
    for (let e = err as { cause?: unknown; code?: unknown; message?: unknown } | undefined; e; e = e.cause as typeof e) {
      if (typeof e.code === 'string') { why = e.code; break; }
      if (typeof e.message === 'string') why = e.message;
    }
    throw new CliError(`attach: cannot reach ${o.url}: ${why}`, 1);
  };

  // The styled screen first, then the socket: its first screen message is the exact point the
  // output stream starts from. Text and cursor equal → the styled draw is that screen (styles
  // changed in between are the only thing it can miss); otherwise the text draw is used.
  let snap: ScreenSnapshot;
  try {
    snap = await client.screen(o.id, { format: 'json' });
  } catch (err) { return refused(err); }

  // Said before the first draw (which clears the screen), so it also stays in the output of a
  // non-terminal; a terminal taller than the session keeps it below the session's rows as well.
  const mode = o.write ? 'read-write: your keys go to the session' : 'read-only: keys are not sent (--write takes over)';
  const sessionSize = `${snap.cols}x${snap.rows}`;
  const localSize = `${out.columns ?? '?'}x${out.rows ?? '?'}`;
  const sizeNote = tty && out.columns && out.rows && localSize !== sessionSize && !o.resize
    ? `; session is ${sessionSize}, this terminal ${localSize}` : '';
  const notice = `[attached to ${o.id}, ${mode}; ${tty ? `${o.detachName} detaches` : 'not a terminal: end with a signal'}${sizeNote}]`;
  const status = `[${o.id} ${o.write ? 'read-write' : 'read-only'} | ${o.detachName} detaches${sizeNote ? ` | session ${sessionSize}, terminal ${localSize}` : ''}]`;
  // A taller terminal: the session's rows become the scroll region, so its output scrolls where
  // it would in the session (and a status line fits below). A program that sets its own region
  // undoes this; --write --resize makes the sizes equal instead.
  const statusRow = tty && !o.resize && out.rows !== undefined && out.rows > snap.rows ? snap.rows + 1 : 0;

  let finish!: (code: number, line: string) => void;
  const done = new Promise<{ code: number; line: string }>((resolve) => { finish = (code, line) => resolve({ code, line }); });
  let drawn = false;
  let redraw = false;
  const pending: string[] = [];
  const filter = new AttachFilter();
  const onMessage = (m: WsServerMessage): void => {
    switch (m.type) {
      case 'screen':
        if (!drawn) {
          drawn = true;
          let first = '\x1b[0m\x1b[H\x1b[2J';
          if (statusRow > 0) first = `\x1b[1;${snap.rows}r` + first;
          if (snap.modes.alternateScreen) first = '\x1b[?1049h' + first;
          first += sameText(snap, m) ? renderAnsi(snap, { title: false }) : drawText(m).slice('\x1b[0m\x1b[H\x1b[2J'.length);
          if (statusRow > 0) first += `\x1b7\x1b[${statusRow};1H\x1b[7m${status.slice(0, out.columns)}\x1b[0m\x1b8`;
          if (o.write) first += inputModes(snap);
          out.write(first + pending.join(''));
          pending.length = 0;
        } else if (redraw) {
          redraw = false;
          filter.reset(); // the skipped output may have ended inside a sequence
          out.write(drawText(m));
        }
        return;
      case 'output':
        if (!drawn) pending.push(filter.write(m.data));
        else if (!redraw) out.write(filter.write(m.data));
        return;
      case 'dropped':
        // Output was skipped for this slow viewer: the screen message that follows is drawn instead.
        redraw = true;
        return;
      case 'exit':
        finish(0, `[session ${o.id} exited with ${m.exitCode ?? m.signal ?? 'unknown status'}]`);
        return;
      case 'error':
        // A refused input (the program exited, a full input backlog): say so, without ending.
        if (m.error !== 'SESSION_EXITED') out.write('\x07');
        return;
      default:
        return;
    }
  };

  io.stderr.write(`${notice}\n`);

  // From here on the local terminal is ours: raw mode (set before the first draw, so the draw is
  // not mangled by the tty's output processing) and what the output switched on are undone on
  // every way out, including an exception and process.exit.
  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    if (tty) { try { stdin.setRawMode!(false); } catch { /* the tty is gone */ } }
    if (drawn) out.write(RESET_LOCAL + '\n');
  };
  process.once('exit', restore);
  const onSignal = (): void => finish(0, `[detached from ${o.id}]`);
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);

  let viewer: SessionViewer | undefined;
  const onWinch = (): void => {
    if (o.resize && out.columns && out.rows) viewer?.resize(out.columns, out.rows);
  };
  const decoder = new StringDecoder('utf8');
  const onData = (chunk: Buffer): void => {
    const at = chunk.indexOf(o.detachByte);
    if (o.write) {
      const text = decoder.write(at < 0 ? chunk : chunk.subarray(0, at));
      if (text !== '') viewer?.sendText(text);
    } else if (at < 0) {
      out.write('\x07'); // read-only: a bell says the keys went nowhere
    }
    if (at >= 0) finish(0, `[detached from ${o.id}]`);
  };

  try {
    if (tty) stdin.setRawMode!(true);
    try {
      viewer = await client.view(o.id, { onMessage, maxQueued: 1 });
    } catch (err) { return refused(err); }
    viewer.closed.then(({ code, reason }) => finish(1, `termpool: attach: connection to ${o.url} lost (${code}${reason ? ` ${reason}` : ''})`), () => {});
    if (tty) {
      stdin.on('data', onData);
      stdin.resume();
    }
    if (o.resize) {
      process.on('SIGWINCH', onWinch);
      onWinch();
    }
    const r = await done;
    restore();
    (r.code === 0 ? io.stdout : io.stderr).write(`${r.line}\n`);
    return r.code;
  } finally {
    restore();
    process.off('exit', restore);
    for (const s of signals) process.off(s, onSignal);
    process.off('SIGWINCH', onWinch);
    stdin.off('data', onData);
    if (tty) stdin.pause();
    await viewer?.close();
  }
}
