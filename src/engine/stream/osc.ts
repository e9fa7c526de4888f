/**
 * OSC decoding: a complete `OSC Ps ; Pt` string → `Handler` calls (titles, OSC 8 hyperlinks,
 * dynamic colours 10–19 and their resets 110–119, palette 4/104, special colours 5/105, and the
 * shell-integration marks OSC 133 and OSC 7).
 *
 * Owns splitting the string into the command number and its fields. Replies to queries are
 * the Terminal's business; we only pass on which terminator (BEL or ST) the query used so
 * the reply can mirror it, as xterm does. Unknown commands are ignored.
 */
import type { Handler } from './actions.js';
import { PALETTE_ENTRIES, SPECIAL_COLOR_BASE, SPECIAL_COLORS } from '../terminal/palette.js';
import { decodeSemanticPrompt, decodeWorkingDirectory } from './semantic-osc.js';

/**
 * Dynamic colours, as xterm numbers them: 10 text fg, 11 text bg, 12 cursor, 13/14 mouse fg/bg,
 * 15/16 Tektronix fg/bg, 17 highlight bg, 18 Tektronix cursor, 19 highlight fg. termpool draws
 * only 10–12, but keeps and answers all ten as xterm does.
 */
const LAST_DYNAMIC = 19;

export function dispatchOsc(h: Handler, data: string, terminator: 'bel' | 'st'): void {
  const semi = data.indexOf(';');
  const cmd = parseNumber(semi < 0 ? data : data.slice(0, semi));
  const rest = semi < 0 ? '' : data.slice(semi + 1);
  const hasArgs = semi >= 0;
  switch (cmd) {
    /** OSC 0 — icon name and title; OSC 2 — title. OSC 1 (icon name only) is ignored.  @vt OSC0 @vt OSC2 */
    case 0: case 2: if (hasArgs) h.setTitle(rest); return;
    /** OSC 4 ; c ; spec [; c ; spec …] — set or query (`?`) palette colours  @vt OSC4 */
    case 4: palette(h, rest, terminator, 4); return;
    /** OSC 5 ; c ; spec|? [; c ; spec|? …] — special colours 0..4 (colorBD, UL, BL, RV, IT)  @vt OSC5 */
    case 5: palette(h, rest, terminator, 5); return;
    /** OSC 7 ; file://host/path — the shell's working directory (not xterm's; VTE, iTerm2, Ghostty)  @vt OSC7 */
    case 7: if (hasArgs) workingDirectory(h, rest); return;
    /** OSC 8 ; params ; uri — start (uri non-empty) or end a hyperlink  @vt OSC8 */
    case 8: if (hasArgs) hyperlink(h, rest); return;
    /** OSC 10…19 ; spec|? [; spec|? …] — each further spec addresses the next colour  @vt OSC10 */
    case 10: case 11: case 12: case 13: case 14: case 15: case 16: case 17: case 18: case 19:
      dynamicColors(h, cmd, rest, terminator);
      return;
    /** OSC 104 [; c …] — reset palette colours, all of them when none are listed  @vt OSC104 */
    case 104: resetPalette(h, rest, 0, PALETTE_ENTRIES); return;
    /** OSC 105 [; c …] — reset special colours 0..4, all five when none are listed  @vt OSC105 */
    case 105:
      if (rest === '') h.resetSpecialColors();
      else resetPalette(h, rest, SPECIAL_COLOR_BASE, SPECIAL_COLORS);
      return;
    /** OSC 110…119 — reset dynamic colour 10…19 to its default (any data is ignored)  @vt OSC110 */
    case 110: case 111: case 112: case 113: case 114: case 115: case 116: case 117: case 118: case 119:
      h.resetDynamicColor(cmd - 100);
      return;
    /** OSC 133 ; A|B|C|D[;exit][;k=v…] — FinalTerm semantic prompt marks (xterm ignores them)  @vt OSC133 */
    case 133: if (hasArgs) semanticPrompt(h, rest); return;
    default: return;
  }
}

/**
 * OSC 4 / OSC 5 pairs of (number, spec); like xterm's ChangeAnsiColorRequest, stop at the first
 * malformed pair. OSC 4 numbers the 256 colours and then the special colours (256..260), OSC 5
 * the special colours alone (0..4).
 */
function palette(h: Handler, rest: string, terminator: 'bel' | 'st', opcode: 4 | 5): void {
  const first = opcode === 5 ? SPECIAL_COLOR_BASE : 0;
  const last = PALETTE_ENTRIES - first;
  const fields = rest.split(';');
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const n = parseNumber(fields[i]);
    if (n < 0 || n >= last) return;
    const spec = fields[i + 1];
    if (spec === '?') h.queryPaletteColor(first + n, terminator, opcode);
    else if (spec !== '') h.setPaletteColor(first + n, spec);
  }
}

/** OSC 104 (`first` 0) / OSC 105 (`first` 256): the listed entries, all of them when none are. */
function resetPalette(h: Handler, rest: string, first: number, count: number): void {
  if (rest === '') {
    h.resetPaletteColor(-1);
    return;
  }
  for (const field of rest.split(';')) {
    const n = parseNumber(field);
    if (n >= 0 && n < count) h.resetPaletteColor(first + n);
  }
}

function dynamicColors(h: Handler, first: number, rest: string, terminator: 'bel' | 'st'): void {
  if (rest === '') return;
  const fields = rest.split(';');
  for (let i = 0; i < fields.length && first + i <= LAST_DYNAMIC; i++) {
    const spec = fields[i];
    if (spec === '?') h.queryDynamicColor(first + i, terminator);
    else if (spec !== '') h.setDynamicColor(first + i, spec);
  }
}

/**
 * `params ; uri`: params are `key=value` pairs joined by `:`; only `id` matters. The URI may
 * itself contain `;`, so we split on the first one only. Without it the sequence is malformed.
 */
function hyperlink(h: Handler, rest: string): void {
  const semi = rest.indexOf(';');
  if (semi < 0) return;
  const uri = rest.slice(semi + 1);
  let id = '';
  if (semi > 0) {
    for (const kv of rest.slice(0, semi).split(':')) {
      if (kv.startsWith('id=')) id = kv.slice(3);
    }
  }
  h.setHyperlink(id, uri);
}

function semanticPrompt(h: Handler, rest: string): void {
  const m = decodeSemanticPrompt(rest);
  if (m !== null) h.semanticMark(m.mark, m.exitCode, m.nonce);
}

function workingDirectory(h: Handler, rest: string): void {
  const path = decodeWorkingDirectory(rest);
  if (path !== null) h.setWorkingDirectory(path);
}

/** Decimal digits only (at most 9, so no overflow); anything else is -1. */
function parseNumber(s: string): number {
  if (s.length === 0 || s.length > 9) return -1;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}
