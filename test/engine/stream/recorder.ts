/**
 * A recording `Handler` plus a driver that feeds a `Stream` through its ParserHandler
 * methods, so each test can assert the exact semantic calls a sequence produces.
 */
import type { Handler } from '../../../src/engine/stream/actions.js';
import { Stream } from '../../../src/engine/stream/stream.js';
import { splitCsi, splitEsc } from '../../helpers/fake-params.js';

export type Call = [string, ...unknown[]];

/** Every Handler method records `[name, ...args]`; print records its run as a string. */
export function recordingHandler(calls: Call[]): Handler {
  return new Proxy({} as Handler, {
    get(_target, name) {
      if (typeof name !== 'string') return undefined;
      // Optional fast paths are absent, so the stream's decoded calls are what gets recorded.
      if (name === 'selectGraphicRendition' || name === 'cancelRepeat') return undefined;
      if (name === 'print') {
        return (cps: Uint32Array, start: number, end: number) => {
          calls.push(['print', String.fromCodePoint(...cps.subarray(start, end))]);
        };
      }
      return (...args: unknown[]) => { calls.push([name, ...args]); };
    },
  });
}

export interface Driver {
  readonly stream: Stream;
  /** `ESC [` + body, e.g. `csi('?1049h')`. Returns (and clears) the calls it produced. */
  csi(body: string): Call[];
  /** `ESC` + body, e.g. `esc('(0')`. */
  esc(body: string): Call[];
  osc(data: string, terminator?: 'bel' | 'st'): Call[];
  exec(code: number): Call[];
  print(text: string): Call[];
}

export function driver(): Driver {
  const calls: Call[] = [];
  const stream = new Stream(recordingHandler(calls));
  const take = (): Call[] => calls.splice(0, calls.length);
  return {
    stream,
    csi(body) {
      const p = splitCsi(body);
      stream.csiDispatch(p.prefix, p.params, p.intermediates, p.final);
      return take();
    },
    esc(body) {
      const p = splitEsc(body);
      stream.escDispatch(p.intermediates, p.final);
      return take();
    },
    osc(data, terminator) {
      if (terminator === undefined) stream.oscDispatch(data);
      else stream.oscDispatch(data, terminator);
      return take();
    },
    exec(code) {
      stream.execute(code);
      return take();
    },
    print(text) {
      const cps = Uint32Array.from(text, (c) => c.codePointAt(0)!);
      stream.print(cps, 0, cps.length);
      return take();
    },
  };
}
