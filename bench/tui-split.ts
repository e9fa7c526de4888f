/**
 * Where the tui corpus's time goes, by experiment: the corpus rewritten four ways, each timed
 * right after the unchanged corpus in the same process (so both see the same machine), and
 * the median of the time ratios reported (below 1: the rewrite is cheaper).
 *
 *   no-wide    every wide CJK/emoji char replaced by two ASCII letters
 *   no-EL      every `CSI K` removed
 *   no-sgr     every SGR removed
 *   no-scroll  the LF that scrolls the DECSTBM region removed
 *
 * Run: npx tsc -p tsconfig.json && taskset -c 1 node dist/bench/tui-split.js [pairs]
 */
import { Terminal } from '../src/engine/index.js';
import { makeCorpus } from './corpora.js';
import { median, timeWrite as ms } from './time-write.js';

const pairs = Number(process.argv[2] ?? 10);
const tui = makeCorpus('tui', 16 * 1024 * 1024).bytes;
const text = Buffer.from(tui).toString('utf8');
const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const variants: Record<string, Uint8Array> = {
  'no-wide': enc(text.replace(/[漢字日本語中文한국🙂🚀📦✅]/gu, 'xx')),
  'no-EL': enc(text.replace(/\x1b\[K/g, '')),
  'no-sgr': enc(text.replace(/\x1b\[[0-9;]*m/g, '')),
  'no-scroll': enc(text.replace(/\x1b\[20;1H\n/g, '\x1b[20;1H')),
};

// A terminal kept alive throughout, as the throughput bench does (see throughput-child.ts).
const keeper = new Terminal({ cols: 80, rows: 24, scrollback: 1000 });
for (let w = 0; w < 3; w++) for (const b of [tui, ...Object.values(variants)]) ms(b);
const ratios = new Map<string, number[]>();
for (let r = 0; r < pairs; r++) {
  for (const [name, bytes] of Object.entries(variants)) {
    const base = ms(tui);
    ratios.set(name, [...(ratios.get(name) ?? []), ms(bytes) / base]);
  }
}
keeper.dispose();
console.log(`tui: ${(tui.length / 1e6).toFixed(1)} MB; time of each rewrite / time of the corpus, median of ${pairs}`);
for (const [name, rs] of ratios) console.log(`${name.padEnd(10)} ${median(rs).toFixed(3)}  (${(variants[name]!.length / 1e6).toFixed(1)} MB)`);
