/**
 * The sequence corpus of the differential test (differential-corpus.test.ts): byte strings written
 * to a fresh terminal (80×25 unless a case says otherwise), each run in termpool, xterm.js and
 * Ghostty and compared (text, cursor, attributes, replies). Grouped by what they exercise; the
 * groups after "issue 26" are the sequences of that issue (conformance to xterm), whose results
 * xterm's ctlseqs defines.
 *
 * Names are stable: the allow-list (differential-allowed.ts) and docs/conformance.md refer to them.
 */

export interface Case {
  name: string;
  bytes: string;
  cols?: number;
  rows?: number;
}

const E = '\x1b';
const CSI = '\x1b[';
const DCS = '\x1bP';
const OSC = '\x1b]';
const ST = '\x1b\\';

/** 25 numbered rows of 80 columns: a screen to edit. */
const FILLED = Array.from({ length: 25 }, (_, i) => `${String(i).padStart(2, '0')}${'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-+*/=()[]{}<>!?'}`.slice(0, 80)).join('\r\n');

const hexOf = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

export const CASES: readonly Case[] = [
  // ---------------------------------------------------------------- print and wrap
  { name: 'print-wrap', bytes: 'a'.repeat(85) + 'Z' },
  { name: 'pending-wrap-cr', bytes: 'b'.repeat(80) + '\rX' },
  { name: 'pending-wrap-cub', bytes: 'abcdefghij' + CSI + 'Dz', cols: 10, rows: 3 },
  { name: 'autowrap-off', bytes: CSI + '?7l' + 'c'.repeat(85) + 'Z' },
  { name: 'scroll-at-bottom', bytes: Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\r\n') },
  { name: 'wide-at-last-column', bytes: 'x'.repeat(79) + '漢字', },
  { name: 'wide-and-combining', bytes: 'a\u0301 漢 e\u0308\u0323 한글 z' },
  { name: 'emoji-zwj-family', bytes: 'A\u{1F468}\u200D\u{1F469}\u200D\u{1F467}B' },
  { name: 'emoji-vs16', bytes: 'A\u2764\uFE0FC' },
  { name: 'emoji-flag', bytes: 'A\u{1F1EB}\u{1F1F7}D' },
  { name: 'backspace-col0', bytes: 'abc\r\b\bX' },
  { name: 'tab-default-stops', bytes: 'a\tb\tc\t\t\td' + CSI + '3I' + 'e' },
  { name: 'tab-set-clear', bytes: CSI + '3g' + CSI + '1;5H' + E + 'H' + CSI + '1;30H' + E + 'H\r\tA\tB\tC' },

  // ---------------------------------------------------------------- cursor motion
  { name: 'cup-clamp', bytes: CSI + '99;99HX' + CSI + '0;0HY' },
  { name: 'cursor-relative', bytes: CSI + '10;10H' + CSI + '3AU' + CSI + '5BD' + CSI + '4CF' + CSI + '7DB' },
  { name: 'cnl-cpl-cha', bytes: CSI + '5;20H' + CSI + '2EN' + CSI + '4FP' + CSI + '33GC' },
  { name: 'vpa-hpa-hpr', bytes: CSI + '12dV' + CSI + '40`H' + CSI + '5aR' + CSI + '3;7fF' },
  { name: 'vpr', bytes: CSI + '4;4H' + CSI + '6eX' },
  { name: 'ind-nel-ri', bytes: 'top' + E + 'D' + 'i' + E + 'E' + 'n' + CSI + 'H' + E + 'M' + 'r' },

  // ---------------------------------------------------------------- erase and edit
  { name: 'ed-below', bytes: FILLED + CSI + '12;40H' + CSI + 'J' },
  { name: 'ed-above', bytes: FILLED + CSI + '12;40H' + CSI + '1J' },
  { name: 'ed-all', bytes: FILLED + CSI + '12;40H' + CSI + '2Jx' },
  { name: 'el-variants', bytes: FILLED + CSI + '3;40H' + CSI + 'K' + CSI + '4;40H' + CSI + '1K' + CSI + '5;40H' + CSI + '2K' },
  { name: 'ech-ich-dch', bytes: FILLED + CSI + '2;10H' + CSI + '5X' + CSI + '3;10H' + CSI + '5@' + CSI + '4;10H' + CSI + '5P' },
  { name: 'il-dl', bytes: FILLED + CSI + '5;1H' + CSI + '3L' + CSI + '15;1H' + CSI + '2M' },
  { name: 'su-sd', bytes: FILLED + CSI + '3S' + CSI + '1T' },
  { name: 'insert-mode', bytes: 'abcdef' + CSI + '1;3H' + CSI + '4hXY' + CSI + '4lZ' },
  { name: 'erase-with-background', bytes: CSI + '44m' + CSI + '2J' + CSI + '3;3H' + CSI + '41m' + CSI + 'K' + CSI + '0mok' },
  { name: 'decaln', bytes: E + '#8' + CSI + '3;3HX' },

  // ---------------------------------------------------------------- scroll region and margins
  { name: 'decstbm-linefeeds', bytes: FILLED + CSI + '5;10r' + CSI + '10;1H\n\n\nX' },
  { name: 'decstbm-ri-top', bytes: FILLED + CSI + '5;10r' + CSI + '5;1H' + E + 'M' + E + 'MX' },
  { name: 'decstbm-il-outside', bytes: FILLED + CSI + '5;10r' + CSI + '15;1H' + CSI + '2LX' },
  { name: 'decom-origin', bytes: CSI + '5;10r' + CSI + '?6h' + CSI + 'HX' + CSI + '99BY' + CSI + '?6l' + CSI + 'HZ' },
  { name: 'declrmm-wrap', bytes: CSI + '?69h' + CSI + '10;20s' + CSI + '3;10H' + 'q'.repeat(25) },
  { name: 'declrmm-edit', bytes: FILLED + CSI + '?69h' + CSI + '10;20s' + CSI + '3;12H' + CSI + '3@' + CSI + '4;12H' + CSI + '3P' + CSI + '5;12H' + CSI + 'L' },
  { name: 'declrmm-scroll-up', bytes: FILLED + CSI + '?69h' + CSI + '10;20s' + CSI + '5;10r' + CSI + '2S' },

  // ---------------------------------------------------------------- SGR
  { name: 'sgr-flags', bytes: CSI + '1mB' + CSI + '2mF' + CSI + '3mI' + CSI + '4mU' + CSI + '5mK' + CSI + '7mR' + CSI + '8mH' + CSI + '9mS' + CSI + '0m.' + CSI + '53mO' + CSI + '0m' },
  { name: 'sgr-resets', bytes: CSI + '1;2;3;4;5;7;9mA' + CSI + '22mB' + CSI + '23mC' + CSI + '24mD' + CSI + '25mE' + CSI + '27mF' + CSI + '29mG' + CSI + '0m' },
  { name: 'sgr-16-colours', bytes: [30, 31, 32, 33, 34, 35, 36, 37, 90, 91, 92, 93, 94, 95, 96, 97].map((n) => `${CSI}${n};${n + 10}m${n}`).join('') + CSI + '39;49mX' },
  { name: 'sgr-256-and-rgb', bytes: CSI + '38;5;100;48;5;200mA' + CSI + '38;2;10;20;30;48;2;200;100;50mB' + CSI + '0m' },
  { name: 'sgr-colon-subparams', bytes: CSI + '38:5:100mA' + CSI + '38:2::10:20:30mB' + CSI + '4:3mC' + CSI + '4:0mD' + CSI + '0m' },
  { name: 'sgr-underline-styles', bytes: CSI + '4:1mA' + CSI + '4:2mB' + CSI + '21mC' + CSI + '0m' },

  // ---------------------------------------------------------------- modes, screens, charsets
  { name: 'alt-1049', bytes: 'main' + CSI + '?1049h' + 'alt' + CSI + '?1049l' + 'Z' },
  { name: 'alt-1047', bytes: 'main' + CSI + '?1047h' + 'alt' + CSI + '?1047l' + 'Z' },
  { name: 'alt-47-keeps', bytes: 'main' + CSI + '?47h' + 'alt' + CSI + '?47l' + CSI + '?47hX' },
  { name: 'decsc-decrc', bytes: CSI + '5;5H' + CSI + '1;31m' + E + '7' + CSI + '0m' + CSI + '20;20H' + E + '8X' + CSI + '0m' },
  { name: 'decstr', bytes: CSI + '5;10r' + CSI + '4h' + CSI + '?6h' + CSI + '!p' + CSI + '30;1HX' },
  { name: 'ris', bytes: FILLED + CSI + '1;31m' + E + 'c' + 'X' },
  { name: 'dec-special-graphics', bytes: E + '(0lqqk\r\nx  x\r\nmqqj' + E + '(B ok _`afgjklmnopqrstuvwxyz{|}~' },
  { name: 'g1-shift-out', bytes: E + ')0a\x0eqqq\x0fq' },
  { name: 'lnm', bytes: CSI + '20hA\nB' + CSI + '20l\nC' },
  { name: 'reverse-video-mode', bytes: CSI + '?5hX' },
  { name: 'cursor-hidden', bytes: CSI + '?25lX' },

  // ---------------------------------------------------------------- issue 26: editing
  { name: 'rep', bytes: 'x' + CSI + '3b' },
  { name: 'rep-after-control', bytes: 'x\r\n' + CSI + '3b<' },
  { name: 'rep-after-cursor-move', bytes: 'y' + CSI + '5;5H' + CSI + '3b<' },
  { name: 'rep-combining', bytes: 'e\u0301' + CSI + 'b' },
  { name: 'vpr-above-region', bytes: CSI + '10;19r' + CSI + 'H' + CSI + '25e1' },
  { name: 'decrc-pending-wrap', bytes: CSI + '1;10Hv' + E + '7' + CSI + '3;1H' + E + '8^', cols: 10, rows: 5 },
  { name: 'scorc-pending-wrap', bytes: CSI + '1;10Hv' + CSI + 's' + CSI + '3;1H' + CSI + 'u^', cols: 10, rows: 5 },
  { name: 'alt-1049-leave-on-main', bytes: CSI + '?1049h' + CSI + '?1049l' + 'drawn on main' + CSI + '24;1H' + CSI + '?1049lX' },
  { name: 'hpb-vpb', bytes: CSI + '10;20H' + CSI + '5jA' + CSI + '3kB' },
  { name: 'reverse-wrap', bytes: CSI + '?45h' + 'a'.repeat(85) + '\b'.repeat(7) + 'X' },
  { name: 'xtsave-xtrestore', bytes: CSI + '?7l' + CSI + '?7s' + CSI + '?7h' + CSI + '?7r' + 'd'.repeat(85) + 'Z' },
  { name: 'cbt-region', bytes: CSI + '5;10r' + CSI + '20;33H' + CSI + '2ZX' },
  { name: 'cbt-left-margin', bytes: CSI + '?69h' + CSI + '20;60s' + CSI + '1;25H' + CSI + '5ZX' },
  { name: 'sl-sr', bytes: FILLED + CSI + '2 @' + CSI + '3;1H' + CSI + '?69h' + CSI + '10;70s' + CSI + '3 A' },
  { name: 'decic-decdc', bytes: FILLED + CSI + '5;30H' + CSI + "2'}" + CSI + '5;10H' + CSI + "3'~" },
  { name: 'decbi-decfi', bytes: FILLED + CSI + '?69h' + CSI + '10;20s' + CSI + '3;10H' + E + '6' + CSI + '4;20H' + E + '9' },
  { name: 'deccra', bytes: FILLED + CSI + '2;3;4;8;1;10;40;1$v' },
  { name: 'decfra', bytes: FILLED + CSI + '1;31m' + CSI + '88;2;2;5;10$x' + CSI + '0m' },
  { name: 'decera', bytes: FILLED + CSI + '2;2;5;10$z' },
  { name: 'decsera-protected', bytes: FILLED + CSI + '3;5H' + CSI + '1"qPROT' + CSI + '0"q' + CSI + '2;2;5;20${' },
  { name: 'deccara', bytes: FILLED + CSI + '2;2;5;10;1;4;31$r' },
  { name: 'decrara', bytes: CSI + '1;7m' + FILLED + CSI + '0m' + CSI + '2;2;5;10;7$t' },
  { name: 'decsace-stream', bytes: FILLED + CSI + '2*x' + CSI + '2;70;4;10;4$r' },
  { name: 'decsed-protected', bytes: 'free ' + CSI + '1"qPROT' + CSI + '0"q more' + CSI + '?2J' },
  { name: 'decsel-protected', bytes: 'free ' + CSI + '1"qPROT' + CSI + '0"q more' + CSI + '1;1H' + CSI + '?K' },
  { name: 'spa-epa-ed', bytes: 'free ' + E + 'VGUARD' + E + 'W more' + CSI + '2J' },
  { name: 'spa-epa-el-ech', bytes: 'free ' + E + 'VGUARD' + E + 'W more' + CSI + '1;1H' + CSI + '2K' + CSI + '2;1Hxx' + E + 'VGG' + E + 'Wyy' + CSI + '2;1H' + CSI + '6X' },
  { name: 'decdwl-decdhl', bytes: E + '#6wide line\r\n' + E + '#3tall\r\n' + E + '#4tall\r\n' + E + '#5single' },

  // ---------------------------------------------------------------- issue 26: reports and queries
  { name: 'da1-da2-da3', bytes: CSI + 'c' + CSI + '>c' + CSI + '=c' },
  { name: 'decid', bytes: E + 'Z' },
  { name: 'dsr-status-cpr', bytes: CSI + '5n' + CSI + '3;7H' + CSI + '6n' + CSI + '?6n' },
  { name: 'dsr-dec-variants', bytes: CSI + '?15n' + CSI + '?25n' + CSI + '?26n' + CSI + '?53n' + CSI + '?55n' + CSI + '?56n' + CSI + '?85n' },
  { name: 'cpr-origin-mode', bytes: CSI + '5;10r' + CSI + '?6h' + CSI + '2;3H' + CSI + '6n' },
  { name: 'decrqm-ansi', bytes: [2, 3, 4, 12, 20, 99].map((m) => `${CSI}${m}$p`).join('') },
  { name: 'decrqm-dec', bytes: [1, 3, 5, 6, 7, 12, 25, 45, 47, 66, 69, 1000, 1002, 1004, 1006, 1047, 1049, 2004, 2026, 9999].map((m) => `${CSI}?${m}$p`).join('') },
  { name: 'decrqss-sgr', bytes: CSI + '1;4;31;48;5;100m' + DCS + '$qm' + ST + CSI + '0m' },
  { name: 'decrqss-margins', bytes: CSI + '5;10r' + DCS + '$qr' + ST + CSI + '?69h' + CSI + '3;40s' + DCS + '$qs' + ST },
  { name: 'decrqss-cursor-style', bytes: CSI + '3 q' + DCS + '$q q' + ST },
  { name: 'decrqss-decsca-decscl-decsace', bytes: CSI + '1"q' + DCS + '$q"q' + ST + DCS + '$q"p' + ST + CSI + '2*x' + DCS + '$q*x' + ST },
  { name: 'decrqss-invalid', bytes: DCS + '$qzz' + ST },
  { name: 'xtgettcap', bytes: [ 'TN', 'Co', 'colors', 'RGB', 'kcuu1', 'kf1', 'nope'].map((c) => `${DCS}+q${hexOf(c)}${ST}`).join('') },
  { name: 'decrqcra', bytes: 'hello' + CSI + '1;31mred' + CSI + '0m' + CSI + '1;1;1;1;2;20*y' },
  { name: 'window-reports', bytes: CSI + '14t' + CSI + '16t' + CSI + '18t' + CSI + '19t' },
  { name: 'title-reports', bytes: OSC + '1;icon' + ST + OSC + '2;the title' + ST + CSI + '20t' + CSI + '21t' },
  { name: 'title-stack', bytes: OSC + '2;first' + ST + CSI + '22;0t' + OSC + '2;second' + ST + CSI + '23;0t' + CSI + '21t' },
  { name: 'osc-palette-query', bytes: OSC + '4;1;?' + ST + OSC + '4;200;?' + ST },
  { name: 'osc-palette-set-forms', bytes: OSC + '4;1;#f00' + ST + OSC + '4;2;#00ff00' + ST + OSC + '4;3;rgb:1/22/333' + ST + OSC + '4;4;rgb:abcd/ef01/2345' + ST + OSC + '4;1;?;2;?;3;?;4;?' + ST },
  { name: 'osc-dynamic-colours', bytes: OSC + '10;?' + ST + OSC + '11;?' + ST + OSC + '12;?' + ST + OSC + '17;?' + ST + OSC + '19;?' + ST },
  { name: 'osc-dynamic-set-reset', bytes: OSC + '10;#123456' + ST + OSC + '11;rgb:aa/bb/cc' + ST + OSC + '10;?' + ST + OSC + '11;?' + ST + OSC + '110' + ST + OSC + '111' + ST + OSC + '10;?' + ST + OSC + '11;?' + ST },
  { name: 'osc-palette-reset', bytes: OSC + '4;1;#010203' + ST + OSC + '104;1' + ST + OSC + '4;1;?' + ST + OSC + '4;2;#040506' + ST + OSC + '104' + ST + OSC + '4;2;?' + ST },
  { name: 'dcs-unterminated-bounded', bytes: DCS + '$q' + 'x'.repeat(70_000) + ST + 'after' },
];
