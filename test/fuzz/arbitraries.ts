/**
 * fast-check arbitraries for engine fuzzing, shared by test/fuzz/*.test.ts and
 * bench/fuzz-long.ts. An input is a `Scenario`: a terminal size and scrollback, then a list of
 * operations (writes with the chunk cuts to split them at, and resizes). Four families:
 *   - bytes:     uniformly random bytes (mostly parser noise);
 *   - recording: a real recording (test/fixtures/recordings/*.vt) sliced and mutated
 *                (splice, duplicate, truncate, flip bytes, insert escape fragments);
 *   - grammar:   token streams from an escape-sequence grammar with extreme parameters;
 *   - storm:     grammar writes interleaved with resizes (1x1 .. 300x300) and cold-page
 *                compression sweeps.
 * Every value is plain data (numbers, arrays, Uint8Array) so fast-check can shrink it and
 * print it as an exact reproduction.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

export type Op =
  | { kind: 'write'; bytes: Uint8Array; cuts: number[] }
  | { kind: 'resize'; cols: number; rows: number }
  /** The service's quiet-time sweep: compress cold scrollback pages. */
  | { kind: 'compress' };

export interface Scenario {
  cols: number;
  rows: number;
  scrollback: number;
  ops: Op[];
}

const enc = new TextEncoder();
const u8 = (s: string): Uint8Array => enc.encode(s);
const cat = (parts: Uint8Array[]): Uint8Array => {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};

// ------------------------------------------------------------------ sizes

/** Mostly small (where edge cases live), sometimes up to 300. */
const dim = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 12 }) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 100 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }) },
);
const scrollback = fc.constantFrom(0, 1, 3, 10, 100, 1000);
const cuts = fc.array(fc.nat(), { maxLength: 6 });

// ------------------------------------------------------------------ grammar

/** CSI parameter values: small, screen-sized, and the extremes a hostile program sends. */
const paramValue = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 10 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 310 }) },
  { weight: 2, arbitrary: fc.constantFrom(255, 256, 32767, 32768, 65535, 65536, 2147483647, 2147483648, 4294967295, 4294967296) },
  { weight: 1, arbitrary: fc.constant(-1) }, // -1: an empty parameter
);

const paramString = fc.array(fc.tuple(paramValue, fc.constantFrom(';', ';', ';', ':')), { maxLength: 12 })
  .map((ps) => ps.map(([v, sep], k) => (k === 0 ? '' : sep) + (v < 0 ? '' : String(v))).join(''));

const csiFinal = fc.constantFrom(
  ...'@ABCDEFGHIJKLMPSTXZ`abcdefghlmnqrstuxz'.split(''),
);

const csi = fc.tuple(
  fc.constantFrom('', '', '', '?', '>', '<', '=', '!'),
  paramString,
  fc.constantFrom('', '', '', '', '$', ' ', '!', '"', '\''),
  csiFinal,
).map(([pre, ps, mid, fin]) => u8(`\x1b[${pre}${ps}${mid}${fin}`));

/** Named sequences with one counted parameter (edits, scrolls, cursor moves, REP). */
const counted = fc.tuple(
  fc.constantFrom('@', 'P', 'X', 'L', 'M', 'S', 'T', 'b', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'd', '`', 'a', 'e', 'I', 'Z', 'J', 'K'),
  paramValue,
).map(([f, n]) => u8(`\x1b[${n < 0 ? '' : n}${f}`));

const cup = fc.tuple(paramValue, paramValue).map(([r, c]) => u8(`\x1b[${r < 0 ? '' : r};${c < 0 ? '' : c}H`));

const margins = fc.oneof(
  fc.tuple(paramValue, paramValue).map(([t, b]) => u8(`\x1b[${t < 0 ? '' : t};${b < 0 ? '' : b}r`)),
  fc.tuple(paramValue, paramValue).map(([l, r]) => u8(`\x1b[?69h\x1b[${l < 0 ? '' : l};${r < 0 ? '' : r}s`)),
  fc.constant(u8('\x1b[?69l')),
  fc.constant(u8('\x1b[r')),
);

const modes = fc.tuple(
  fc.constantFrom('?1', '?5', '?6', '?7', '?25', '?47', '?69', '?1000', '?1006', '?1047', '?1048', '?1049', '?2004', '?2026', '4', '20'),
  fc.constantFrom('h', 'l', '$p'),
).map(([m, hl]) => u8(`\x1b[${m}${hl}`));

const esc = fc.constantFrom(
  '\x1bD', '\x1bE', '\x1bM', '\x1b7', '\x1b8', '\x1bc', '\x1b#8', '\x1bH', '\x1b(0', '\x1b(B', '\x1b)0',
  '\x1b*0', '\x1b=', '\x1b>', '\x1bN', '\x1bO', '\x1b[!p', '\x1b[3J', '\x1b[2J', '\x1b[6n', '\x1b[c', '\x1b[>c',
  '\x1b[18t', '\x1b[>q', '\x1b%G', '\x1b ', '\x1b',
).map(u8);

const controls = fc.array(fc.constantFrom(0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x18, 0x1a, 0x1b, 0x7f, 0x00), { minLength: 1, maxLength: 6 })
  .map((a) => Uint8Array.from(a));

/** Interesting text: CJK, emoji, ZWJ sequences, flags, combining marks, lone joiners. */
const CHUNKS = [
  'a', 'hello', ' ', 'é', 'e\u0301', '\u0301', '\u0301\u0302\u0303', '中', '文字', '한국어', 'ｶﾀｶﾅ', '😀',
  '👍🏽', '👨‍👩‍👧‍👦', '\u200d', '\u200d😀', '🇺🇸', '🇺', '\ufe0f', '❤️', '\u00ad', '\u200b', 'ﷺ',
  '\u{1F3FB}', 'ᄀ\u1161', '\u0e01\u0e31', 'Ω', '\u{10FFFF}', '\uFFFD', '\u2028', 'x\u20dd',
];
const text = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...CHUNKS), { minLength: 1, maxLength: 12 }).map((a) => u8(a.join(''))) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map(u8) },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }).map(u8) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 400 }).map((n) => u8('W'.repeat(n))) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 200 }).map((n) => u8('中'.repeat(n))) },
);

/** Invalid and edge UTF-8: stray continuations, truncated leads, overlongs, surrogates, >U+10FFFF, C1. */
const badUtf8 = fc.oneof(
  fc.constantFrom(
    [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xc2], [0xe0, 0x80, 0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80],
    [0xef, 0xbf, 0xbf], [0xf0, 0x9f, 0x98], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xfe], [0xff],
    [0xc2, 0x9b, 0x33, 0x41], [0xc2, 0x9d, 0x30, 0x3b, 0x78, 0x07], [0xc2, 0x90, 0x71, 0x9c], [0x9b, 0x32, 0x4a],
  ).map((a) => Uint8Array.from(a)),
  fc.uint8Array({ minLength: 1, maxLength: 8 }).map((a) => a.map((b) => b | 0x80)),
);

/** SGR: one attribute list, including colon forms and truncated colour specs. */
const sgrParam = fc.oneof(
  fc.constantFrom('0', '1', '2', '3', '4', '4:3', '4:0', '5', '7', '8', '9', '21', '22', '24', '27', '53', '58:2::1:2:3', '58;5;9', '59', '39', '49', '38;5', '38;2;1', '48:5:300', '38:2:0:0:0:0:0'),
  fc.tuple(fc.constantFrom('38', '48', '58'), fc.integer({ min: 0, max: 255 })).map(([k, n]) => `${k};5;${n}`),
  fc.tuple(fc.constantFrom('38', '48', '58'), fc.integer({ min: 0, max: 0xffffff })).map(([k, c]) => `${k};2;${c >> 16};${(c >> 8) & 255};${c & 255}`),
  fc.integer({ min: 30, max: 107 }).map(String),
);
const sgr = fc.array(sgrParam, { maxLength: 6 }).map((ps) => u8(`\x1b[${ps.join(';')}m`));

/** Many distinct RGB styles, each on a printed cell: overflows a page's style table. */
const sgrStorm = fc.tuple(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 0xffffff }), fc.constantFrom('x', '中', 'e\u0301'))
  .map(([n, seed, ch]) => {
    let s = '';
    for (let k = 0; k < n; k++) {
      const c = (seed + k * 2654435761) & 0xffffff;
      s += `\x1b[38;2;${c >> 16};${(c >> 8) & 255};${c & 255}m${ch}`;
    }
    return u8(s + '\x1b[m');
  });

/** OSC 8 hyperlinks (many distinct ones overflow the link table), opened and maybe never closed. */
const link = fc.tuple(fc.integer({ min: 1, max: 90 }), fc.nat(), fc.boolean(), fc.constantFrom('x', '中', 'ab', '\x1b[2@', '\r\n'))
  .map(([n, seed, close, body]) => {
    let s = '';
    for (let k = 0; k < n; k++) s += `\x1b]8;id=${seed % 7};https://e.x/${seed + k}\x07${body}`;
    if (close) s += '\x1b]8;;\x1b\\';
    return u8(s);
  });

/** OSC / DCS / APC / PM / SOS strings: normal, huge, unterminated, cancelled. */
const stringSeq = fc.tuple(
  fc.constantFrom('\x1b]0;', '\x1b]2;', '\x1b]8;;', '\x1b]4;1;', '\x1b]10;?', '\x1b]11;', '\x1b]52;c;', '\x1b]104;', '\x1b]', '\x1bP', '\x1bP1$r', '\x1bPq', '\x1b_', '\x1b^', '\x1bX'),
  fc.oneof(fc.string({ maxLength: 30 }), fc.integer({ min: 1, max: 200_000 }).map((n) => 'A'.repeat(n))),
  fc.constantFrom('\x07', '\x1b\\', '', '\x18', '\x1a', '\x9c', '\x1b'),
).map(([a, b, c]) => u8(a + b + c));

/** A CSI with far too many parameters (up to 65535), optionally with colon sub-parameters. */
const manyParams = fc.tuple(fc.constantFrom(33, 64, 65, 300, 65535), fc.constantFrom(';1', ':1', ';', '1;2:3:4'), csiFinal)
  .map(([n, unit, fin]) => u8(`\x1b[${unit.repeat(n)}${fin}`));

/** ICH/DCH/ECH/REP/EL around wide characters at the right edge. */
const wideEdit = fc.tuple(fc.constantFrom('中', '😀', '🇺🇸'), fc.integer({ min: 1, max: 310 }), fc.constantFrom('@', 'P', 'X', 'b', 'K', '1K'), fc.integer({ min: 0, max: 5 }))
  .map(([ch, col, f, n]) => u8(`\x1b[${col}G${ch}${ch}\x1b[${col + 1}G\x1b[${n}${f}${ch}`));

/** Issue 26's editing: rectangles, column scrolls, protection, line sizes, reverse wrap, XTSAVE. */
const vt420Edit = fc.oneof(
  fc.tuple(fc.constantFrom('$x', '$z', '${', '$v', '$r', '$t'), fc.array(paramValue, { maxLength: 9 }))
    .map(([f, ps]) => u8(`\x1b[${f === '$x' ? '42;' : ''}${ps.map((p) => (p < 0 ? '' : p)).join(';')}${f}`)),
  fc.tuple(paramValue, fc.constantFrom(" @", " A", "'}", "'~", '"q', '*x', 'j', 'k', 'e', 'a'))
    .map(([n, f]) => u8(`\x1b[${n < 0 ? '' : n}${f}`)),
  fc.constantFrom('\x1b6', '\x1b9', '\x1bV', '\x1bW', '\x1b#3', '\x1b#4', '\x1b#5', '\x1b#6', '\x1b[?45h', '\x1b[?1045h',
    '\x1b[?45l', '\x1b[?7;45;1045s', '\x1b[?7;45;1045r', '\x1b[?J', '\x1b[?1K').map(u8),
);

export const token: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 8, arbitrary: text },
  { weight: 3, arbitrary: controls },
  { weight: 4, arbitrary: csi },
  { weight: 4, arbitrary: counted },
  { weight: 2, arbitrary: cup },
  { weight: 2, arbitrary: margins },
  { weight: 3, arbitrary: modes },
  { weight: 3, arbitrary: esc },
  { weight: 3, arbitrary: sgr },
  { weight: 1, arbitrary: sgrStorm },
  { weight: 1, arbitrary: link },
  { weight: 2, arbitrary: stringSeq },
  { weight: 1, arbitrary: manyParams },
  { weight: 2, arbitrary: badUtf8 },
  { weight: 2, arbitrary: wideEdit },
  { weight: 2, arbitrary: vt420Edit },
);

export const grammarBytes: fc.Arbitrary<Uint8Array> = fc.array(token, { minLength: 1, maxLength: 40 }).map(cat);

// ------------------------------------------------------------------ recordings

export interface Recording { name: string; bytes: Uint8Array; cols: number; rows: number }

function recordingsDir(): string {
  for (const rel of ['../fixtures/recordings/', '../../../test/fixtures/recordings/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new Error('test/fixtures/recordings not found');
}

let recordingsCache: Recording[] | null = null;
export function recordings(): Recording[] {
  if (recordingsCache !== null) return recordingsCache;
  const dir = recordingsDir();
  recordingsCache = readdirSync(dir).filter((f) => f.endsWith('.vt')).sort().map((f) => {
    const name = f.slice(0, -3);
    const meta = JSON.parse(readFileSync(dir + name + '.json', 'utf8')) as { cols: number; rows: number };
    return { name, bytes: new Uint8Array(readFileSync(dir + f)), cols: meta.cols, rows: meta.rows };
  });
  return recordingsCache;
}

type Mutation =
  | { m: 'splice'; at: number; len: number }
  | { m: 'dup'; at: number; len: number; to: number }
  | { m: 'truncate'; at: number }
  | { m: 'flip'; at: number; mask: number }
  | { m: 'insert'; at: number; frag: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ m: fc.constant('splice' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 512 }) }),
  fc.record({ m: fc.constant('dup' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 512 }), to: fc.nat() }),
  fc.record({ m: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ m: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ m: fc.constant('insert' as const), at: fc.nat(), frag: token }),
);

export function mutate(src: Uint8Array, muts: Mutation[]): Uint8Array {
  let b = src;
  for (const mu of muts) {
    const n = b.length;
    const at = n === 0 ? 0 : mu.at % (n + 1);
    switch (mu.m) {
      case 'splice': b = cat([b.subarray(0, at), b.subarray(Math.min(n, at + mu.len))]); break;
      case 'dup': {
        const piece = b.slice(at, Math.min(n, at + mu.len));
        const to = mu.to % (n + 1);
        b = cat([b.subarray(0, to), piece, b.subarray(to)]);
        break;
      }
      case 'truncate': b = b.subarray(0, at); break;
      case 'flip': if (at < n) { b = b.slice(); b[at] ^= mu.mask; } break;
      case 'insert': b = cat([b.subarray(0, at), mu.frag, b.subarray(at)]); break;
    }
  }
  return b;
}

// ------------------------------------------------------------------ scenarios

const write = (bytes: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Op> =>
  fc.record({ kind: fc.constant('write' as const), bytes, cuts });
const resize: fc.Arbitrary<Op> = fc.record({ kind: fc.constant('resize' as const), cols: dim, rows: dim });

export const bytesScenario: fc.Arbitrary<Scenario> = fc.record({
  cols: dim, rows: dim, scrollback,
  ops: fc.array(fc.oneof({ weight: 4, arbitrary: write(fc.uint8Array({ maxLength: 600 })) }, { weight: 1, arbitrary: resize }), { minLength: 1, maxLength: 4 }),
});

/** A slice of a recording (max `window` bytes), mutated, at its own size or a random one. */
export const recordingScenario = (window = 6000): fc.Arbitrary<Scenario> => {
  const recs = recordings();
  return fc.record({
    rec: fc.integer({ min: 0, max: recs.length - 1 }),
    start: fc.nat(),
    muts: fc.array(mutation, { maxLength: 8 }),
    size: fc.option(fc.tuple(dim, dim), { freq: 3 }),
    scrollback,
    c: cuts,
    resizeAt: fc.option(fc.tuple(fc.nat(), dim, dim), { freq: 3 }),
  }).map(({ rec, start, muts, size, scrollback: sb, c, resizeAt }) => {
    const r = recs[rec];
    const from = r.bytes.length <= window ? 0 : start % (r.bytes.length - window);
    const bytes = mutate(r.bytes.subarray(from, from + window), muts);
    const [cols, rows] = size ?? [r.cols, r.rows];
    const ops: Op[] = [];
    if (resizeAt === null) ops.push({ kind: 'write', bytes, cuts: c });
    else {
      const at = resizeAt[0] % (bytes.length + 1);
      ops.push({ kind: 'write', bytes: bytes.slice(0, at), cuts: c });
      ops.push({ kind: 'resize', cols: resizeAt[1], rows: resizeAt[2] });
      ops.push({ kind: 'write', bytes: bytes.slice(at), cuts: c });
    }
    return { cols, rows, scrollback: sb, ops };
  });
};

export const grammarScenario: fc.Arbitrary<Scenario> = fc.record({
  cols: dim, rows: dim, scrollback,
  ops: fc.array(write(grammarBytes), { minLength: 1, maxLength: 3 }),
});

const compress: fc.Arbitrary<Op> = fc.constant({ kind: 'compress' as const });

export const stormScenario: fc.Arbitrary<Scenario> = fc.record({
  cols: dim, rows: dim, scrollback,
  ops: fc.array(fc.oneof({ weight: 4, arbitrary: write(grammarBytes) }, { weight: 4, arbitrary: resize }, { weight: 1, arbitrary: compress }), { minLength: 2, maxLength: 12 }),
});

/** Small screens and short inputs: the same invariants at thousands of inputs per second. */
const small = fc.integer({ min: 1, max: 12 });
export const tinyScenario: fc.Arbitrary<Scenario> = fc.record({
  cols: small, rows: small, scrollback: fc.constantFrom(0, 1, 5),
  ops: fc.array(fc.oneof(
    { weight: 4, arbitrary: write(fc.array(fc.oneof(text, controls, csi, counted, cup, margins, modes, esc, sgr, badUtf8, wideEdit), { minLength: 1, maxLength: 8 }).map(cat)) },
    { weight: 1, arbitrary: write(fc.uint8Array({ maxLength: 48 })) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('resize' as const), cols: small, rows: small }) },
  ), { minLength: 1, maxLength: 5 }),
});

/** Every family, for the differential property and the long run's "mixed" mode. */
export const anyScenario = (window?: number): fc.Arbitrary<Scenario> =>
  fc.oneof(bytesScenario, recordingScenario(window), grammarScenario, stormScenario);

/** A scenario as TypeScript source (exact bytes), for regression tests. */
export function scenarioSource(s: Scenario): string {
  const hex = (b: Uint8Array): string => {
    let out = '';
    for (const x of b) out += x >= 0x20 && x < 0x7f && x !== 0x27 && x !== 0x5c ? String.fromCharCode(x) : `\\x${x.toString(16).padStart(2, '0')}`;
    return `bytes('${out}')`;
  };
  const ops = s.ops.map((o) => (o.kind === 'resize'
    ? `{ kind: 'resize', cols: ${o.cols}, rows: ${o.rows} }`
    : o.kind === 'compress' ? `{ kind: 'compress' }`
    : `{ kind: 'write', bytes: ${hex(o.bytes)}, cuts: [${o.cuts.join(', ')}] }`));
  return `{ cols: ${s.cols}, rows: ${s.rows}, scrollback: ${s.scrollback}, ops: [\n  ${ops.join(',\n  ')},\n] }`;
}

/** Latin-1 string → bytes (each char one byte), the inverse of `scenarioSource`'s escaping. */
export function bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}
