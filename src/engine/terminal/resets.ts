/**
 * RIS (full reset: new screens, every mode, tab stop and colour back to its default; the
 * scrollback numbering carries on) and DECSTR (soft reset: modes, margins, rendition).
 */
import { Charset } from '../stream/actions.js';
import { ProtectMode } from './edit.js';
import { Modes } from './modes.js';
import { Screen } from './screen.js';
import { defaultTabs } from './tabs.js';
import type { Terminal } from './terminal.js';

/** RIS — ESC c  @vt RIS */
export function fullReset(t: Terminal): void {
  const historyEnd = t.primary.list.historyEnd;
  t.primary.dispose();
  t.alt?.dispose();
  t.alt = null;
  t.primary = new Screen(t.pool, t.label, t.cols, t.rows, t.maxScrollback);
  t.primary.list.droppedRows = historyEnd; // scrollbackEnd never goes back on a reset
  t.active = t.primary;
  Object.assign(t.modes, new Modes());
  t.scrollTop = 0; t.scrollBottom = t.rows - 1;
  t.leftMargin = 0; t.rightMargin = t.cols - 1;
  t.tabs = defaultTabs(t.cols);
  t.title = '';
  t.cursorShape = 0;
  t.lastCp = 0;
  t.savedDecModes.clear();
  t.protectMode = ProtectMode.Off;
  t.attrChangeExtent = 0;
  t.checksumExtension = 0;
  t.lineSizesUsed = false;
  t.dynamicColors = [];
  t.paletteOverrides.clear();
  t.semantic.reset();
}

/** DECSTR — CSI ! p  @vt DECSTR */
export function softReset(t: Terminal): void {
  const m = t.modes;
  m.cursorVisible = true; m.insert = false; m.origin = false; m.autowrap = true;
  m.appCursor = false; m.appKeypad = false; m.leftRightMargins = false;
  t.scrollTop = 0; t.scrollBottom = t.rows - 1;
  t.leftMargin = 0; t.rightMargin = t.cols - 1;
  const c = t.cursor;
  c.style.reset(); c.pendingWrap = false; c.gl = 0;
  c.charsets = [Charset.Ascii, Charset.Ascii, Charset.Ascii, Charset.Ascii];
  t.active.saved = null;
  t.checksumExtension = 0; // xterm's ReallyReset, soft or full
}
