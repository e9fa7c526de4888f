// @ts-check
/**
 * A browser keydown → what to send as a session input message: `{keys: [name]}` with termpool's
 * key names (src/input/keys.ts: tmux's, with C- M- S- prefixes) or `{text}` for plain
 * characters. Null for what the page should leave to the browser (a lone modifier, dead keys
 * and IME composition, Cmd shortcuts, Ctrl+Shift+C/V for copy and paste).
 */

/** KeyboardEvent.key → termpool key name. */
const NAMED = /** @type {Record<string, string>} */ ({
  Enter: 'Enter', Tab: 'Tab', Backspace: 'BSpace', Escape: 'Escape',
  ArrowUp: 'Up', ArrowDown: 'Down', ArrowLeft: 'Left', ArrowRight: 'Right',
  Home: 'Home', End: 'End', PageUp: 'PageUp', PageDown: 'PageDown', Insert: 'Insert', Delete: 'Delete',
});
for (let n = 1; n <= 12; n++) NAMED[`F${n}`] = `F${n}`;

/**
 * @param {Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey' | 'isComposing'>} e
 * @returns {{ keys: string[] } | { text: string } | null}
 */
export function keyInput(e) {
  if (e.isComposing || e.metaKey) return null;
  const named = NAMED[e.key];
  if (named !== undefined) {
    if (named === 'Tab' && e.shiftKey && !e.ctrlKey && !e.altKey) return { keys: ['BTab'] };
    return { keys: [(e.ctrlKey ? 'C-' : '') + (e.altKey ? 'M-' : '') + (e.shiftKey ? 'S-' : '') + named] };
  }
  if ([...e.key].length !== 1) return null; // Shift, Control, Dead, Unidentified, …
  if (e.ctrlKey && e.shiftKey && /^[cv]$/i.test(e.key)) return null; // the browser's copy / paste
  if (!e.ctrlKey && !e.altKey) return { text: e.key };
  // e.key already carries Shift (Ctrl+Shift+a is "A"), so S- is not added to characters.
  const name = e.key === ' ' ? 'Space' : e.key;
  return { keys: [(e.ctrlKey ? 'C-' : '') + (e.altKey ? 'M-' : '') + name] };
}
