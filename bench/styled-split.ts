/**
 * Where the styled corpus's time goes, by experiment rather than by profile: the same corpus
 * rewritten three ways, each through termpool's Terminal (and the parser alone, no-op handler).
 *
 *   styled     the corpus as the throughput bench writes it
 *   no-sgr     every SGR removed: the same words, spaces and line ends
 *   one-style  every non-reset SGR replaced by one fixed style, so the style table always hits
 *   parser     the styled corpus through the Parser with a handler that does nothing
 *
 * Run: npx tsc -p tsconfig.json && node dist/bench/styled-split.js [MiB] [reps]
 * Prints the best of `reps` per variant (MB/s) and the SGR count per MB.
 */
import { Terminal } from '../src/engine/index.js';
import { Parser } from '../src/engine/parser/parser.js';
import type { ParamsView, ParserHandler } from '../src/engine/parser/parser-handler.js';
import { makeCorpus } from './corpora.js';

const CHUNK = 64 * 1024;
const mib = Number(process.argv[2] ?? 16);
const reps = Number(process.argv[3] ?? 6);

class NoopHandler implements ParserHandler {
  count = 0;
  print(_cps: Uint32Array, start: number, end: number): void { this.count += end - start; }
  printAscii(data: Uint8Array, start: number, end: number): number {
    let i = start;
    while (i < end && data[i]! >= 0x20 && data[i]! < 0x7f) i++;
    this.count += i - start;
    return i;
  }
  execute(_code: number): void { this.count++; }
  csiDispatch(_prefix: number, params: ParamsView, _intermediates: number, final: number): void { this.count += params.length + final; }
  escDispatch(): void {}
  oscDispatch(): void {}
  dcsHook(): void {}
  dcsPut(): void {}
  dcsUnhook(): void {}
}

interface Writer {
  write(chunk: Uint8Array): void;
  dispose?(): void;
}

/** Best MB/s over `reps` runs; `make` gives a fresh writer for each run. */
function best(bytes: Uint8Array, make: () => Writer): number {
  let ms = Infinity;
  for (let r = 0; r < reps; r++) {
    const w = make();
    const t0 = process.hrtime.bigint();
    for (let off = 0; off < bytes.length; off += CHUNK) w.write(bytes.subarray(off, Math.min(off + CHUNK, bytes.length)));
    ms = Math.min(ms, Number(process.hrtime.bigint() - t0) / 1e6);
    w.dispose?.();
  }
  return bytes.length / 1e3 / ms;
}

function viaTerminal(bytes: Uint8Array): number {
  // A terminal kept alive throughout, as the throughput bench does (see throughput-child.ts).
  const keeper = new Terminal({ cols: 80, rows: 24, scrollback: 1000 });
  const mbs = best(bytes, () => new Terminal({ cols: 80, rows: 24, scrollback: 1000 }));
  keeper.dispose();
  return mbs;
}

function viaParser(bytes: Uint8Array): number {
  return best(bytes, () => {
    const p = new Parser(new NoopHandler());
    return { write: (c) => p.parse(c) };
  });
}

const styled = makeCorpus('styled', mib * 1024 * 1024).bytes;
const text = Buffer.from(styled).toString('latin1');
const SGR = /\x1b\[[0-9;:]*m/g;
const sgrCount = (text.match(SGR) ?? []).length;
const variants: [string, Uint8Array, (b: Uint8Array) => number][] = [
  ['styled', styled, viaTerminal],
  ['no-sgr', Buffer.from(text.replace(SGR, ''), 'latin1'), viaTerminal],
  ['one-style', Buffer.from(text.replace(/\x1b\[[0-9;:]*[1-9][0-9;:]*m/g, '\x1b[38;2;10;20;30;1m'), 'latin1'), viaTerminal],
  ['parser', styled, viaParser],
];
console.log(`styled corpus: ${(styled.length / 1e6).toFixed(1)} MB, ${Math.round(sgrCount / (styled.length / 1e6))} SGR sequences per MB; best of ${reps}`);
for (const [name, bytes, how] of variants) {
  const mbs = how(bytes);
  console.log(`${name.padEnd(10)} ${(bytes.length / 1e6).toFixed(1).padStart(5)} MB  ${mbs.toFixed(1).padStart(6)} MB/s  ${(bytes.length / 1e3 / mbs).toFixed(0).padStart(5)} ms`);
}
