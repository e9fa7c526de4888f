import { describe, it, expect } from 'vitest';
import { Parser } from '../../../src/engine/parser/parser.js';
import { MAX_PARAMS, MAX_PARAM_VALUE } from '../../../src/engine/parser/params.js';
import { Recorder, normalize, run } from './recorder.js';

const ESC = '\x1b';
const CSI = '\x1b[';
const OSC = '\x1b]';
const DCS = '\x1bP';
const ST = '\x1b\\';

describe('Parser: ground', () => {
  it('prints a run of ASCII in one print() call', () => {
    const rec = new Recorder();
    run('hello world', rec);
    expect(rec.events).toEqual(['print "hello world"']);
    expect(rec.printCalls).toBe(1);
  });
  it('non-ASCII code points join the same run', () => {
    const rec = new Recorder();
    run('héllo 日本 🎉!', rec);
    expect(rec.events).toEqual(['print "héllo 日本 🎉!"']);
    expect(rec.printCalls).toBe(1);
  });
  it('C0 controls go to execute() and split runs', () => {
    expect(run('a\r\nb\x07\tc\x00')).toEqual(['print "a"', 'exec 0d', 'exec 0a', 'print "b"', 'exec 07', 'exec 09', 'print "c"', 'exec 00']);
  });
  it('DEL is ignored in ground', () => {
    expect(run('a\x7fb')).toEqual(['print "a"', 'print "b"']);
  });
  it('invalid UTF-8 prints U+FFFD (maximal subparts)', () => {
    expect(normalize(run([0x61, 0xe2, 0x82, 0x62, 0xff, 0xc3, 0xa9]))).toEqual(['print "a\ufffdb\ufffdé"']);
  });
  it('an incomplete UTF-8 sequence before a control yields U+FFFD then the control', () => {
    expect(normalize(run([0xe2, 0x82, 0x0a, 0x41]))).toEqual(['print "\ufffd"', 'exec 0a', 'print "A"']);
  });
  it('splits very long runs into bounded print() calls', () => {
    const rec = new Recorder();
    run('x'.repeat(10000), rec);
    expect(rec.printCalls).toBeGreaterThan(1);
    expect(normalize(rec.events)).toEqual([`print "${'x'.repeat(10000)}"`]);
  });
});

describe('Parser: escape / escape_intermediate', () => {
  it('ESC final', () => {
    expect(run(`${ESC}7${ESC}8${ESC}M${ESC}c`)).toEqual(['esc 7', 'esc 8', 'esc M', 'esc c']);
  });
  it('ESC with intermediates packs them', () => {
    expect(run(`${ESC}(0${ESC}#8${ESC} F${ESC}(%5`)).toEqual(['esc (0', 'esc #8', 'esc  F', 'esc (%5']);
  });
  it('more than 2 intermediates: not dispatched', () => {
    expect(run(`${ESC}(((0x`)).toEqual(['print "x"']);
  });
  it('C0 inside an escape sequence executes without aborting it', () => {
    expect(run(`${ESC}\n(B`)).toEqual(['exec 0a', 'esc (B']);
  });
  it('ESC ESC restarts the sequence', () => {
    expect(run(`${ESC}(${ESC}7`)).toEqual(['esc 7']);
  });
  it('a lone ESC \\ (no string before) is dispatched', () => {
    expect(run(`${ESC}\\`)).toEqual(['esc \\']);
  });
  it('a non-ASCII character aborts the sequence and is printed', () => {
    expect(run(`${ESC}é${CSI}1é`)).toEqual(['print "é"', 'print "é"']);
  });
});

describe('Parser: CSI', () => {
  it('no parameters', () => {
    expect(run(`${CSI}m${CSI}H`)).toEqual(['csi [] m', 'csi [] H']);
  });
  it('parameters and defaults (CSI ;5H)', () => {
    expect(run(`${CSI}1;2H${CSI};5H${CSI}5;H`)).toEqual(['csi [1,2] H', 'csi [-1,5] H', 'csi [5,-1] H']);
  });
  it('private prefixes', () => {
    expect(run(`${CSI}?1049h${CSI}>c${CSI}<0;1;2M${CSI}=5u`)).toEqual([
      'csi ?[1049] h',
      'csi >[] c',
      'csi <[0,1,2] M',
      'csi =[5] u',
    ]);
  });
  it('intermediates (DECSCUSR, DECSTR, DECRQM)', () => {
    expect(run(`${CSI}2 q${CSI}!p${CSI}?25$p`)).toEqual(['csi [2]  q', 'csi []! p', 'csi ?[25]$ p']);
  });
  it('two intermediates pack low byte first', () => {
    const rec = new Recorder();
    let got = -1;
    rec.csiDispatch = (_p, _params, inter) => {
      got = inter;
    };
    run(`${CSI}1 !x`, rec);
    expect(got).toBe(0x20 | (0x21 << 8));
  });
  it('three intermediates: not dispatched', () => {
    expect(run(`${CSI}1 !"xA`)).toEqual(['print "A"']);
  });
  it('colon sub-parameters', () => {
    expect(run(`${CSI}4:3m${CSI}38:2::255:0:0m${CSI}38;2;1;2;3m${CSI}58:5:9;1m`)).toEqual([
      'csi [[4,3]] m',
      'csi [[38,2,-1,255,0,0]] m',
      'csi [38,2,1,2,3] m',
      'csi [[58,5,9],1] m',
    ]);
  });
  it('C0 inside CSI executes, sequence continues', () => {
    expect(run(`${CSI}1\r;2H`)).toEqual(['exec 0d', 'csi [1,2] H']);
  });
  it('DEL inside CSI is ignored', () => {
    expect(run(`${CSI}1\x7f;2H`)).toEqual(['csi [1,2] H']);
  });
  it('private marker after a parameter goes to csi_ignore (no dispatch)', () => {
    expect(run(`${CSI}1?hX`)).toEqual(['print "X"']);
  });
  it('parameter byte after an intermediate goes to csi_ignore', () => {
    expect(run(`${CSI} 1qX`)).toEqual(['print "X"']);
  });
  it('csi_ignore still executes C0 and ends at the final byte', () => {
    expect(run(`${CSI}1?\n2hX`)).toEqual(['exec 0a', 'print "X"']);
  });
  it('params are cleared between sequences', () => {
    expect(run(`${CSI}5;6H${CSI}?m${CSI}H`)).toEqual(['csi [5,6] H', 'csi ?[] m', 'csi [] H']);
  });
  it('huge values saturate, huge counts are clamped', () => {
    const many = Array.from({ length: 65535 }, () => '1').join(';');
    const rec = new Recorder();
    let len = -1;
    let first = -1;
    rec.csiDispatch = (_p, params) => {
      if (len >= 0) return; // first sequence only
      len = params.length;
      first = params.get(0, 0);
    };
    new Parser(rec).parse(Buffer.from(`${CSI}${many}mok`));
    expect(len).toBe(MAX_PARAMS);
    expect(first).toBe(1);
    expect(run(`${CSI}99999999999999999999999999;7:99999999999999999m`)).toEqual([
      `csi [${MAX_PARAM_VALUE},[7,${MAX_PARAM_VALUE}]] m`,
    ]);
  });
});

describe('Parser: parameter values at the saturation boundary', () => {
  // The CSI fast path accumulates digits itself; byte-at-a-time feeding goes through
  // Params.addDigit. Both must saturate identically around MAX_PARAM_VALUE (2147483647).
  const values = ['214748363', '214748364', '2147483640', '2147483647', '2147483648', '2147483649', '21474836470', '0002147483647'];
  it.each(values)('%s', (v) => {
    const seq = `${CSI}${v};1:${v}m`;
    const whole = run(seq);
    const rec = new Recorder();
    const parser = new Parser(rec);
    for (const b of Buffer.from(seq)) parser.parse(Uint8Array.of(b));
    expect(rec.events).toEqual(whole);
    const n = Math.min(Number(v), MAX_PARAM_VALUE);
    expect(whole).toEqual([`csi [${n},[1,${n}]] m`]);
  });
});

describe('Parser: the CSI fast path matches the table path at the parameter cap', () => {
  // Whole-buffer parsing goes through csiFast (Params.pushPlain until the first colon);
  // byte-at-a-time feeding goes through the table and Params.nextParam/addDigit.
  const seven = (n: number) => Array.from({ length: n }, () => '7').join(';');
  const seqs = [
    `${CSI}${seven(MAX_PARAMS - 1)};8m`,
    `${CSI}${seven(MAX_PARAMS)};8;9m`,
    `${CSI}${seven(MAX_PARAMS + 5)}m`,
    `${CSI}${seven(MAX_PARAMS)};123:4:5;6m`,
    `${CSI}1:2;${seven(MAX_PARAMS)}m`,
    `${CSI}38;2;1;2;3;4:3;1;0m`,
    `${CSI};;m`,
  ];
  it.each(seqs)('%#', (seq) => {
    const rec = new Recorder();
    const parser = new Parser(rec);
    for (const b of Buffer.from(seq)) parser.parse(Uint8Array.of(b));
    expect(run(seq)).toEqual(rec.events);
  });
});

describe('Parser: C1 controls (UTF-8 encoded U+0080..U+009F)', () => {
  it('U+009B is CSI, U+009D is OSC, U+009C is ST, U+0090 is DCS', () => {
    expect(run('\u009b1;2H\u009d0;t\u009c\u0090q#1\u009c')).toEqual([
      'csi [1,2] H',
      'osc "0;t" st',
      'hook [] q',
      'put "#1"',
      'unhook',
    ]);
  });
  it('IND/NEL/HTS/RI and others go to execute()', () => {
    expect(run('a\u0084\u0085\u0088\u008d\u0080b')).toEqual(['print "a"', 'exec 84', 'exec 85', 'exec 88', 'exec 8d', 'exec 80', 'print "b"']);
  });
  it('a C1 control aborts a CSI in progress', () => {
    expect(run(`${CSI}12\u0085m`)).toEqual(['exec 85', 'print "m"']);
  });
  it('SOS/PM/APC (U+0098/U+009E/U+009F) are swallowed up to ST', () => {
    expect(run('a\u0098x\u009cb\u009ey\u009cc\u009fz\u009cd')).toEqual(['print "a"', 'print "b"', 'print "c"', 'print "d"']);
  });
  it('raw 8-bit C1 bytes are ill-formed UTF-8, not controls', () => {
    expect(run([0x9b, 0x31, 0x6d])).toEqual(['print "\ufffd1m"']);
  });
});

describe('Parser: CAN / SUB abort', () => {
  it('CAN aborts CSI and is executed', () => {
    expect(run(`${CSI}1;2\x18HX`)).toEqual(['exec 18', 'print "HX"']);
  });
  it('SUB aborts ESC', () => {
    expect(run(`${ESC}(\x1a0`)).toEqual(['exec 1a', 'print "0"']);
  });
  it('CAN aborts OSC without dispatching', () => {
    expect(run(`${OSC}0;title\x18x`)).toEqual(['exec 18', 'print "x"']);
  });
  it('SUB ends DCS (unhook, aborted) and is executed', () => {
    expect(run(`${DCS}qabc\x1ax`)).toEqual(['hook [] q', 'put "abc"', 'unhook aborted', 'exec 1a', 'print "x"']);
  });
});

describe('Parser: OSC', () => {
  it('BEL and ST terminators are reported', () => {
    expect(run(`${OSC}0;title\x07${OSC}2;other${ST}`)).toEqual(['osc "0;title" bel', 'osc "2;other" st']);
  });
  it('decodes UTF-8 payload, including astral characters', () => {
    expect(run(`${OSC}0;héllo 🎉${ST}`)).toEqual(['osc "0;héllo 🎉" st']);
  });
  it('hyperlink (OSC 8) keeps every byte', () => {
    expect(run(`${OSC}8;id=x;http://a/b?c=d\x07link${OSC}8;;\x07`)).toEqual([
      'osc "8;id=x;http://a/b?c=d" bel',
      'print "link"',
      'osc "8;;" bel',
    ]);
  });
  it('empty OSC dispatches an empty string', () => {
    expect(run(`${OSC}\x07`)).toEqual(['osc "" bel']);
  });
  it('C0 controls other than BEL are ignored inside', () => {
    expect(run(`${OSC}0;a\nb\x07`)).toEqual(['osc "0;ab" bel']);
  });
  it('ESC followed by something else still ends the OSC, then runs that sequence', () => {
    expect(run(`${OSC}0;t${ESC}7`)).toEqual(['osc "0;t" st', 'esc 7']);
  });
  it('the OSC scratch is reused: a short OSC after a long one is clean', () => {
    expect(run(`${OSC}0;${'y'.repeat(5000)}\x07${OSC}1;z\x07`)).toEqual([`osc "0;${'y'.repeat(5000)}" bel`, 'osc "1;z" bel']);
  });
  it('an OSC over 1 MiB is dropped, the text after it is not', () => {
    const rec = new Recorder();
    const p = new Parser(rec);
    p.parse(Buffer.from(`${OSC}0;`));
    const block = Buffer.alloc(64 * 1024, 0x61);
    for (let k = 0; k < 20; k++) p.parse(block);
    p.parse(Buffer.from(`\x07after${OSC}0;ok\x07`));
    expect(rec.events).toEqual(['print "after"', 'osc "0;ok" bel']);
  });
});

describe('Parser: DCS', () => {
  it('hook / put / unhook with params, prefix and intermediates', () => {
    expect(run(`${DCS}1;2q#0;2;0;0;0${ST}${DCS}$qm${ST}${DCS}>|${ST}${DCS}+q544e${ST}`)).toEqual([
      'hook [1,2] q',
      'put "#0;2;0;0;0"',
      'unhook',
      'hook []$ q',
      'put "m"',
      'unhook',
      'hook >[] |',
      'unhook',
      'hook []+ q',
      'put "544e"',
      'unhook',
    ]);
  });
  it('C0 controls are payload inside passthrough, DEL is dropped', () => {
    expect(run(`${DCS}qa\nb\x7fc${ST}`)).toEqual(['hook [] q', 'put "a\\nbc"', 'unhook']);
  });
  it('non-ASCII payload is passed on as UTF-8 bytes', () => {
    const rec = new Recorder();
    const bytesSeen: number[] = [];
    rec.dcsPut = (d, s, e) => bytesSeen.push(...d.subarray(s, e));
    run(`${DCS}qé${ST}`, rec);
    expect(bytesSeen).toEqual([0xc3, 0xa9]);
  });
  it('put is bounded: a 1 MB payload arrives in many small pieces', () => {
    const rec = new Recorder();
    let maxPiece = 0;
    let total = 0;
    rec.dcsPut = (_d, s, e) => {
      maxPiece = Math.max(maxPiece, e - s);
      total += e - s;
    };
    const p = new Parser(rec);
    p.parse(Buffer.from(`${DCS}q`));
    p.parse(Buffer.alloc(1 << 20, 0x3f));
    p.parse(Buffer.from(`${ST}ok`));
    expect(total).toBe(1 << 20);
    expect(maxPiece).toBeLessThanOrEqual(4096);
    expect(rec.events.slice(-2)).toEqual(['unhook', 'print "ok"']);
  });
  it('invalid DCS header goes to dcs_ignore: no hook, swallowed until ST', () => {
    expect(run(`${DCS}1?qdata${ST}x`)).toEqual(['print "x"']);
    expect(run(`${DCS} 1qdata${ST}x`)).toEqual(['print "x"']);
  });
  it('C0 in the DCS header is ignored', () => {
    expect(run(`${DCS}1\n;2q${ST}`)).toEqual(['hook [1,2] q', 'unhook']);
  });
});

describe('Parser: SOS / PM / APC', () => {
  it('ESC X / ESC ^ / ESC _ strings are consumed and ignored', () => {
    expect(run(`a${ESC}Xsos${ST}b${ESC}^pm${ST}c${ESC}_Gf=100;AAAA${ST}d`)).toEqual([
      'print "a"',
      'print "b"',
      'print "c"',
      'print "d"',
    ]);
  });
  it('BEL does not end an APC string', () => {
    expect(run(`${ESC}_a\x07b${ST}x`)).toEqual(['print "x"']);
  });
});

describe('Parser: reset()', () => {
  it('drops a partial sequence and a partial UTF-8 character', () => {
    const rec = new Recorder();
    const p = new Parser(rec);
    p.parse(Buffer.from(`${CSI}12;`));
    p.reset();
    p.parse(Buffer.from('H'));
    p.parse(new Uint8Array([0xe2, 0x82]));
    p.reset();
    p.parse(Buffer.from('A'));
    expect(rec.events).toEqual(['print "H"', 'print "A"']);
  });
});

describe('Parser: parse(data, start, end)', () => {
  it('honours the range', () => {
    const rec = new Recorder();
    new Parser(rec).parse(Buffer.from('xxab\r\nyy'), 2, 6);
    expect(rec.events).toEqual(['print "ab"', 'exec 0d', 'exec 0a']);
  });
  it('clamps an out-of-range end', () => {
    const rec = new Recorder();
    new Parser(rec).parse(Buffer.from('ab'), 0, 99);
    expect(rec.events).toEqual(['print "ab"']);
  });
});
