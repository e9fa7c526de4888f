/**
 * One timed pass for the in-process experiments (tui-split, cell-ops): a fresh 80x24
 * terminal with 1,000 lines of scrollback, optional untimed prelude, then `data` in 64 KiB
 * chunks; returns ms. Disposal is untimed, as in the throughput bench.
 */
import { Terminal } from '../src/engine/index.js';

const CHUNK = 64 * 1024;

export function timeWrite(data: Uint8Array, prelude?: Uint8Array): number {
  const t = new Terminal({ cols: 80, rows: 24, scrollback: 1000 });
  if (prelude !== undefined) t.write(prelude);
  const t0 = process.hrtime.bigint();
  for (let o = 0; o < data.length; o += CHUNK) t.write(data.subarray(o, Math.min(o + CHUNK, data.length)));
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  t.dispose();
  return elapsed;
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
