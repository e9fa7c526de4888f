/**
 * Parser-only throughput: termpool's Parser with a no-op handler, no screen behind it.
 *
 * Run: npx tsc -p tsconfig.json && node dist/bench/parser-only.js
 * Feeds ~10 MB corpora in 64 KiB chunks (a typical pty read size) and prints MB/s.
 */
import { Parser } from '../src/engine/parser/parser.js';
import type { ParserHandler, ParamsView } from '../src/engine/parser/parser-handler.js';

const TARGET = 10 * 1024 * 1024;
const CHUNK = 64 * 1024;

class NoopHandler implements ParserHandler {
  count = 0;
  print(_cps: Uint32Array, start: number, end: number): void {
    this.count += end - start;
  }
  execute(_code: number): void {
    this.count++;
  }
  csiDispatch(_prefix: number, params: ParamsView, _intermediates: number, _final: number): void {
    this.count += params.length;
  }
  escDispatch(_intermediates: number, _final: number): void {}
  oscDispatch(_data: string): void {}
  dcsHook(_prefix: number, _params: ParamsView, _intermediates: number, _final: number): void {}
  dcsPut(_data: Uint8Array, _start: number, _end: number): void {}
  dcsUnhook(): void {}
}

function repeat(unit: string): Uint8Array {
  const one = Buffer.from(unit, 'utf8');
  const out = new Uint8Array(Math.ceil(TARGET / one.length) * one.length);
  for (let o = 0; o < out.length; o += one.length) out.set(one, o);
  return out;
}

function corpora(): Record<string, Uint8Array> {
  let ascii = '';
  for (let i = 0; i < 200; i++) ascii += `line ${i}: the quick brown fox jumps over the lazy dog 0123456789\r\n`;
  let sgr = '';
  for (let i = 0; i < 200; i++) sgr += `\x1b[1;3${i % 8}mword\x1b[0m \x1b[38;5;${i}mx\x1b[38:2::10:20:30my\x1b[m\r\n`;
  let utf8 = '';
  for (let i = 0; i < 200; i++) utf8 += `héllo wörld — 日本語のテキスト 🎉 ${i}\r\n`;
  const osc = `\x1b]0;${'title text '.repeat(50)}\x07\x1b]8;;http://example.com/${'p'.repeat(100)}\x1b\\x\r\n`;
  const dcs = `\x1bPq${'#0;2;0;0;0~~@@vv@@~~@@~~$-'.repeat(40)}\x1b\\`;
  return {
    ascii: repeat(ascii),
    'dense SGR': repeat(sgr),
    'utf-8 mixed': repeat(utf8),
    'OSC strings': repeat(osc),
    'DCS (sixel)': repeat(dcs),
  };
}

function run(name: string, data: Uint8Array): void {
  const handler = new NoopHandler();
  const parser = new Parser(handler);
  const pass = (): void => {
    for (let o = 0; o < data.length; o += CHUNK) parser.parse(data, o, Math.min(o + CHUNK, data.length));
  };
  for (let w = 0; w < 3; w++) pass(); // warm up the JIT
  const rounds = 10;
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) pass();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const mbs = (data.length * rounds) / (1024 * 1024) / secs;
  console.log(`${name.padEnd(12)} ${mbs.toFixed(0).padStart(6)} MB/s  (${(data.length / 1048576).toFixed(1)} MB x ${rounds}, sink ${handler.count})`);
}

for (const [name, data] of Object.entries(corpora())) run(name, data);
