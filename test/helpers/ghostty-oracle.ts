/**
 * ghostty-oracle — renders bytes with ghostty-web (Ghostty's VT core compiled to WebAssembly), the
 * second oracle of the differential tests (test/engine/differential*.test.ts).
 *
 * NOTE: one WebAssembly *instance* per terminal. A ghostty-web instance reused for many terminals
 * traps (its allocator state is shared); the module is compiled once and instantiated for each
 * terminal (about 8 ms), and the instance is dropped with the terminal.
 *
 * Screens are returned the way our engine's `screenLines()` returns them: exactly `rows` strings,
 * right-trimmed of U+0020, a wide character once (its spacer cell contributes nothing). Colours
 * come back from Ghostty resolved to RGB; the terminal is configured with xterm's 16-colour
 * palette (termpool's `paletteRgb`) and default colours no palette entry has, so a cell's colour
 * says whether it is default, a palette entry or RGB as far as can be told.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ghostty, type GhosttyTerminal } from 'ghostty-web';
import { paletteRgb } from '../../src/engine/index.js';

/** Default foreground/background given to Ghostty: values no palette index resolves to. */
export const GHOSTTY_DEFAULT_FG = 0x010203;
export const GHOSTTY_DEFAULT_BG = 0x040506;

/** CellFlags of ghostty-web (its enum, copied: the package's const enum is not importable at runtime in every loader). */
export const GhosttyFlag = {
  bold: 1, italic: 2, underline: 4, strikethrough: 8, inverse: 16, invisible: 32, blink: 64, faint: 128,
} as const;

/**
 * The little of the WebAssembly API used here. NOTE: tsconfig's lib has no DOM, and @types/node
 * does not declare the WebAssembly namespace, so it is typed locally.
 */
interface Wasm {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<object>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

let modulePromise: Promise<object> | null = null;

function ghosttyModule(): Promise<object> {
  if (!modulePromise) {
    const require = createRequire(import.meta.url);
    const wasm = require.resolve('ghostty-web/ghostty-vt.wasm');
    modulePromise = wasmApi.compile(readFileSync(wasm));
  }
  return modulePromise;
}

/** A fresh Ghostty terminal in its own WebAssembly instance. Call `free()` when done. */
export async function createGhostty(cols: number, rows: number, scrollback = 10_000): Promise<GhosttyTerminal> {
  const instance = await wasmApi.instantiate(await ghosttyModule(), { env: { log: () => {} } });
  const palette = Array.from({ length: 16 }, (_, i) => paletteRgb(i));
  return new Ghostty(instance as ConstructorParameters<typeof Ghostty>[0]).createTerminal(cols, rows, {
    scrollbackLimit: scrollback, fgColor: GHOSTTY_DEFAULT_FG, bgColor: GHOSTTY_DEFAULT_BG, palette,
  });
}

/** One visible cell as Ghostty resolves it. */
export interface GhosttyCellRead {
  /** The grapheme; '' for the spacer half of a wide character, ' ' for a blank cell. */
  text: string;
  flags: number;
  fg: number;
  bg: number;
}

/** The visible screen: rows × cols cells. */
export function ghosttyCells(t: GhosttyTerminal): GhosttyCellRead[][] {
  t.update();
  const vp = t.getViewport();
  const out: GhosttyCellRead[][] = [];
  for (let y = 0; y < t.rows; y++) {
    const row: GhosttyCellRead[] = [];
    for (let x = 0; x < t.cols; x++) {
      const c = vp[y * t.cols + x]!;
      let text: string;
      if (c.width === 0) text = '';
      else if (c.codepoint === 0) text = ' ';
      else if (c.grapheme_len > 0) text = t.getGraphemeString(y, x);
      else text = String.fromCodePoint(c.codepoint);
      row.push({
        text,
        flags: c.flags,
        fg: (c.fg_r << 16) | (c.fg_g << 8) | c.fg_b,
        bg: (c.bg_r << 16) | (c.bg_g << 8) | c.bg_b,
      });
    }
    out.push(row);
  }
  return out;
}

/** The visible screen as text, right-trimmed of U+0020. */
export function ghosttyScreenLines(t: GhosttyTerminal): string[] {
  return ghosttyCells(t).map((row) => row.map((c) => c.text).join('').replace(/ +$/, ''));
}

/** Cursor as [row, col] (Ghostty parks a pending wrap on the last column, as we do). */
export function ghosttyCursor(t: GhosttyTerminal): [number, number] {
  const c = t.getCursor();
  return [c.y, c.x];
}

/** Every reply Ghostty queued (DSR, DECRQM, ...), joined. */
export function ghosttyReplies(t: GhosttyTerminal): string {
  let out = '';
  for (let r = t.readResponse(); r !== null; r = t.readResponse()) out += r;
  return out;
}
