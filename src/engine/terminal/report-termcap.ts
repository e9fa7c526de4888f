/**
 * XTGETTCAP — `DCS + q Pt ST`: terminfo/termcap capabilities, answered as xterm answers them.
 *
 * Owns the capability table and the reply format. Pt is a `;`-separated list of names, each
 * hex-encoded (2 digits a byte). xterm (misc.c do_dcs, xtermcap.c) answers in one string:
 *   `DCS 1 + r name=value ; name=value … ST` — each name echoed as sent, each value hex-encoded
 *   with upper-case digits (xterm's unparseputc hex-encodes while a tcap answer is written);
 *   the leading digit is 1 when the first name is known; the answer stops after the first
 *   unknown name, which is echoed without `=` (`DCS 0 + r name ST` when it is the first).
 * Names we cannot decode (odd length, non-hex) are never echoed: an echoed `ESC \` would end
 * the reply early and put the rest of the "name" into the program's input as typed text.
 *
 * Values: TN/name is the terminal name the session's programs get in $TERM (xterm-256color);
 * Co/colors is 256; RGB is 8 (xterm on a 24-bit TrueColor visual answers its channel width, 8
 * when all three are equal); the key capabilities are xterm-256color's terminfo values
 * (`infocmp -1 xterm-256color`), which are what termpool's key encoder (src/input/keys.ts)
 * sends for those keys with no modifier (cursor and keypad keys as in application mode, as
 * terminfo describes them: smkx is sent first).
 */

/** Names per request answered at most (the DCS payload is bounded too: stream/dcs.ts). */
export const TERMCAP_MAX_NAMES = 64;

const ESC = '\x1b';

/** [terminfo name, termcap name, value]. */
const CAPABILITIES: [string, string, string][] = [
  ['name', 'TN', 'xterm-256color'],
  ['colors', 'Co', '256'],
  ['RGB', 'RGB', '8'],
  ['kcuu1', 'ku', `${ESC}OA`],
  ['kcud1', 'kd', `${ESC}OB`],
  ['kcuf1', 'kr', `${ESC}OC`],
  ['kcub1', 'kl', `${ESC}OD`],
  ['khome', 'kh', `${ESC}OH`],
  ['kend', '@7', `${ESC}OF`],
  ['kich1', 'kI', `${ESC}[2~`],
  ['kdch1', 'kD', `${ESC}[3~`],
  ['kpp', 'kP', `${ESC}[5~`],
  ['knp', 'kN', `${ESC}[6~`],
  ['kbs', 'kb', '\x7f'],
  ['kcbt', 'kB', `${ESC}[Z`],
  ['kent', '@8', `${ESC}OM`],
  ['kri', 'kR', `${ESC}[1;2A`],
  ['kind', 'kF', `${ESC}[1;2B`],
  ['kRIT', '%i', `${ESC}[1;2C`],
  ['kLFT', '#4', `${ESC}[1;2D`],
  ['kHOM', '#2', `${ESC}[1;2H`],
  ['kEND', '*7', `${ESC}[1;2F`],
  ['kIC', '#3', `${ESC}[2;2~`],
  ['kDC', '*4', `${ESC}[3;2~`],
  ['kPRV', '%e', `${ESC}[5;2~`],
  ['kNXT', '%c', `${ESC}[6;2~`],
];

// kf1–kf24: F1–F4 are SS3 P–S, F5–F12 CSI n ~; F13–F24 are the shifted F1–F12 (xterm+pcf2).
const F1_4 = ['P', 'Q', 'R', 'S'];
const F5_12 = [15, 17, 18, 19, 20, 21, 23, 24];
/** termcap names of kf0..kf24 (k0–k9, k;, F1–F9, FA–FE). */
const FKEY_TERMCAP = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', 'k;',
  'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'FA', 'FB', 'FC', 'FD', 'FE'];
for (let n = 1; n <= 24; n++) {
  const k = n > 12 ? n - 12 : n;
  const shifted = n > 12;
  const value = k <= 4
    ? (shifted ? `${ESC}[1;2${F1_4[k - 1]!}` : `${ESC}O${F1_4[k - 1]!}`)
    : `${ESC}[${F5_12[k - 5]!}${shifted ? ';2' : ''}~`;
  CAPABILITIES.push([`kf${n}`, FKEY_TERMCAP[n]!, value]);
}

const BY_NAME = new Map<string, string>();
for (const [info, cap, value] of CAPABILITIES) {
  BY_NAME.set(info, value);
  BY_NAME.set(cap, value);
}

function hexEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += (s.charCodeAt(i) & 0xff).toString(16).toUpperCase().padStart(2, '0');
  return out;
}

/** Hex → text, or null unless `hex` is an even number (at least 2) of hex digits. */
function hexDecode(hex: string): string | null {
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) return null;
  let out = '';
  for (let i = 0; i < hex.length; i += 2) out += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return out;
}

/** The value xterm would give for capability `name`, or undefined. */
export function capabilityValue(name: string): string | undefined {
  return BY_NAME.get(name);
}

/** The whole XTGETTCAP answer to payload `names` (`DCS … ST`). */
export function termcapReply(names: string): string {
  const list = names.split(';', TERMCAP_MAX_NAMES);
  let body = '';
  let ok = false;
  for (let i = 0; i < list.length; i++) {
    const hex = list[i]!;
    const name = hexDecode(hex);
    const value = name === null ? undefined : BY_NAME.get(name);
    if (i === 0) ok = value !== undefined;
    if (i > 0) body += ';';
    // The name goes back as sent — but only a well-formed hex one (see the header).
    if (name !== null) body += hex;
    if (value === undefined) break;
    body += '=' + hexEncode(value);
  }
  return `${ESC}P${ok ? 1 : 0}+r${body}${ESC}\\`;
}
