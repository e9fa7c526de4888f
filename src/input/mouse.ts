/**
 * Mouse events → the report xterm sends, given the program's tracking mode and encoding.
 * Follows xterm's button.c (EditorButton, BtnCode, EmitMousePosition) and ctlseqs "Mouse
 * Tracking".
 *
 * Tracking mode decides which events are reported at all; an event the mode does not report
 * encodes to zero bytes (that is what xterm sends), while tracking 'none' is an error: the
 * client is clicking on a program that never asked for the mouse.
 *
 * | tracking        | press | release | scroll | move with button | move, no button |
 * |-----------------|-------|---------|--------|------------------|-----------------|
 * | x10 (?9)        | yes¹  |         |        |                  |                 |
 * | normal (?1000)  | yes   | yes     | yes    |                  |                 |
 * | button (?1002)  | yes   | yes     | yes    | yes              |                 |
 * | any (?1003)     | yes   | yes     | yes    | yes              | yes             |
 *
 * ¹ X10 reports left/middle/right presses only, with no modifier bits.
 *
 * Event code (BtnCode): button (left 0, middle 1, right 2, wheelUp 64, wheelDown 65,
 * wheelLeft 66, wheelRight 67, back 128, forward 129) + 4·shift + 8·alt + 16·ctrl, + 32 for
 * motion; motion with no button held uses button 3. A release is button 3 except in the SGR
 * encodings, which keep the button and end in `m`.
 *
 * Encodings, with 1-based x = col+1, y = row+1:
 * - default: `CSI M` then code+32, x+32, y+32 as single bytes. A cell is clamped to 0-based
 *   223 and that last position is sent as the byte 0x00, xterm's "past the end" marker, so
 *   col ≥ 223 all arrive as 0x00 (col 222 is 0xFF).
 * - utf8 (?1005): as default, but a value ≥ 128 goes as two UTF-8 bytes; the clamp and the
 *   0x00 marker move to 0-based 2015.
 * - sgr (?1006): `CSI < code ; x ; y M`, release `… m`. No limit.
 * - urxvt (?1015): `CSI code+32 ; x ; y M`. No limit.
 * - sgr-pixels (?1016): SGR with pixel coordinates. A headless terminal has no font, so a
 *   cell is {@link CELL_PIXEL_WIDTH}×{@link CELL_PIXEL_HEIGHT} pixels and an event is placed
 *   at its cell's top-left pixel: x = col·8 + 1, y = row·16 + 1 (xterm sends pixel + 1).
 *
 * Stateless by design: xterm drops motion within the same cell, and knows which button is
 * held; here the caller says so (`move` with `button`).
 */
import { InputError } from './errors.js';
import type { InputModes, MouseEncodingName, MouseTrackingName } from './modes.js';

/** The modes mouse encoding depends on. */
export type MouseModes = Pick<InputModes, 'mouseTracking' | 'mouseEncoding'>;

export type MouseAction = 'press' | 'release' | 'move' | 'scroll';
export type MouseButton =
  | 'left' | 'middle' | 'right'
  | 'wheelUp' | 'wheelDown' | 'wheelLeft' | 'wheelRight'
  | 'back' | 'forward';

export interface MouseInput {
  action: MouseAction;
  /** Required for press/release (a button) and scroll (a wheel); for move, the held button. */
  button?: MouseButton;
  /** 0-based cell row. */
  row: number;
  /** 0-based cell column. */
  col: number;
  shift?: boolean;
  alt?: boolean;
  ctrl?: boolean;
}

/** Cell size assumed by the sgr-pixels encoding (there is no font to measure). */
export const CELL_PIXEL_WIDTH = 8;
export const CELL_PIXEL_HEIGHT = 16;

/** BtnCode's button part for each button. */
const BUTTON_CODE: Record<MouseButton, number> = {
  left: 0, middle: 1, right: 2,
  wheelUp: 64, wheelDown: 65, wheelLeft: 66, wheelRight: 67,
  back: 128, forward: 129,
};
const WHEELS = new Set<MouseButton>(['wheelUp', 'wheelDown', 'wheelLeft', 'wheelRight']);

const TRACKING = new Set<string>(['none', 'x10', 'normal', 'button', 'any'] satisfies MouseTrackingName[]);
const ENCODING = new Set<string>(['default', 'utf8', 'sgr', 'urxvt', 'sgr-pixels'] satisfies MouseEncodingName[]);

/** xterm's MOUSE_LIMIT and EXT_MOUSE_LIMIT: the last 0-based cell each byte encoding can say. */
const DEFAULT_LIMIT = 255 - 32;
const UTF8_LIMIT = 2047 - 32;

const EMPTY = Buffer.alloc(0);

function bad(message: string): InputError {
  return new InputError('TP_BAD_MOUSE', message);
}

function checkCell(name: 'row' | 'col', v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw bad(`mouse ${name} must be a non-negative integer (0-based cell), got ${String(v)}`);
  }
  return v;
}

/** Validates `ev` and returns its button's code, or 3 for a buttonless move. */
function buttonOf(ev: MouseInput): number {
  const { action, button } = ev;
  if (button !== undefined && !Object.hasOwn(BUTTON_CODE, button)) {
    throw bad(`unknown mouse button ${JSON.stringify(button)}; expected one of ${Object.keys(BUTTON_CODE).join(', ')}`);
  }
  switch (action) {
    case 'scroll':
      if (button === undefined || !WHEELS.has(button)) throw bad(`a scroll needs a wheel button (wheelUp, wheelDown, wheelLeft, wheelRight), got ${String(button)}`);
      return BUTTON_CODE[button];
    case 'press':
    case 'release':
    case 'move':
      if (button === undefined) {
        if (action === 'move') return 3;
        throw bad(`a mouse ${action} needs a button`);
      }
      if (WHEELS.has(button)) throw bad(`${button} is a wheel: send it as action 'scroll'`);
      return BUTTON_CODE[button];
    default:
      throw bad(`unknown mouse action ${JSON.stringify(action)}; expected press, release, move or scroll`);
  }
}

/** Whether `tracking` reports this event at all (table in the header). */
function reported(tracking: MouseTrackingName, action: MouseAction, button: number): boolean {
  switch (tracking) {
    case 'none': return false;
    case 'x10': return action === 'press' && button <= 2;
    case 'normal': return action !== 'move';
    case 'button': return action !== 'move' || button !== 3;
    case 'any': return true;
  }
}

/** One byte-encoded coordinate (EmitMousePosition, default and utf8 cases). */
function pushPosition(out: number[], cell: number, utf8: boolean): void {
  const limit = utf8 ? UTF8_LIMIT : DEFAULT_LIMIT;
  const v = Math.min(cell, limit);
  if (v === limit) out.push(0);
  else pushValue(out, 32 + v + 1, utf8);
}

/** A byte, or in the utf8 encoding two UTF-8 bytes for values ≥ 128. */
function pushValue(out: number[], value: number, utf8: boolean): void {
  if (utf8 && value >= 0x80) out.push(0xc0 + (value >> 6), 0x80 + (value & 0x3f));
  else out.push(value);
}

/**
 * The report for `ev`, as raw bytes (a Buffer: the default encoding uses bytes ≥ 0x80 that
 * must not be UTF-8 encoded again). Empty when the tracking mode does not report the event.
 * Throws TP_MOUSE_OFF when tracking is 'none', TP_BAD_MOUSE for a malformed event.
 */
export function encodeMouse(ev: MouseInput, modes: MouseModes): Buffer {
  const tracking = modes.mouseTracking;
  const encoding = modes.mouseEncoding;
  if (!TRACKING.has(tracking)) throw new Error(`unknown mouse tracking mode ${JSON.stringify(tracking)}`);
  if (!ENCODING.has(encoding)) throw new Error(`unknown mouse encoding ${JSON.stringify(encoding)}`);

  const button = buttonOf(ev);
  const row = checkCell('row', ev.row);
  const col = checkCell('col', ev.col);
  if (tracking === 'none') {
    throw new InputError('TP_MOUSE_OFF', 'mouse mode is off: the program has not enabled mouse tracking');
  }
  if (!reported(tracking as MouseTrackingName, ev.action, button)) return EMPTY;

  const sgr = encoding === 'sgr' || encoding === 'sgr-pixels';
  let code: number;
  if (tracking === 'x10') {
    code = button; // X10 has no modifier or motion bits
  } else {
    code = ev.action === 'release' && !sgr ? 3 : button;
    if (ev.shift) code += 4;
    if (ev.alt) code += 8;
    if (ev.ctrl) code += 16;
    if (ev.action === 'move') code += 32;
  }

  switch (encoding as MouseEncodingName) {
    case 'sgr':
      return Buffer.from(`\x1b[<${code};${col + 1};${row + 1}${ev.action === 'release' ? 'm' : 'M'}`, 'latin1');
    case 'sgr-pixels': {
      const x = col * CELL_PIXEL_WIDTH + 1;
      const y = row * CELL_PIXEL_HEIGHT + 1;
      return Buffer.from(`\x1b[<${code};${x};${y}${ev.action === 'release' ? 'm' : 'M'}`, 'latin1');
    }
    case 'urxvt':
      return Buffer.from(`\x1b[${code + 32};${col + 1};${row + 1}M`, 'latin1');
    case 'default':
    case 'utf8': {
      const utf8 = encoding === 'utf8';
      const out = [0x1b, 0x5b, 0x4d]; // ESC [ M
      pushValue(out, code + 32, utf8);
      pushPosition(out, col, utf8);
      pushPosition(out, row, utf8);
      return Buffer.from(out);
    }
  }
}
