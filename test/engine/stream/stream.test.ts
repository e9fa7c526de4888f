import { describe, expect, it } from 'vitest';
import { SgrKind, type Handler } from '../../../src/engine/stream/actions.js';
import { paletteColor } from '../../../src/engine/page/color.js';
import { Stream } from '../../../src/engine/stream/stream.js';
import { fakeParams } from '../../helpers/fake-params.js';
import { driver, recordingHandler, type Call } from './recorder.js';

describe('Stream: print', () => {
  it('passes the parser scratch run through unchanged (no copy)', () => {
    const seen: [Uint32Array, number, number][] = [];
    const handler = { print: (cps: Uint32Array, s: number, e: number) => { seen.push([cps, s, e]); } };
    const stream = new Stream(handler as unknown as Handler);
    const scratch = Uint32Array.of(0x41, 0x42, 0x1f600, 0x43);
    stream.print(scratch, 1, 3);
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toBe(scratch);
    expect(seen[0]!.slice(1)).toEqual([1, 3]);
  });

  it('records text through the driver', () => {
    expect(driver().print('héllo 😀')).toEqual([['print', 'héllo 😀']]);
  });
});

describe('Stream: C0 controls', () => {
  const d = driver();

  it('BEL BS HT CR', () => {
    expect(d.exec(0x07)).toEqual([['bell']]);
    expect(d.exec(0x08)).toEqual([['backspace']]);
    expect(d.exec(0x09)).toEqual([['horizontalTab', 1]]);
    expect(d.exec(0x0d)).toEqual([['carriageReturn']]);
  });

  it('LF, VT and FF are all linefeeds', () => {
    expect(d.exec(0x0a)).toEqual([['linefeed']]);
    expect(d.exec(0x0b)).toEqual([['linefeed']]);
    expect(d.exec(0x0c)).toEqual([['linefeed']]);
  });

  it('SO invokes G1, SI invokes G0', () => {
    expect(d.exec(0x0e)).toEqual([['invokeCharset', 1]]);
    expect(d.exec(0x0f)).toEqual([['invokeCharset', 0]]);
  });

  it('other C0 codes are ignored', () => {
    for (const c of [0x00, 0x01, 0x05, 0x10, 0x11, 0x13, 0x1a, 0x1c, 0x1f]) {
      expect(d.exec(c)).toEqual([]);
    }
  });
});

describe('Stream: C1 controls', () => {
  const d = driver();

  it('IND NEL HTS RI', () => {
    expect(d.exec(0x84)).toEqual([['index']]);
    expect(d.exec(0x85)).toEqual([['nextLine']]);
    expect(d.exec(0x88)).toEqual([['setTabStop']]);
    expect(d.exec(0x8d)).toEqual([['reverseIndex']]);
  });

  it('others are ignored', () => {
    for (const c of [0x80, 0x8e, 0x8f, 0x90, 0x9b, 0x9c, 0x9d, 0x9f]) {
      expect(d.exec(c)).toEqual([]);
    }
  });
});

describe('Stream: DCS', () => {
  it('DECRQSS and XTGETTCAP become requests; other DCS strings are consumed and ignored', () => {
    const calls: Call[] = [];
    const stream = new Stream(recordingHandler(calls));
    const put = (s: string): void => { const b = new TextEncoder().encode(s); stream.dcsPut(b, 0, b.length); };
    stream.dcsHook(0, fakeParams(''), 0x24, 0x71); // DCS $ q (DECRQSS)
    put('"'); put('p');
    stream.dcsUnhook();
    stream.dcsHook(0, fakeParams(''), 0x2b, 0x71); // DCS + q (XTGETTCAP)
    put('544e');
    stream.dcsUnhook();
    stream.dcsHook(0, fakeParams(''), 0x24, 0x71); // aborted by CAN/SUB: nothing
    put('m');
    stream.dcsUnhook(true);
    stream.dcsHook(0, fakeParams('1'), 0x24, 0x71); // parameters: not DECRQSS
    put('m');
    stream.dcsUnhook();
    stream.dcsHook(0, fakeParams(''), 0, 0x71); // sixel
    put('#0;2;0;0;0');
    stream.dcsUnhook();
    expect(calls.filter((c) => c[0] !== 'cancelRepeat')).toEqual([['requestStatusString', '"p'], ['requestTermcap', '544e']]);
  });

  it('does not disturb what follows', () => {
    const d = driver();
    d.stream.dcsHook(0, fakeParams('1'), 0, 0x71);
    d.stream.dcsUnhook();
    expect(d.csi('2J')).toEqual([['eraseInDisplay', 2, false]]);
  });
});

describe('Stream: a realistic sequence', () => {
  it('a shell prompt decodes into calls in order', () => {
    const d = driver();
    const calls: Call[] = [
      ...d.osc('0;user@host: ~', 'bel'),
      ...d.csi('?2004h'),
      ...d.csi('1;32m'),
      ...d.print('user'),
      ...d.csi('0m'),
      ...d.exec(0x0d),
      ...d.exec(0x0a),
    ];
    expect(calls).toEqual([
      ['setTitle', 'user@host: ~'],
      ['setMode', false, 2004, true],
      ['setAttribute', SgrKind.Bold, 0],
      ['setAttribute', SgrKind.Fg, paletteColor(2)],
      ['print', 'user'],
      ['setAttribute', SgrKind.Reset, 0],
      ['carriageReturn'],
      ['linefeed'],
    ]);
  });
});
