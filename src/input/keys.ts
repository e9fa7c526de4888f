/**
 * Key names → the bytes xterm sends for them, given DECCKM and DECKPAM.
 *
 * Names follow tmux (`man tmux`, KEY BINDINGS): `Enter`, `C-c`, `M-x`, `S-Tab`, `C-M-Left`,
 * `F5`, `KP0`, `PageUp`/`PPage`, … plus any single character (`a`, `Q`, `?`, `é`, `👍🏽`).
 * Special names are case-insensitive; single characters are taken literally (`a` ≠ `A`).
 * Modifier prefixes `C-` `M-` `S-` (any case, any order, repeatable) and tmux's `^x` for
 * `C-x` may be combined.
 *
 * Playwright's names are accepted too (`keyboard.press`): `ArrowUp` `ArrowDown` `ArrowLeft`
 * `ArrowRight` besides tmux's `Up`…, and modifiers joined with `+`: `Control+c`, `Shift+Tab`,
 * `Alt+x`, `Control+Shift+ArrowUp`, `Control++` (Ctrl and `+`). A terminal has no Meta key of its
 * own: `Meta+` is Alt (an ESC prefix, xterm's metaSendsEscape), and `ControlOrMeta+` is Control
 * (what Playwright makes of it off macOS). Both notations mix (`C-Shift+Left`).
 *
 * With `literal` (encodeKeys), an item that is none of these is typed as the text it is, as ht's
 * sendKeys does with every unknown name: `["exit 123", "Enter"]`.
 *
 * Encoding is xterm's with modifyOtherKeys off (its default), cross-checked against
 * ctlseqs "PC-Style Function Keys" and tmux's input-keys.c:
 *
 * | key                   | unmodified                        | modified (m = 1+S+2·M+4·C) |
 * |-----------------------|-----------------------------------|----------------------------|
 * | Up Down Right Left    | CSI A–D, SS3 A–D under DECCKM     | CSI 1;m A–D                |
 * | Home End              | CSI H / CSI F, SS3 H/F under DECCKM | CSI 1;m H / F            |
 * | Insert Delete PgUp PgDn | CSI 2~ 3~ 5~ 6~                 | CSI n;m ~                  |
 * | F1–F4                 | SS3 P–S                           | CSI 1;m P–S                |
 * | F5–F12                | CSI 15~ 17~ 18~ 19~ 20~ 21~ 23~ 24~ | CSI n;m ~                |
 * | F13–F24               | = S-F1 … S-F12 (xterm terminfo kf13=CSI 1;2P …)              |
 * | KP0–9 KP/ * - + . = , KPEnter | the character (CR for KPEnter); SS3 p–y o j m k n X l M under DECKPAM, SS3 m x with modifiers |
 *
 * Keys xterm sends as characters take `M-` as an ESC prefix and mostly ignore `C-`/`S-`
 * the way xterm does: Enter CR, Tab HT (`S-Tab` CSI Z), BSpace DEL (`C-BSpace` BS), Escape
 * ESC, Space SP (`C-Space` NUL). On a single character `S-` upper-cases a letter and `C-`
 * yields the C0 code xterm/X11 would (C-a…C-z, C-@ C-[ C-\ C-] C-^ C-_, C-2…C-8, C-/,
 * and tmux's C-? → DEL and C-- → US); where no control code exists (C-1, C-é) xterm sends the
 * character itself, and so do we.
 */
import { InputError } from './errors.js';
import type { InputModes } from './modes.js';

/** The modes key encoding depends on. */
export type KeyModes = Pick<InputModes, 'applicationCursorKeys' | 'applicationKeypad'>;

const ESC = '\x1b';
const CSI = '\x1b[';
const SS3 = '\x1bO';

/** Modifier bits, laid out so the xterm parameter is `1 + mods`. */
const SHIFT = 1;
const ALT = 2;
const CTRL = 4;

type KeyDef =
  /** Cursor-style key: final byte after CSI / SS3 / CSI 1;m. */
  | { kind: 'cursor'; final: string }
  /** VT220-style editing key: CSI n ~. */
  | { kind: 'tilde'; n: number }
  /** Function key 1–24. */
  | { kind: 'fkey'; n: number }
  /** Keypad key: `app` is the SS3 final under DECKPAM, `chr` what numeric mode sends. */
  | { kind: 'keypad'; app: string; chr: string }
  | { kind: 'enter' | 'tab' | 'btab' | 'bspace' | 'escape' | 'space' };

/** Lower-cased special name → definition. */
const NAMED = new Map<string, KeyDef>();
function name(def: KeyDef, ...names: string[]): void {
  for (const n of names) NAMED.set(n.toLowerCase(), def);
}
name({ kind: 'cursor', final: 'A' }, 'Up', 'ArrowUp');
name({ kind: 'cursor', final: 'B' }, 'Down', 'ArrowDown');
name({ kind: 'cursor', final: 'C' }, 'Right', 'ArrowRight');
name({ kind: 'cursor', final: 'D' }, 'Left', 'ArrowLeft');
name({ kind: 'cursor', final: 'H' }, 'Home');
name({ kind: 'cursor', final: 'F' }, 'End');
name({ kind: 'tilde', n: 2 }, 'Insert', 'IC');
name({ kind: 'tilde', n: 3 }, 'Delete', 'DC');
name({ kind: 'tilde', n: 5 }, 'PageUp', 'PPage', 'PgUp');
name({ kind: 'tilde', n: 6 }, 'PageDown', 'NPage', 'PgDn');
name({ kind: 'enter' }, 'Enter');
name({ kind: 'tab' }, 'Tab');
name({ kind: 'btab' }, 'BTab');
name({ kind: 'bspace' }, 'BSpace', 'Backspace');
name({ kind: 'escape' }, 'Escape', 'Esc');
name({ kind: 'space' }, 'Space');
for (let n = 1; n <= 24; n++) name({ kind: 'fkey', n }, `F${n}`);
for (let d = 0; d <= 9; d++) name({ kind: 'keypad', app: String.fromCharCode(0x70 + d), chr: String(d) }, `KP${d}`);
name({ kind: 'keypad', app: 'o', chr: '/' }, 'KP/');
name({ kind: 'keypad', app: 'j', chr: '*' }, 'KP*');
name({ kind: 'keypad', app: 'm', chr: '-' }, 'KP-');
name({ kind: 'keypad', app: 'k', chr: '+' }, 'KP+');
name({ kind: 'keypad', app: 'n', chr: '.' }, 'KP.');
name({ kind: 'keypad', app: 'l', chr: ',' }, 'KP,');
name({ kind: 'keypad', app: 'X', chr: '=' }, 'KP=');
name({ kind: 'keypad', app: 'M', chr: '\r' }, 'KPEnter');

/** Final bytes of F1–F4 (SS3 P … SS3 S) and the CSI numbers of F5–F12. */
const F1_4 = ['P', 'Q', 'R', 'S'];
const F5_12 = [15, 17, 18, 19, 20, 21, 23, 24];

/** NOTE: a constant, not per-call state; Intl.Segmenter is immutable once built. */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function isSingleGrapheme(s: string): boolean {
  if (s.length === 1) return true;
  const it = graphemes.segment(s)[Symbol.iterator]();
  const first = it.next();
  return !first.done && first.value.segment.length === s.length;
}

/** Playwright's modifier names (lower-cased, with their `+`) → modifier bits. */
const PLUS_MODIFIERS: ReadonlyArray<[prefix: string, bits: number]> = [
  ['control+', CTRL], ['controlormeta+', CTRL], ['shift+', SHIFT], ['alt+', ALT], ['meta+', ALT],
];

/** The modifier bits of a Playwright prefix at the start of `s` (`Control+`…), and its length; null when none. */
function plusModifier(s: string): [bits: number, length: number] | null {
  const lower = s.slice(0, 14).toLowerCase();
  for (const [prefix, bits] of PLUS_MODIFIERS) {
    // `Shift+` alone is no key: a modifier needs a key after it.
    if (lower.startsWith(prefix) && s.length > prefix.length) return [bits, prefix.length];
  }
  return null;
}

/** Splits `C-M-x` or `Control+Alt+x` into modifier bits and the bare key name. */
function splitModifiers(full: string): { mods: number; key: string } {
  let mods = 0;
  let s = full;
  for (;;) {
    const plus = plusModifier(s);
    if (plus !== null) { mods |= plus[0]; s = s.slice(plus[1]); continue; }
    if (s.length > 2 && s[1] === '-') {
      const m = s[0]!.toUpperCase();
      if (m === 'C') { mods |= CTRL; s = s.slice(2); continue; }
      if (m === 'M') { mods |= ALT; s = s.slice(2); continue; }
      if (m === 'S') { mods |= SHIFT; s = s.slice(2); continue; }
    }
    // tmux: `^x` is `C-x` (a lone `^` is the caret itself).
    if (s.length > 1 && s[0] === '^') { mods |= CTRL; s = s.slice(1); }
    return { mods, key: s };
  }
}

/**
 * C0 code for Ctrl+`ch`, as X11's XLookupString computes it for xterm, plus tmux's
 * `C-?` → DEL and `C--` → US. Undefined when Ctrl has no effect on the character.
 */
function controlChar(ch: string): string | undefined {
  const c = ch.length === 1 ? ch.charCodeAt(0) : -1;
  if ((c >= 0x40 && c <= 0x7e) || c === 0x20) return String.fromCharCode(c & 0x1f);
  if (c === 0x32) return '\x00';                                   // C-2 = C-@
  if (c >= 0x33 && c <= 0x37) return String.fromCharCode(c - 0x33 + 0x1b); // C-3…C-7 = ESC…US
  if (c === 0x38 || c === 0x3f) return '\x7f';                     // C-8, C-? = DEL
  if (c === 0x2f || c === 0x2d) return '\x1f';                     // C-/, C-- = US
  return undefined;
}

function badKey(key: string, index: number | undefined, why: string): InputError {
  const where = index === undefined ? '' : ` at index ${index}`;
  return new InputError('TP_BAD_KEY', `bad key ${JSON.stringify(key)}${where}: ${why}`, index === undefined ? { key } : { key, index });
}

function encodeNamed(def: KeyDef, mods: number, modes: KeyModes): string {
  const meta = mods & ALT ? ESC : '';
  const param = 1 + mods;
  switch (def.kind) {
    case 'cursor':
      if (mods !== 0) return `${CSI}1;${param}${def.final}`;
      return (modes.applicationCursorKeys ? SS3 : CSI) + def.final;
    case 'tilde':
      return mods === 0 ? `${CSI}${def.n}~` : `${CSI}${def.n};${param}~`;
    case 'fkey': {
      // F13–F24 are xterm's shifted F1–F12 (terminfo xterm+pcf2: kf13=\E[1;2P … kf24=\E[24;2~).
      let n = def.n;
      let m = mods;
      if (n > 12) { n -= 12; m |= SHIFT; }
      if (n <= 4) return m === 0 ? SS3 + F1_4[n - 1]! : `${CSI}1;${1 + m}${F1_4[n - 1]!}`;
      const code = F5_12[n - 5]!;
      return m === 0 ? `${CSI}${code}~` : `${CSI}${code};${1 + m}~`;
    }
    case 'keypad':
      if (modes.applicationKeypad) return mods === 0 ? SS3 + def.app : `${SS3}${param}${def.app}`;
      return meta + def.chr;
    case 'enter': return meta + '\r';
    case 'tab': return meta + (mods & SHIFT ? `${CSI}Z` : '\t');
    case 'btab': return `${meta}${CSI}Z`;
    case 'bspace': return meta + (mods & CTRL ? '\b' : '\x7f');
    case 'escape': return meta + ESC;
    case 'space': return meta + (mods & CTRL ? '\x00' : ' ');
  }
}

function encodeOne(name: unknown, modes: KeyModes, index: number | undefined): string {
  if (typeof name !== 'string') throw badKey(String(name), index, 'key names must be strings');
  if (name.length === 0) throw badKey(name, index, 'empty key name');
  // A single character is always itself, even one that looks like a modifier or `^`.
  if (isSingleGrapheme(name)) return name;
  const { mods, key } = splitModifiers(name);
  const def = NAMED.get(key.toLowerCase());
  if (def) return encodeNamed(def, mods, modes);
  if (!isSingleGrapheme(key)) {
    throw badKey(name, index, 'not a key name (Enter, C-c, M-Left, F5, KP0, PageUp, ArrowUp, Control+c…) or a single character; send text as text, or set literal: true to type items that are not key names');
  }
  let ch = key;
  if (mods & SHIFT && ch >= 'a' && ch <= 'z') ch = ch.toUpperCase();
  if (mods & CTRL) ch = controlChar(ch) ?? ch;
  return (mods & ALT ? ESC : '') + ch;
}

/** Bytes (as a string of UTF-16 code units; write it UTF-8 encoded) for one key name. */
export function encodeKey(name: string, modes: KeyModes): string {
  return encodeOne(name, modes, undefined);
}

/**
 * Bytes for a sequence of key names, concatenated. Any unknown name rejects the whole
 * request with TP_BAD_KEY naming it and its index: nothing is ever silently dropped. With
 * `literal`, an item that is not a key name is typed as is instead (as text: UTF-8, no
 * line-ending translation); one that is a key name stays that key (`"Enter"` is CR, not text).
 */
export function encodeKeys(names: readonly string[], modes: KeyModes, literal = false): string {
  let out = '';
  for (let i = 0; i < names.length; i++) {
    const item = names[i];
    if (!literal) { out += encodeOne(item, modes, i); continue; }
    try {
      out += encodeOne(item, modes, i);
    } catch (err) {
      if (!(err instanceof InputError) || typeof item !== 'string' || item.length === 0) throw err;
      out += item;
    }
  }
  return out;
}
