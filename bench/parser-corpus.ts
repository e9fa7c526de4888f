/** Parser alone over a bench corpus, handler with printAscii that only skips the run. */
import { Parser } from '../src/engine/parser/parser.js';
import type { ParamsView, ParserHandler } from '../src/engine/parser/parser-handler.js';
import { makeCorpus, type CorpusName } from './corpora.js';
class H implements ParserHandler {
  count = 0;
  print(_c: Uint32Array, s: number, e: number): void { this.count += e - s; }
  printAscii(d: Uint8Array, s: number, e: number): number { while (s < e && d[s]! >= 0x20 && d[s]! < 0x7f) s++; return s; }
  execute(): void { this.count++; }
  csiDispatch(_p: number, params: ParamsView, _i: number, f: number): void { this.count += params.get(0, 0) + f; }
  escDispatch(): void {}
  oscDispatch(): void {}
  dcsHook(): void {}
  dcsPut(): void {}
  dcsUnhook(): void {}
}
const { bytes } = makeCorpus((process.argv[2] ?? 'styled') as CorpusName, 16 * 1024 * 1024);
const h = new H();
const p = new Parser(h);
let best = Infinity;
for (let r = 0; r < 6; r++) {
  const t0 = performance.now();
  for (let o = 0; o < bytes.length; o += 65536) p.parse(bytes, o, Math.min(o + 65536, bytes.length));
  best = Math.min(best, performance.now() - t0);
}
console.log(`${process.argv[2]}: parser alone ${(bytes.length / 1e3 / best).toFixed(1)} MB/s (${best.toFixed(0)} ms per 16.8 MB), sink ${h.count}`);
