import { describe, it, expect } from 'vitest';
import { Parser } from '../../../src/engine/parser/parser.js';
import { Recorder, normalize, run, runSplit, bytes } from './recorder.js';

/** Samples with their expected (normalized) events; every split must give the same. */
const samples: [string, string | number[], string[]][] = [
  ['UTF-8 of every length', 'aé日🎉z', ['print "aé日🎉z"']],
  [
    'CSI with prefix, params and sub-params',
    '\x1b[?1049h\x1b[38:2::255:0:0;1mX\x1b[2 q',
    ['csi ?[1049] h', 'csi [[38,2,-1,255,0,0],1] m', 'print "X"', 'csi [2]  q'],
  ],
  ['OSC with UTF-8 and ESC \\', '\x1b]0;héllo🎉\x1b\\ok', ['osc "0;héllo🎉" st', 'print "ok"']],
  ['OSC with BEL', 'a\x1b]8;;http://x\x07b', ['print "a"', 'osc "8;;http://x" bel', 'print "b"']],
  ['C1 CSI / OSC / ST in UTF-8', '\u009b5;6H\u009d2;t\u009cz', ['csi [5,6] H', 'osc "2;t" st', 'print "z"']],
  ['DCS with payload', '\x1bP1$qm\x1b\\x', ['hook [1]$ q', 'put "m"', 'unhook', 'print "x"']],
  ['APC is dropped', 'a\x1b_Gi=1;AAAA\x1b\\b', ['print "ab"']],
  ['ESC with intermediates', '\x1b(0\x1b#8q', ['esc (0', 'esc #8', 'print "q"']],
  ['invalid UTF-8', [0x61, 0xf0, 0x9f, 0x41, 0xed, 0xa0, 0x80, 0x62], ['print "a\ufffdA\ufffd\ufffd\ufffdb"']],
  ['controls and CAN', 'x\r\n\x1b[12\x18y', ['print "x"', 'exec 0d', 'exec 0a', 'exec 18', 'print "y"']],
];

describe('Parser: chunk splits', () => {
  for (const [name, input, want] of samples) {
    it(`${name}: whole input`, () => {
      expect(normalize(run(input))).toEqual(want);
    });
    it(`${name}: split at every byte position`, () => {
      const len = bytes(input).length;
      for (let cut = 0; cut <= len; cut++) {
        expect(normalize(runSplit(input, [cut])), `cut at ${cut}`).toEqual(want);
      }
    });
    it(`${name}: split at every pair of positions`, () => {
      const len = bytes(input).length;
      for (let a = 1; a < len; a++) {
        for (let b = a; b < len; b++) {
          expect(normalize(runSplit(input, [a, b])), `cuts at ${a},${b}`).toEqual(want);
        }
      }
    });
    it(`${name}: one byte per parse() call`, () => {
      const len = bytes(input).length;
      expect(normalize(runSplit(input, Array.from({ length: len }, (_, k) => k)))).toEqual(want);
    });
  }
});

describe('Parser: endless sequences followed by normal text', () => {
  const MB = 1024 * 1024;
  it('5 MB APC is skipped without buffering', () => {
    const rec = new Recorder();
    const p = new Parser(rec);
    p.parse(bytes('\x1b_'));
    const block = new Uint8Array(MB).fill(0x41);
    for (let k = 0; k < 5; k++) p.parse(block);
    p.parse(bytes('\x1b\\text'));
    expect(rec.events).toEqual(['print "text"']);
  });
  it('2 MB OSC is dropped; the next OSC and text work', () => {
    const rec = new Recorder();
    const p = new Parser(rec);
    p.parse(bytes('\x1b]2;'));
    const block = new Uint8Array(MB).fill(0x62);
    p.parse(block);
    p.parse(block);
    p.parse(bytes('\x1b\\hi\x1b]2;t\x07'));
    expect(rec.events).toEqual(['print "hi"', 'osc "2;t" bel']);
  });
  it('OSC just under the cap is still delivered', () => {
    const rec = new Recorder();
    let got = -1;
    rec.oscDispatch = (s) => {
      got = s.length;
    };
    const p = new Parser(rec);
    p.parse(bytes('\x1b]0;'));
    p.parse(new Uint8Array(MB - 10).fill(0x63));
    p.parse(bytes('\x07'));
    expect(got).toBe(MB - 10 + 2);
  });
  it('3 MB DCS streams through put and ends with unhook', () => {
    const rec = new Recorder();
    let total = 0;
    rec.dcsPut = (_d, s, e) => {
      total += e - s;
    };
    const p = new Parser(rec);
    p.parse(bytes('\x1bPq'));
    const block = new Uint8Array(MB).fill(0x7e);
    for (let k = 0; k < 3; k++) p.parse(block);
    p.parse(bytes('\x1b\\after'));
    expect(total).toBe(3 * MB);
    expect(rec.events).toEqual(['hook [] q', 'unhook', 'print "after"']);
  });
  it('CSI with a million parameters then text', () => {
    const rec = new Recorder();
    const p = new Parser(rec);
    p.parse(bytes('\x1b['));
    p.parse(bytes('1;'.repeat(500_000)));
    p.parse(bytes('mdone'));
    expect(rec.events.length).toBe(2);
    expect(rec.events[0]!.startsWith('csi [1,1,')).toBe(true);
    expect(rec.events[1]).toBe('print "done"');
  });
});

describe('Parser: random input', () => {
  let seed = 0xc0ffee;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >> 8) % n;
  };
  // Bytes that steer the state machine, plus UTF-8 leads/continuations and C1 encodings.
  const interesting = [0x1b, 0x5b, 0x5d, 0x50, 0x5f, 0x58, 0x5e, 0x5c, 0x07, 0x18, 0x1a, 0x3b, 0x3a, 0x3f, 0x20, 0x21, 0x31, 0x6d, 0x71, 0xc2, 0x9b, 0x9c, 0x9d, 0x90, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0xff, 0x7f, 0x0a];
  const randomInput = (len: number): Uint8Array => {
    const a = new Uint8Array(len);
    for (let k = 0; k < len; k++) a[k] = rnd(3) === 0 ? rnd(256) : interesting[rnd(interesting.length)]!;
    return a;
  };

  it('never throws, and CAN always brings it back to ground', () => {
    for (let n = 0; n < 300; n++) {
      const rec = new Recorder();
      const p = new Parser(rec);
      expect(() => p.parse(randomInput(1 + rnd(400)))).not.toThrow();
      p.parse(bytes('\x18hello'));
      expect(rec.events.slice(-2)).toEqual(['exec 18', 'print "hello"']);
    }
  });

  it('random chunking gives the same events as one parse() call', () => {
    for (let n = 0; n < 200; n++) {
      const input = randomInput(1 + rnd(300));
      const cuts: number[] = [];
      for (let c = rnd(8); c < input.length; c += 1 + rnd(12)) cuts.push(c);
      expect(normalize(runSplit(input, cuts)), `input ${Buffer.from(input).toString('hex')}`).toEqual(normalize(run(input)));
    }
  });
});
