/**
 * XTWINOPS — `CSI Ps ; Ps ; Ps t`: the window reports and the title stack, as xterm answers
 * them with its default resources (allowWindowOps false, disallowedWindowOps
 * "20,21,SetXprop,SetSelection": every report is answered except the two title reports).
 *
 * Owns the answers. There is no window: the "window", the "screen" and the text area are all the
 * terminal's own cells, drawn in CELL_WIDTH × CELL_HEIGHT pixel cells — the PNG/SVG renderers'
 * default cell (src/render/svg.ts), so a program sizing an image for the screen gets the size
 * termpool draws. Answers:
 *   11        `CSI 1 t`               not iconified
 *   13, 13;2  `CSI 3 ; 0 ; 0 t`       window / text-area position (the origin)
 *   14, 14;2  `CSI 4 ; h ; w t`       text area / window in pixels
 *   15        `CSI 5 ; h ; w t`       screen in pixels (the same area)
 *   16        `CSI 6 ; ch ; cw t`     one cell in pixels
 *   18        `CSI 8 ; rows ; cols t` text area in characters
 *   19        `CSI 9 ; rows ; cols t` screen in characters
 *   20, 21    nothing: xterm disallows the icon-label and title reports by default because a
 *             program that can set the title and then ask for it can type into its own input
 *             (an old attack: a `cat`ed file sets the title to a command, asks for it, and the
 *             shell reads it as typed). termpool keeps that default and has no switch for it.
 *   22;Ps     push the title (title-stack.ts); 23;Ps pop it
 * Window changes (1–10, 24+: resize, move, raise, DECSLPP) are ignored: the session's size is set
 * through the API, never by the program.
 */
import type { Terminal } from './terminal.js';

/** The pixel cell reports assume: the renderers' default cell. */
export const CELL_WIDTH = 8;
export const CELL_HEIGHT = 16;

/** Answer or apply window op `op` with its next two parameters (0 when absent). */
export function windowOp(t: Terminal, op: number, a: number, _b: number): void {
  const r = windowReport(op, a, t.rows, t.cols);
  if (r !== null) { t.reply(r); return; }
  if (op === 22) t.titles.push(a, t.title);
  else if (op === 23) {
    const title = t.titles.pop(a);
    if (title !== null) t.setTitle(title);
  }
}

/** The report for `op` (and its first parameter `a`), or null when it is not a report we give. */
export function windowReport(op: number, a: number, rows: number, cols: number): string | null {
  switch (op) {
    case 11: return '\x1b[1t';
    case 13: return a === 0 || a === 2 ? '\x1b[3;0;0t' : null;
    case 14: return a === 0 || a === 2 ? `\x1b[4;${rows * CELL_HEIGHT};${cols * CELL_WIDTH}t` : null;
    case 15: return `\x1b[5;${rows * CELL_HEIGHT};${cols * CELL_WIDTH}t`;
    case 16: return `\x1b[6;${CELL_HEIGHT};${CELL_WIDTH}t`;
    case 18: return `\x1b[8;${rows};${cols}t`;
    case 19: return `\x1b[9;${rows};${cols}t`;
    default: return null;
  }
}
