/**
 * The alternate screen: modes 47, 1047 and 1049. The alternate screen has no scrollback and
 * gives its pages back when left with 1047/1049.
 */
import { Screen } from './screen.js';
import { restoreCursor, saveCursor } from './save-restore.js';
import type { Terminal } from './terminal.js';

/** 47 / 1047 / 1049. `saveRestore`: DECSC on enter, DECRC on leave (1049). */
export function switchScreen(t: Terminal, on: boolean, saveRestore: boolean, clear: boolean): void {
  if (on) {
    if (t.active !== t.primary) return;
    if (saveRestore) saveCursor(t);
    if (t.alt === null) t.alt = new Screen(t.pool, t.label, t.cols, t.rows, 0);
    else if (clear) clearScreen(t, t.alt);
    t.alt.cursor.copyFrom(t.primary.cursor);
    t.active = t.alt;
  } else {
    if (t.active === t.primary) {
      // xterm and tmux restore 1049's saved cursor even when the main screen is already shown
      // (dialog(1) leaves twice: once to draw on the main screen, once at the end).
      if (saveRestore) restoreCursor(t);
      return;
    }
    const alt = t.active;
    // xterm has one cursor for both screens: leaving 47/1047 keeps its position (1049 then
    // restores the saved one below).
    const pc = t.primary.cursor;
    pc.style.set(alt.cursor.style);
    pc.x = alt.cursor.x; pc.y = alt.cursor.y; pc.pendingWrap = alt.cursor.pendingWrap;
    t.active = t.primary;
    if (clear) {
      // The alternate screen's contents are gone on leaving: give its pages back now.
      alt.dispose();
      t.alt = null;
    }
    if (saveRestore) restoreCursor(t);
  }
}

function clearScreen(t: Terminal, s: Screen): void {
  for (let y = 0; y < t.rows; y++) s.list.clearActiveRow(y, 0, t.cols, s.cursor.style);
}
