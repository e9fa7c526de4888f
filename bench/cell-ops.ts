/**
 * Cost of two per-cell operations the tui corpus is full of, in ns each, by difference:
 * 200,000 `CUP text` writes with and without a trailing EL (plain and after a styled run),
 * and `CUP word xx word` against the same with a CJK or emoji cell for the `xx`. Each pair is
 * timed back to back in one process; the median of 10 differences is printed.
 *
 * Run: npx tsc -p tsconfig.json && taskset -c 1 node dist/bench/cell-ops.js
 */
import { Terminal } from '../src/engine/index.js';
import { median, timeWrite } from './time-write.js';

const N = 200_000;
const LINE = 'request handler timeout session connect upstream cache miss';
const WORDS = ['request ', 'handler ', 'timeout ', 'session '];
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const lines = (f: (i: number) => string): Uint8Array => bytes(Array.from({ length: N }, (_, i) => f(i)).join(''));
const erase = (el: string, sgr: boolean) => lines((i) =>
  `\x1b[${2 + (i % 20)};1H${sgr ? `\x1b[38;5;${i % 200}m` : ''}${LINE}${sgr ? '\x1b[0m' : ''}${el}`);
const wide = (w: string) => lines((i) => `\x1b[${2 + (i % 20)};${1 + ((i * 7) % 60)}H${WORDS[i % 4]}${w}${WORDS[(i + 1) % 4]}`);

const ALT_SCREEN = bytes('\x1b[?1049h');
const ms = (data: Uint8Array): number => timeWrite(data, ALT_SCREEN);
const cases: [string, Uint8Array, Uint8Array][] = [
  ['EL, default style', erase('', false), erase('\x1b[K', false)],
  ['EL, after a styled run', erase('', true), erase('\x1b[K', true)],
  ['CJK cell vs "xx"', wide('xx'), wide('漢')],
  ['emoji cell vs "xx"', wide('xx'), wide('🚀')],
];

// A terminal kept alive throughout, as the throughput bench does (see throughput-child.ts).
const keeper = new Terminal({ cols: 80, rows: 24, scrollback: 1000 });
for (let w = 0; w < 3; w++) for (const [, a, b] of cases) { ms(a); ms(b); }
for (const [name, without, withOp] of cases) {
  const d: number[] = [];
  for (let r = 0; r < 10; r++) { const a = ms(without); d.push((ms(withOp) - a) / N * 1e6); }
  console.log(`${name.padEnd(24)} ${median(d).toFixed(0)} ns extra`);
}
keeper.dispose();
