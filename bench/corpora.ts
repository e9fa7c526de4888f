/**
 * Deterministic benchmark corpora: byte streams shaped like what real programs write to a pty.
 *
 * Owns the generators only (no timing). Every generator is seeded, so two runs, two machines
 * and two engines always parse byte-identical input: numbers are comparable across commits.
 *
 *   plain   `seq`-style numbers and timestamped log lines: the print fast path.
 *   styled  dense SGR (16 / 256 / RGB colours, bold, underline, italics) around short words,
 *           like `ls --color`, compiler diagnostics or lolcat.
 *   tui     full-screen redraws (alt screen, CUP, EL/ED, DECSTBM scroll regions, wide CJK and
 *           emoji cells, synchronized output), like htop/vim/tmux repainting 80x24.
 *
 * Beside them, the committed real captures (bench/captures/, read by capture-files.ts).
 */
import { captureCorpus } from './capture-files.js';

/** The terminal size every corpus is written for (the TUI corpus addresses it directly). */
export const CORPUS_COLS = 80;
export const CORPUS_ROWS = 24;

export interface Corpus {
  name: string;
  description: string;
  bytes: Uint8Array;
}

export type SyntheticCorpusName = 'plain' | 'styled' | 'tui';
/** A generated corpus, `real` (every committed capture) or one capture's name (bench/captures/). */
export type CorpusName = SyntheticCorpusName | (string & {});
export const CORPUS_NAMES: readonly SyntheticCorpusName[] = ['plain', 'styled', 'tui'];

const ESC = '\x1b';
const CSI = '\x1b[';

/** mulberry32: tiny, fast, good enough for shaping text; the point is determinism. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Appends string pieces and encodes them in large batches: building one giant JS string first
 * would double peak memory for nothing, and per-piece encoding is slow.
 */
class ByteBuilder {
  private readonly out: Uint8Array;
  private length = 0;
  private pending: string[] = [];
  private pendingChars = 0;
  private readonly encoder = new TextEncoder();

  constructor(private readonly target: number) {
    // Headroom: the last batch may overshoot the target before we stop.
    this.out = new Uint8Array(target + (1 << 20));
  }

  get size(): number {
    return this.length + this.pendingChars;
  }

  get full(): boolean {
    return this.size >= this.target;
  }

  push(s: string): void {
    this.pending.push(s);
    this.pendingChars += s.length;
    if (this.pendingChars > 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const room = this.out.length - this.length;
    const { written } = this.encoder.encodeInto(this.pending.join(''), this.out.subarray(this.length));
    if (written === undefined || written > room) throw new Error('corpus builder overflow');
    this.length += written;
    this.pending = [];
    this.pendingChars = 0;
  }

  finish(): Uint8Array {
    this.flush();
    // A copy of exactly the produced bytes, so the headroom is not retained.
    return this.out.slice(0, this.length);
  }
}

const WORDS = [
  'request', 'handler', 'timeout', 'session', 'connect', 'upstream', 'cache', 'miss', 'hit',
  'worker', 'queue', 'flush', 'commit', 'retry', 'error', 'warning', 'config', 'loaded',
  'page', 'pool', 'terminal', 'resize', 'render', 'parse', 'byte', 'stream', 'socket', 'closed',
];
const PATHS = ['/api/sessions', '/api/sessions/42/input', '/healthz', '/metrics', '/ws', '/api/screen'];
const LEVELS = ['INFO', 'DEBUG', 'WARN', 'ERROR', 'TRACE'];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

/** plain: alternating blocks of `seq` output and log lines, CRLF as a pty's onlcr produces. */
export function plainCorpus(targetBytes: number, seed = 1): Uint8Array {
  const r = rng(seed);
  const b = new ByteBuilder(targetBytes);
  let n = 1;
  let t = Date.UTC(2024, 0, 1);
  while (!b.full) {
    for (let i = 0; i < 2000; i++) b.push(`${n++}\r\n`);
    for (let i = 0; i < 2000; i++) {
      t += Math.floor(r() * 50);
      const words = [];
      for (let w = 2 + Math.floor(r() * 8); w > 0; w--) words.push(pick(r, WORDS));
      b.push(
        `${new Date(t).toISOString()} ${pick(r, LEVELS).padEnd(5)} [worker-${Math.floor(r() * 16)}] ` +
          `${words.join(' ')} path=${pick(r, PATHS)} id=${Math.floor(r() * 1e9).toString(16)} ` +
          `took=${Math.floor(r() * 900)}ms\r\n`,
      );
    }
  }
  return b.finish();
}

function sgrFor(r: () => number): string {
  const parts: string[] = [];
  const kind = r();
  if (kind < 0.3) parts.push(String(30 + Math.floor(r() * 8) + (r() < 0.5 ? 60 : 0)));
  else if (kind < 0.6) parts.push(`38;5;${Math.floor(r() * 256)}`);
  else parts.push(`38;2;${Math.floor(r() * 256)};${Math.floor(r() * 256)};${Math.floor(r() * 256)}`);
  const bg = r();
  if (bg < 0.15) parts.push(String(40 + Math.floor(r() * 8)));
  else if (bg < 0.25) parts.push(`48;5;${Math.floor(r() * 256)}`);
  else if (bg < 0.3) parts.push(`48;2;${Math.floor(r() * 256)};${Math.floor(r() * 256)};${Math.floor(r() * 256)}`);
  if (r() < 0.25) parts.push('1');
  if (r() < 0.15) parts.push('4');
  if (r() < 0.05) parts.push('4:3');
  if (r() < 0.1) parts.push('3');
  if (r() < 0.05) parts.push('2');
  return `${CSI}${parts.join(';')}m`;
}

/** styled: every word carries its own SGR, lines end with a reset; about 1 escape per 6 bytes. */
export function styledCorpus(targetBytes: number, seed = 2): Uint8Array {
  const r = rng(seed);
  const b = new ByteBuilder(targetBytes);
  let line = 0;
  while (!b.full) {
    const pieces: string[] = [];
    let col = 0;
    while (col < CORPUS_COLS - 12) {
      const w = pick(r, WORDS);
      pieces.push(sgrFor(r), w, r() < 0.5 ? `${CSI}0m ` : ' ');
      col += w.length + 1;
    }
    // Every few lines a compiler-style diagnostic with a caret underline, as real tools emit.
    if (++line % 7 === 0) pieces.push(`${CSI}0m\r\n${CSI}1;32m    ^~~~~~~~${CSI}0m ${CSI}1;31merror${CSI}0m`);
    pieces.push(`${CSI}0m\r\n`);
    b.push(pieces.join(''));
  }
  return b.finish();
}

const WIDE = ['漢', '字', '日', '本', '語', '中', '文', '한', '국', '🙂', '🚀', '📦', '✅'];

/** One row of "process table" text, with a wide char now and then. */
function tuiRow(r: () => number, width: number): string {
  let s = '';
  let col = 0;
  while (col < width - 10) {
    if (r() < 0.08) {
      s += pick(r, WIDE);
      col += 2;
    } else {
      const w = pick(r, WORDS);
      s += w + ' ';
      col += w.length + 1;
    }
  }
  return s;
}

/**
 * tui: frames on an 80x24 alternate screen. Each frame repaints a header, a scrolling
 * region in the middle (DECSTBM + LF at the bottom margin, as tmux/less do), a handful of
 * absolutely positioned cells (htop's meters), EL-cleared rows and a status line; every
 * 50th frame is a full ED 2 repaint.
 */
export function tuiCorpus(targetBytes: number, seed = 3): Uint8Array {
  const r = rng(seed);
  const b = new ByteBuilder(targetBytes);
  b.push(`${CSI}?1049h${CSI}?25l${CSI}H${CSI}2J`);
  let frame = 0;
  while (!b.full) {
    const p: string[] = [`${CSI}?2026h`];
    if (frame % 50 === 0) {
      p.push(`${CSI}H${CSI}2J`);
      for (let row = 1; row <= CORPUS_ROWS; row++) p.push(`${CSI}${row};1H${tuiRow(r, CORPUS_COLS)}`);
    }
    // Header with reverse video and a clock-like counter.
    p.push(`${CSI}1;1H${CSI}7m termpool-bench frame ${frame} ${CSI}K${CSI}0m`);
    // Scroll region rows 3..20: append 1-3 lines at the bottom margin so the region scrolls.
    p.push(`${CSI}3;20r`);
    for (let k = 1 + Math.floor(r() * 3); k > 0; k--) {
      p.push(`${CSI}20;1H\n${CSI}38;5;${Math.floor(r() * 256)}m${tuiRow(r, CORPUS_COLS)}${CSI}0m${CSI}K`);
    }
    p.push(`${CSI}r`);
    // Meters: absolute CUPs into random cells, overwriting parts of rows (including wide cells).
    for (let k = 0; k < 12; k++) {
      const row = 2 + Math.floor(r() * 20);
      const col = 1 + Math.floor(r() * (CORPUS_COLS - 8));
      p.push(`${CSI}${row};${col}H${CSI}${r() < 0.5 ? '1;32' : '31'}m${'|'.repeat(1 + Math.floor(r() * 6))}${CSI}0m`);
    }
    // Clear to end of line / below at random spots, as partial redraws do.
    p.push(`${CSI}${21 + Math.floor(r() * 2)};1H${CSI}K${tuiRow(r, 40)}`);
    if (frame % 10 === 5) p.push(`${CSI}23;1H${CSI}J`);
    // Status line, cursor left at the prompt.
    p.push(`${CSI}24;1H${CSI}44;97m ${pick(r, WORDS)} ${frame % 100}% ${CSI}K${CSI}0m${ESC}7${CSI}24;70H${ESC}8`);
    p.push(`${CSI}?2026l`);
    b.push(p.join(''));
    frame++;
  }
  // Stay on the alt screen: the final-screen comparison then checks the redraw result.
  b.push(`${CSI}?25h`);
  return b.finish();
}

const DESCRIPTIONS: Record<SyntheticCorpusName, string> = {
  plain: 'seq numbers + log lines (print fast path, LF scrolling)',
  styled: 'dense SGR: 16/256/RGB fg+bg, bold/underline/italic per word',
  tui: 'alt-screen redraws: CUP, EL/ED, DECSTBM scrolling, wide CJK/emoji',
};

/** A generated corpus, or a real capture (capture-files.ts: verified against its sha256 first). */
export function makeCorpus(name: CorpusName, targetBytes: number): Corpus {
  if (name === 'plain') return { name, description: DESCRIPTIONS.plain, bytes: plainCorpus(targetBytes) };
  if (name === 'styled') return { name, description: DESCRIPTIONS.styled, bytes: styledCorpus(targetBytes) };
  if (name === 'tui') return { name, description: DESCRIPTIONS.tui, bytes: tuiCorpus(targetBytes) };
  return captureCorpus(name, targetBytes);
}
