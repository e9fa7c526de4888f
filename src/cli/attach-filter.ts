/**
 * What `termpool attach` lets through from a session's output to the person's own terminal.
 *
 * attach writes the program's output to a real terminal, so a program in the session could
 * otherwise set the person's clipboard (OSC 52), palette or title, or ask the terminal a
 * question (DA, DSR/CPR, DECRQM, DECRQSS, XTGETTCAP, OSC 10/11 `?`, CSI 14/18/21 t, ...) whose
 * answer the terminal types into stdin — which in --write mode goes to the session: terminal
 * response injection. tmux is immune because it re-renders; we get the same effect by parsing the
 * output with the engine's own streaming parser and re-emitting only an allowlist: printable
 * text, C0 layout controls, cursor/erase/scroll/SGR/mode CSIs that draw and answer nothing,
 * charset designations, and OSC 8 hyperlinks. Everything else (every other OSC, DCS, APC, PM,
 * SOS, every reporting CSI, window operations, unknown sequences) is dropped.
 *
 * Titles (OSC 0/1/2) are dropped too, as tmux does unless `set-titles` is on: the title of the
 * person's window is theirs, and it is what title-reporting attacks plant their payload in.
 *
 * Streaming: the parser keeps its state between write() calls, so a sequence split across
 * WebSocket frames is recognised whole and re-emitted (or dropped) once complete.
 */
import { Parser, type ParamsView, type ParserHandler } from '../engine/index.js';

const ESC = '\x1b';
const ST = '\x1b\\';

/** C0 controls that only move the cursor, ring the bell or shift charsets. NUL, ENQ (answerback) and the rest are dropped. */
const C0_SAFE = new Set([0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f]);
/** 8-bit C1 controls with a harmless 7-bit twin: IND, NEL, HTS, RI. */
const C1_AS_ESC: Record<number, string> = { 0x84: 'D', 0x85: 'E', 0x88: 'H', 0x8d: 'M' };

/** CSI finals (no private marker, no intermediates) that draw and never answer. */
const CSI_PLAIN = new Set('@ABCDEFGHIJKLMPSTXZ`abdefgmrsu'.split('').map((c) => c.charCodeAt(0)));
/** ANSI modes for SM/RM: IRM (4), LNM (20). KAM (2) would lock the keyboard, SRM (12) turn on local echo. */
const ANSI_MODES = new Set([4, 20]);
/**
 * DEC private modes for DECSET/DECRST: cursor keys, screen/origin/wrap, cursor blink and
 * visibility, the alternate screens, keypad, mouse reporting and its encodings, focus events,
 * bracketed paste, synchronized output. Left out: DECCOLM (resizes the window), the meta-key
 * modes, and modes whose whole point is unsolicited reports (2031 theme, 2048 resize).
 */
const DEC_MODES = new Set([1, 5, 6, 7, 8, 9, 12, 25, 45, 47, 66, 69, 1000, 1002, 1003, 1004, 1005, 1006, 1007, 1015, 1016, 1047, 1048, 1049, 2004, 2026]);
/** ESC finals without intermediates: DECSC, DECRC, IND, NEL, HTS, RI, DECKPAM, DECKPNM. RIS is rewritten; DECID (ESC Z) asks for DA. */
const ESC_PLAIN = new Set('78DEHM=>'.split('').map((c) => c.charCodeAt(0)));

const ch = (c: number): string => String.fromCharCode(c);
const Q = 0x3f; // '?'

/** Parameters back to their text: `38:2::1:2:3;1`, empty slots kept empty. */
function paramText(p: ParamsView): string {
  let s = '';
  for (let i = 0; i < p.length; i++) {
    if (i > 0) s += ';';
    if (!p.isEmpty(i)) s += String(p.get(i, 0));
    for (let j = 0; j < p.subLength(i); j++) {
      const v = p.sub(i, j, -1);
      s += v < 0 ? ':' : `:${v}`;
    }
  }
  return s;
}

/** SM/RM/DECSET/DECRST with only the allowed modes kept; '' when none is left. */
function modeText(p: ParamsView, allowed: ReadonlySet<number>): string {
  const kept: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const m = p.get(i, -1);
    if (allowed.has(m)) kept.push(m);
  }
  return kept.join(';');
}

/** OSC text without anything a terminal could read as a control (the parser already ended the string at ST/BEL). */
const oscSafe = (s: string): string => s.replace(/[\x00-\x1f\x7f-\x9f]/g, '');

/** The OSC 8 hyperlinks kept, bounded: a link target longer than this is dropped. */
const MAX_OSC8 = 4096;

export class AttachFilter {
  private out = '';
  private readonly parser: Parser;
  private readonly encoder = new TextEncoder();
  /** Sequences dropped so far (for a test to count, and for the curious). */
  dropped = 0;

  constructor() {
    const self = this;
    const handler: ParserHandler = {
      print(cps, start, end) {
        if (end - start <= 8) { // a few CJK or accented characters between ASCII runs: no subarray
          for (let i = start; i < end; i++) self.out += String.fromCodePoint(cps[i]!);
          return;
        }
        for (let i = start; i < end; i += 1024) {
          self.out += String.fromCodePoint(...cps.subarray(i, Math.min(end, i + 1024)));
        }
      },
      // Printable ASCII straight from the bytes: most output is this, and it needs no decoding.
      printAscii(data, start, end) {
        let j = start;
        while (j < end && data[j]! >= 0x20 && data[j]! < 0x7f) j++;
        self.out += Buffer.from(data.buffer, data.byteOffset + start, j - start).toString('latin1');
        return j;
      },
      execute(code) {
        if (C0_SAFE.has(code)) self.out += ch(code);
        else if (C1_AS_ESC[code] !== undefined) self.out += ESC + C1_AS_ESC[code];
        else self.dropped++;
      },
      csiDispatch(prefix, params, intermediates, final) {
        const s = csiText(prefix, params, intermediates, final);
        if (s === null) self.dropped++;
        else self.out += s;
      },
      escDispatch(intermediates, final) {
        const s = escText(intermediates, final);
        if (s === null) self.dropped++;
        else self.out += s;
      },
      oscDispatch(data) {
        // OSC 8 ; params ; URI — the only OSC that reaches the person's terminal.
        if (data.startsWith('8;') && data.length <= MAX_OSC8) self.out += `${ESC}]${oscSafe(data)}${ST}`;
        else self.dropped++;
      },
      dcsHook() { self.dropped++; },
      dcsPut() { /* DCS payload: never passed on */ },
      dcsUnhook() { /* nothing was emitted for its hook */ },
    };
    this.parser = new Parser(handler);
  }

  /** The safe bytes for this piece of output (a sequence it ends is included; one it starts waits for the rest). */
  write(data: string): string {
    return this.writeBytes(this.encoder.encode(data));
  }

  /** The same for raw bytes (a UTF-8 character may straddle calls). */
  writeBytes(data: Uint8Array): string {
    this.parser.parse(data);
    const s = this.out;
    this.out = '';
    return s;
  }

  /** Forget a partial sequence: output was skipped (a dropped message), what follows starts afresh. */
  reset(): void {
    this.parser.reset();
    this.out = '';
  }
}

function csiText(prefix: number, p: ParamsView, intermediates: number, final: number): string | null {
  if (prefix === 0 && intermediates === 0) {
    if (final === 0x68 || final === 0x6c) { // SM / RM
      const modes = modeText(p, ANSI_MODES);
      return modes === '' ? null : `${ESC}[${modes}${ch(final)}`;
    }
    if (!CSI_PLAIN.has(final)) return null; // DA, DSR/CPR, window ops (t), DECREQTPARM, media copy...
    if (final === 0x54 && p.length > 1) return null; // CSI Ps;Ps;Ps;Ps;Ps T: XTHIMOUSE, not SD
    return `${ESC}[${paramText(p)}${ch(final)}`;
  }
  if (prefix === Q && intermediates === 0) {
    if (final === 0x68 || final === 0x6c) { // DECSET / DECRST
      const modes = modeText(p, DEC_MODES);
      return modes === '' ? null : `${ESC}[?${modes}${ch(final)}`;
    }
    if (final === 0x4a || final === 0x4b) return `${ESC}[?${paramText(p)}${ch(final)}`; // DECSED / DECSEL
    return null; // ?n (DSR), ?u (kitty keys query), ?$p (DECRQM) ...
  }
  if (prefix === 0 && intermediates === 0x20 && final === 0x71) return `${ESC}[${paramText(p)} q`; // DECSCUSR
  if (prefix === 0 && intermediates === 0x21 && final === 0x70) return `${ESC}[!p`; // DECSTR
  return null; // >c, =c, >q (XTVERSION), $p (DECRQM), *y (DECRQCRA), >m (modifyOtherKeys) ...
}

function escText(intermediates: number, final: number): string | null {
  if (intermediates === 0) {
    if (ESC_PLAIN.has(final)) return ESC + ch(final);
    // RIS would also reset what attach set up (scroll region, input modes): a soft reset and a clear instead.
    if (final === 0x63) return `${ESC}[!p${ESC}[H${ESC}[2J`;
    return null; // DECID (ESC Z) asks for DA; locking shifts; unknown
  }
  if (intermediates >= 0x28 && intermediates <= 0x2b) return ESC + ch(intermediates) + ch(final); // SCS: G0..G3 charsets
  if (intermediates === 0x23 && final >= 0x33 && final <= 0x38 && final !== 0x37) return `${ESC}#${ch(final)}`; // DECDHL/DECSWL/DECDWL/DECALN
  return null; // ESC % @ (leave UTF-8), ESC SP F/G (S7C1T/S8C1T) ...
}
