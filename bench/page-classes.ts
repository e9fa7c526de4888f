/**
 * Page classes per input (issue 27): `node dist/bench/page-classes.js [capture.vt ...]`.
 *
 * Owns one measurement: write 8 MiB of each bench corpus (and each capture file given, e.g.
 * `git log -p --color=always | sed 's/$/\r/' > git.vt`) to an 80x24 terminal with 1,000 lines
 * of scrollback and compression off, and count the pages by kind as they are released, why a
 * page was not standard (a large page: its live styles, grapheme words or links in use above the
 * standard budget, else it only followed a large page; an oversized page: its capacity above the
 * large class's), and
 * the live styles of every full page (after a recount). `--hot` also reports the bytes per
 * cell a styled terminal keeps hot with 10,000 lines and compression off.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { PagePool, Terminal } from '../src/engine/index.js';
import { largeCapacity, STANDARD_GRAPHEME_WORDS, STANDARD_LINKS, STANDARD_STYLES } from '../src/engine/page/capacity.js';
import type { Page } from '../src/engine/page/page.js';
import { plainCorpus, styledCorpus, tuiCorpus } from './corpora.js';

const SIZE = 8 * 1024 * 1024;

function feed(t: Terminal, bytes: Uint8Array): void {
  for (let o = 0; o < bytes.length; o += 65536) t.write(bytes.subarray(o, Math.min(o + 65536, bytes.length)));
}

function measure(name: string, bytes: Uint8Array): string {
  const pool = new PagePool({ compressIdlePages: 0 });
  const kinds = new Map<string, number>();
  const why = { styles: 0, graphemes: 0, links: 0, followed: 0 };
  const styles: number[] = [];
  const release = pool.release.bind(pool);
  pool.release = (p: Page): void => {
    kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);
    if (p.size > 0 && p.size === p.capacity.rows) { p.recountStyles(); styles.push(p.styles.count); }
    // Each kind against the class below it: the large class has more of everything than the
    // standard one, so its capacity says nothing; what it holds does.
    if (p.kind === 'large') {
      p.recountStyles();
      const over = [p.styles.count > STANDARD_STYLES, p.graphemeUsed > STANDARD_GRAPHEME_WORDS, p.linksInUse > STANDARD_LINKS];
      if (over[0]) why.styles++;
      if (over[1]) why.graphemes++;
      if (over[2]) why.links++;
      if (!over.some(Boolean)) why.followed++;
    } else if (p.kind === 'oversized') {
      const large = largeCapacity(p.cols);
      if (p.capacity.styles > (large?.styles ?? STANDARD_STYLES)) why.styles++;
      if (p.capacity.graphemeWords > (large?.graphemeWords ?? STANDARD_GRAPHEME_WORDS)) why.graphemes++;
      if (p.capacity.links > (large?.links ?? STANDARD_LINKS)) why.links++;
    }
    release(p);
  };
  const t = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool });
  feed(t, bytes);
  t.dispose();
  const st = pool.stats();
  styles.sort((a, b) => a - b);
  const q = (f: number): number => styles[Math.min(styles.length - 1, Math.floor(f * styles.length))] ?? 0;
  return `| ${name} | ${(bytes.length / 1048576).toFixed(1)} | ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')} | ` +
    `${st.largeCreated} / ${st.largeRecycled} | ${st.oversizedCreated} | styles ${why.styles}, graphemes ${why.graphemes}, links ${why.links}, after a large page ${why.followed} | ` +
    `${q(0)} / ${q(0.5)} / ${q(0.99)} / ${styles.at(-1) ?? 0} |`;
}

const args = process.argv.slice(2);
const inputs: [string, Uint8Array][] = [['plain', plainCorpus(SIZE)], ['styled', styledCorpus(SIZE)], ['tui', tuiCorpus(SIZE)]];
for (const f of args.filter((a) => !a.startsWith('--'))) inputs.push([basename(f), new Uint8Array(readFileSync(f))]);
process.stdout.write('| input | MiB | pages released by kind | large created / recycled | oversized made | why not standard | live styles per full page min / p50 / p99 / max |\n|---|---:|---|---:|---:|---|---|\n');
for (const [name, bytes] of inputs) process.stdout.write(measure(name, bytes) + '\n');
if (args.includes('--hot')) {
  const pool = new PagePool({ compressIdlePages: 0 });
  const t = new Terminal({ cols: 80, rows: 24, scrollback: 10000, pool });
  feed(t, styledCorpus(SIZE));
  const st = pool.stats();
  const cells = (t.scrollbackLength + 24) * 80;
  process.stdout.write(`\nstyled, 10,000 lines kept, compression off: ${(st.bytesLent / cells).toFixed(2)} B/cell hot ` +
    `(standard ${st.lentStandardPages}, large ${st.lentLargePages}, oversized ${st.oversizedPages} pages)\n`);
  t.dispose();
}
