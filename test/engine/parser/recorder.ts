/**
 * Test helper: a ParserHandler that records every call as a compact string, plus helpers to
 * run input through a Parser whole or split into chunks.
 *
 * Event formats: `print "ab"`, `exec 0a`, `csi ?[1049] h`, `esc (0`, `osc "0;t" bel`,
 * `hook [1] q`, `put "data"`, `unhook`. Params are read through the ParamsView interface:
 * -1 is an empty slot, an array is a parameter followed by its colon sub-parameters.
 */
import { Parser } from '../../../src/engine/parser/parser.js';
import type { ParserHandler, ParamsView } from '../../../src/engine/parser/parser-handler.js';

export function paramsOf(p: ParamsView): (number | number[])[] {
  const out: (number | number[])[] = [];
  for (let i = 0; i < p.length; i++) {
    const v = p.isEmpty(i) ? -1 : p.get(i, -99);
    const n = p.subLength(i);
    if (n === 0) out.push(v);
    else {
      const a = [v];
      for (let j = 0; j < n; j++) a.push(p.sub(i, j, -1));
      out.push(a);
    }
  }
  return out;
}

function chars(packed: number): string {
  let s = '';
  for (let k = 0; k < 4 && packed >>> (8 * k) !== 0; k++) s += String.fromCharCode((packed >>> (8 * k)) & 0xff);
  return s;
}

const prefixStr = (p: number): string => (p ? String.fromCharCode(p) : '');

export class Recorder implements ParserHandler {
  readonly events: string[] = [];
  /** Raw print call count (to check the fast path batches runs). */
  printCalls = 0;

  print(cps: Uint32Array, start: number, end: number): void {
    this.printCalls++;
    let s = '';
    for (let k = start; k < end; k++) s += String.fromCodePoint(cps[k]!);
    this.events.push(`print ${JSON.stringify(s)}`);
  }
  execute(code: number): void {
    this.events.push(`exec ${code.toString(16).padStart(2, '0')}`);
  }
  csiDispatch(prefix: number, params: ParamsView, intermediates: number, final: number): void {
    this.events.push(
      `csi ${prefixStr(prefix)}${JSON.stringify(paramsOf(params))}${chars(intermediates)} ${String.fromCharCode(final)}`,
    );
  }
  escDispatch(intermediates: number, final: number): void {
    this.events.push(`esc ${chars(intermediates)}${String.fromCharCode(final)}`);
  }
  oscDispatch(data: string, terminator?: 'bel' | 'st'): void {
    this.events.push(`osc ${JSON.stringify(data)} ${terminator ?? '?'}`);
  }
  dcsHook(prefix: number, params: ParamsView, intermediates: number, final: number): void {
    this.events.push(
      `hook ${prefixStr(prefix)}${JSON.stringify(paramsOf(params))}${chars(intermediates)} ${String.fromCharCode(final)}`,
    );
  }
  dcsPut(data: Uint8Array, start: number, end: number): void {
    this.events.push(`put ${JSON.stringify(Buffer.from(data.subarray(start, end)).toString('latin1'))}`);
  }
  dcsUnhook(aborted?: boolean): void {
    this.events.push(aborted === true ? 'unhook aborted' : 'unhook');
  }
}

/** Merge adjacent `print` and adjacent `put` events so chunked and whole runs compare equal. */
export function normalize(events: string[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    const last = out[out.length - 1];
    const kind = e.startsWith('print ') ? 'print ' : e.startsWith('put ') ? 'put ' : null;
    if (kind !== null && last !== undefined && last.startsWith(kind)) {
      const merged = (JSON.parse(last.slice(kind.length)) as string) + (JSON.parse(e.slice(kind.length)) as string);
      out[out.length - 1] = kind + JSON.stringify(merged);
    } else {
      out.push(e);
    }
  }
  return out;
}

export function bytes(input: string | Uint8Array | number[]): Uint8Array {
  if (typeof input === 'string') return new Uint8Array(Buffer.from(input, 'utf8'));
  return input instanceof Uint8Array ? input : new Uint8Array(input);
}

/** Parse `input` in one call; returns the raw events. */
export function run(input: string | Uint8Array | number[], handler = new Recorder()): string[] {
  new Parser(handler).parse(bytes(input));
  return handler.events;
}

/** Parse `input` split at the given offsets (each a separate parse() call on a copy). */
export function runSplit(input: string | Uint8Array | number[], cuts: number[]): string[] {
  const data = bytes(input);
  const rec = new Recorder();
  const parser = new Parser(rec);
  let prev = 0;
  for (const c of [...cuts, data.length]) {
    parser.parse(data.slice(prev, c));
    prev = c;
  }
  return rec.events;
}
