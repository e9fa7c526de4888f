// Child of malloc-tuning.test.ts: fill N terminals (3,000 varied log lines each), compress their
// cold pages, dispose them all; print RSS figures (MB) as JSON. Run with --expose-gc.
import { readFileSync } from 'node:fs';
const { Terminal, defaultPool } = await import(process.argv[2]);
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
const N = 100;
let seed = 1;
const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
gc();
const base = rss();
const terms = [];
for (let i = 0; i < N; i++) {
  const t = new Terminal({ cols: 80, rows: 24, scrollback: 3000 });
  let s = '';
  for (let n = 0; n < 3000; n++) {
    s += `2026-12-07 19:${n % 60} INFO [worker-${n % 8}] GET /api/v1/items/${rnd() % 100000}?page=${n % 50} 200 ${rnd() % 900}ms user=${rnd().toString(16)}\r\n`;
    if (s.length > 4000) { t.write(s); s = ''; }
  }
  t.write(s);
  terms.push(t);
}
for (const t of terms) t.compressColdPages({ all: true });
gc(); gc();
const full = rss();
for (const t of terms) t.dispose();
defaultPool.trim(0);
gc(); gc();
const after = rss();
const st = defaultPool.stats();
process.stdout.write(JSON.stringify({ perTerminalMB: (full - base) / N, retainedMB: after - base, freedPages: st.standardDropped }));
