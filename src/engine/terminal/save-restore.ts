/**
 * DECSC/DECRC (and SCOSC/SCORC, mode 1048): the saved cursor is per screen and carries the
 * position, rendition, charsets and origin mode.
 */
import { Charset } from '../stream/actions.js';
import { Cursor } from './screen.js';
import type { Terminal } from './terminal.js';

/** DECSC — ESC 7  @vt DECSC */
export function saveCursor(t: Terminal): void {
  const s = t.active;
  s.saved ??= new Cursor();
  s.saved.copyFrom(s.cursor);
  s.saved.originMode = t.modes.origin;
}

/**
 * DECRC — ESC 8: with nothing saved, home with default rendition and charsets. The pending
 * wrap is never restored (xterm: at 10 columns `CSI 1;10H v ESC 7 CSI 3;1H ESC 8 ^` overwrites v).
 * @vt DECRC
 */
export function restoreCursor(t: Terminal): void {
  const s = t.active;
  const c = s.cursor;
  if (s.saved === null) {
    c.x = 0; c.y = 0; c.style.reset(); c.pendingWrap = false;
    c.charsets = [Charset.Ascii, Charset.Ascii, Charset.Ascii, Charset.Ascii]; c.gl = 0;
    t.modes.origin = false;
    return;
  }
  c.copyFrom(s.saved);
  // xterm does not save the pending wrap: the next character overwrites the last column.
  c.pendingWrap = false;
  t.modes.origin = s.saved.originMode;
  c.x = Math.min(c.x, t.cols - 1);
  c.y = Math.min(c.y, t.rows - 1);
}
