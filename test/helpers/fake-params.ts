/**
 * Test doubles for the parser's output: a `ParamsView` built from a parameter string such as
 * `1;38:2::255:0:0;4:3`, and a splitter that turns a CSI body such as `?1049h` or `2 q` into
 * the (prefix, params, intermediates, final) a real Parser would dispatch. They let stream
 * tests run without the Parser.
 */
import type { ParamsView } from '../../src/engine/parser/parser-handler.js';

/** One parameter: its main value and colon sub-parameters; `undefined` marks an empty slot. */
interface FakeParam { value: number | undefined; subs: (number | undefined)[] }

function num(s: string): number | undefined {
  return s === '' ? undefined : Number.parseInt(s, 10);
}

export class FakeParams implements ParamsView {
  private readonly items: FakeParam[];

  /** `''` has 0 params; `';'` has 2 empty ones, as ParamsView documents. */
  constructor(spec: string) {
    this.items = spec === '' ? [] : spec.split(';').map((p) => {
      const [head = '', ...rest] = p.split(':');
      return { value: num(head), subs: rest.map(num) };
    });
  }

  get length(): number { return this.items.length; }

  get(i: number, dflt: number): number {
    return this.items[i]?.value ?? dflt;
  }

  isEmpty(i: number): boolean {
    const p = this.items[i];
    return p !== undefined && p.value === undefined;
  }

  subLength(i: number): number {
    return this.items[i]?.subs.length ?? 0;
  }

  sub(i: number, j: number, dflt: number): number {
    return this.items[i]?.subs[j] ?? dflt;
  }
}

export function fakeParams(spec: string): ParamsView {
  return new FakeParams(spec);
}

export interface CsiParts {
  prefix: number;
  params: ParamsView;
  intermediates: number;
  final: number;
}

/**
 * Splits a CSI body (everything after `ESC [`): optional private marker `<=>?`, parameters
 * `[0-9:;]*`, up to two intermediates `[ -/]`, one final byte.
 */
export function splitCsi(body: string): CsiParts {
  let i = 0;
  let prefix = 0;
  const first = body.charCodeAt(0);
  if (first >= 0x3c && first <= 0x3f) { prefix = first; i = 1; }
  let end = i;
  while (end < body.length && /[0-9:;]/.test(body[end]!)) end++;
  const params = fakeParams(body.slice(i, end));
  let intermediates = 0;
  let shift = 0;
  while (end < body.length - 1) {
    const c = body.charCodeAt(end++);
    if (c < 0x20 || c > 0x2f) throw new Error(`bad intermediate in ${JSON.stringify(body)}`);
    intermediates |= c << shift;
    shift += 8;
  }
  if (end !== body.length - 1) throw new Error(`no final byte in ${JSON.stringify(body)}`);
  return { prefix, params, intermediates, final: body.charCodeAt(end) };
}

/** Splits an ESC body such as `(0` or `#8` into packed intermediates and final. */
export function splitEsc(body: string): { intermediates: number; final: number } {
  let intermediates = 0;
  for (let i = 0; i < body.length - 1; i++) intermediates |= body.charCodeAt(i) << (8 * i);
  return { intermediates, final: body.charCodeAt(body.length - 1) };
}
