/**
 * Paste text → the bytes xterm sends when the user pastes it.
 *
 * - Line endings become CR (CRLF → CR, LF → CR), as xterm and xterm.js do: a paste is typed,
 *   and the Enter key sends CR.
 * - With bracketed paste (?2004) the text is wrapped in `CSI 200~` … `CSI 201~` so the
 *   program can tell it from typing.
 * - Bracket markers inside the text are removed, in both the 7-bit (`ESC [ 20x ~`) and
 *   8-bit C1 (U+009B `20x ~`) forms, and repeatedly, so that removing one cannot splice
 *   another together (`ESC[20ESC[201~1~`). Otherwise a pasted `ESC[201~` ends the bracket
 *   early and the rest of the paste runs as typed commands. They are removed even when
 *   bracketing is off: the program may turn ?2004 on between our read of the mode and its
 *   read of the bytes.
 */

const MARKER = /(?:\x1b\[|\u009b)20[01]~/g;

/** `text` with every bracketed-paste start/end marker removed. */
export function stripPasteMarkers(text: string): string {
  let prev: string;
  let cur = text;
  do {
    prev = cur;
    cur = cur.replace(MARKER, '');
  } while (cur !== prev);
  return cur;
}

/** Bytes (as a string; write it UTF-8 encoded) for pasting `text`. */
export function encodePaste(text: string, bracketed: boolean): string {
  const body = stripPasteMarkers(text).replace(/\r?\n/g, '\r');
  return bracketed ? `\x1b[200~${body}\x1b[201~` : body;
}
