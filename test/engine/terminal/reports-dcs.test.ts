/**
 * DCS requests and the screen checksum, as xterm answers them: DECRQSS (`DCS $ q Pt ST`),
 * XTGETTCAP (`DCS + q Pt ST`), DECRQCRA (`CSI Pi;Pg;Pt;Pl;Pb;Pr * y`). Where @xterm/headless
 * answers the same it is asked too (it answers DECRQSS for r, "q and invalid settings; not
 * XTGETTCAP or DECRQCRA).
 */
import { describe, expect, it } from 'vitest';
import { term, xtermReplies } from '../../helpers/term.js';
import { decCharValue } from '../../../src/engine/terminal/report-checksum.js';

const ESC = '\x1b';
const CSI = `${ESC}[`;
const ST = `${ESC}\\`;
const rqss = (pt: string): string => `${ESC}P$q${pt}${ST}`;
const tcap = (names: string): string => `${ESC}P+q${names}${ST}`;
const hex = (s: string): string => Buffer.from(s, 'latin1').toString('hex').toUpperCase();

describe('DECRQSS', () => {
  it.each([
    ['SGR after a reset', `${CSI}m`, 'm', '0m'],
    ['SGR bold underline inverse', `${CSI}1;4;7m`, 'm', '0;1;4;7m'],
    ['SGR in xterm\'s order whatever the order set', `${CSI}3;9;2;5;8m`, 'm', '0;5;8;2;3;9m'],
    ['SGR double underline', `${CSI}21m`, 'm', '0;21m'],
    ['SGR 16 colours', `${CSI}31;44m`, 'm', '0;31;44m'],
    ['SGR bright colours', `${CSI}91;104m`, 'm', '0;91;104m'],
    ['SGR 256 colours', `${CSI}38;5;200;48;5;17m`, 'm', '0;38;5;200;48;5;17m'],
    ['SGR direct colour', `${CSI}38;2;1;2;3m`, 'm', '0;38:2::1:2:3m'],
    ['SGR curly underline and its colour (beyond xterm, round-trips)', `${CSI}4:3;58;5;9m`, 'm', '0;4:3;58:5:9m'],
    ['DECSTBM default', '', 'r', '1;5r'],
    ['DECSTBM set', `${CSI}2;4r`, 'r', '2;4r'],
    ['DECSLRM default', '', 's', '1;10s'],
    ['DECSLRM set', `${CSI}?69h${CSI}3;7s`, 's', '3;7s'],
    ['DECSCUSR initial (steady block)', '', ' q', '2 q'],
    ['DECSCUSR 0 (blinking block)', `${CSI}0 q`, ' q', '1 q'],
    ['DECSCUSR steady underline', `${CSI}4 q`, ' q', '4 q'],
    ['DECSCUSR blinking bar', `${CSI}5 q`, ' q', '5 q'],
    ['DECSCUSR bar made steady by ?12l', `${CSI}5 q${CSI}?12l`, ' q', '6 q'],
    ['DECSCA', '', '"q', '0"q'],
    ['DECSCA set', `${CSI}1"q`, '"q', '1"q'],
    ['DECSCA set then cleared', `${CSI}1"q${CSI}0"q`, '"q', '0"q'],
    ['DECSCA: SPA\'s (ISO) protection is not DECSCA\'s', `\x1bV`, '"q', '0"q'],
    ['DECSACE default', '', '*x', '0*x'],
    ['DECSACE rectangle', `${CSI}2*x`, '*x', '2*x'],
    ['DECSCL (the VT420 level DA1 claims, 7-bit)', '', '"p', '64;1"p'],
    ['DECSLPP', '', 't', '5t'],
    ['DECSCPP', '', '$|', '10$|'],
    ['DECSNLS', '', '*|', '5*|'],
    ['DECSASD', '', '$}', '0$}'],
    ['DECSSDT', '', '$~', '0$~'],
  ])('%s', (_name, setup, pt, answer) => {
    const t = term({ cols: 10, rows: 5 }).write(setup + rqss(pt));
    expect(t.takeReplies()).toBe(`${ESC}P1$r${answer}${ST}`);
  });

  it.each([['zz'], [''], ['mm'], ['"'], ['x*']])('invalid or unknown %j → DCS 0 $ r ST, as xterm', async (pt) => {
    const t = term({ cols: 10, rows: 5 }).write(rqss(pt));
    expect(t.takeReplies()).toBe(`${ESC}P0$r${ST}`);
  });

  it('agrees with xterm.js on DECSTBM, DECSCA and an invalid request', async () => {
    for (const bytes of [`${CSI}2;4r${rqss('r')}`, rqss('"q'), rqss('zz')]) {
      const t = term({ cols: 10, rows: 5 }).write(bytes);
      expect(t.takeReplies()).toBe(await xtermReplies(bytes, 10, 5));
    }
  });

  it('the SGR answer recreates the style it reports', () => {
    const a = term().write(`${CSI}1;3;4;7;9;38;2;10;20;30;48;5;100m${rqss('m')}`);
    const sgr = /P1\$r(.*)m/.exec(a.takeReplies())![1]!;
    const b = term().write(`${CSI}${sgr}m`);
    expect(b.cursor.style.equals(a.cursor.style)).toBe(true);
  });

  it('parameters, a private marker or a cut string make it no request', () => {
    const t = term().write(`${ESC}P1$qm${ST}${ESC}P>$qm${ST}${ESC}P$qm\x18${ESC}P$qm\x1a`);
    expect(t.replies).toEqual([]);
  });

  it('an oversized request is invalid, and memory stays bounded', () => {
    const t = term().write(`${ESC}P$q${'m'.repeat(100_000)}${ST}`);
    expect(t.takeReplies()).toBe(`${ESC}P0$r${ST}`);
  });

  it('split across writes at every byte', () => {
    const bytes = `${CSI}2;4r${rqss('r')}`;
    for (let cut = 1; cut < bytes.length; cut++) {
      const t = term({ cols: 10, rows: 5 }).write(bytes.slice(0, cut)).write(bytes.slice(cut));
      expect(t.takeReplies()).toBe(`${ESC}P1$r2;4r${ST}`);
    }
  });
});

describe('XTGETTCAP', () => {
  it.each([
    ['TN', 'xterm-256color'],
    ['name', 'xterm-256color'],
    ['Co', '256'],
    ['colors', '256'],
    ['RGB', '8'],
    ['kcuu1', '\x1bOA'],
    ['ku', '\x1bOA'],
    ['kcub1', '\x1bOD'],
    ['khome', '\x1bOH'],
    ['kend', '\x1bOF'],
    ['kdch1', '\x1b[3~'],
    ['kbs', '\x7f'],
    ['kcbt', '\x1b[Z'],
    ['kf1', '\x1bOP'],
    ['kf5', '\x1b[15~'],
    ['kf12', '\x1b[24~'],
    ['kf13', '\x1b[1;2P'],
    ['kf24', '\x1b[24;2~'],
    ['k;', '\x1b[21~'],
    ['kLFT', '\x1b[1;2D'],
  ])('%s → its xterm-256color value, hex-encoded', (name, value) => {
    const t = term().write(tcap(hex(name)));
    expect(t.takeReplies()).toBe(`${ESC}P1+r${hex(name)}=${hex(value)}${ST}`);
  });

  it('the key values are what termpool\'s key encoder sends (application cursor keys, as terminfo assumes after smkx)', async () => {
    const { encodeKeys } = await import('../../../src/input/keys.js');
    const modes = { applicationCursorKeys: true, applicationKeypad: false };
    for (const [cap, key] of [['kcuu1', 'Up'], ['kcud1', 'Down'], ['khome', 'Home'], ['kend', 'End'], ['kich1', 'Insert'], ['kpp', 'PageUp'], ['kf1', 'F1'], ['kf10', 'F10'], ['kf14', 'F14'], ['kbs', 'Backspace'], ['kcbt', 'BTab']] as const) {
      const t = term().write(tcap(hex(cap)));
      const value = Buffer.from(/=([0-9A-F]+)/.exec(t.takeReplies())![1]!, 'hex').toString('latin1');
      expect([cap, value]).toEqual([cap, encodeKeys([key], modes)]);
    }
  });

  it('an unknown first name → DCS 0 + r name ST', () => {
    const t = term().write(tcap(hex('nope')));
    expect(t.takeReplies()).toBe(`${ESC}P0+r${hex('nope')}${ST}`);
  });

  it('several names in one answer; it stops after the first unknown one (xterm do_dcs)', () => {
    const t = term().write(tcap(`${hex('TN')};${hex('Co')};${hex('zz')};${hex('kbs')}`));
    expect(t.takeReplies()).toBe(`${ESC}P1+r${hex('TN')}=${hex('xterm-256color')};${hex('Co')}=${hex('256')};${hex('zz')}${ST}`);
  });

  it('names are echoed as sent (lower-case hex), values in upper case', () => {
    const t = term().write(tcap('436f'));
    expect(t.takeReplies()).toBe(`${ESC}P1+r436f=323536${ST}`);
  });

  it('bounded: at most 64 names answered; a payload past 1 KiB is not answered at all', () => {
    const t = term().write(tcap(Array(100).fill(hex('TN')).join(';')));
    const reply = t.takeReplies();
    expect(reply.split(';')).toHaveLength(64);
    expect(reply.startsWith(`${ESC}P1+r`)).toBe(true);
    t.write(tcap(Array(300).fill(hex('TN')).join(';')));
    expect(t.replies).toEqual([]);
  });

  it('a name that is not hex is never echoed (an ESC \\ inside it would end the reply and type the rest)', () => {
    // A hex name decoding to ESC \ is echoed as its hex digits: harmless.
    const t = term().write(tcap('1b5c;726d'));
    expect(t.takeReplies()).toBe(`${ESC}P0+r1b5c${ST}`);
    t.write(tcap('zz;6b62'));
    expect(t.takeReplies()).toBe(`${ESC}P0+r${ST}`);
  });
});

describe('DECRQCRA', () => {
  const rq = (params: string): string => `${CSI}${params}*y`;
  const answer = (id: string, sum: number): string => `${ESC}P${id}!~${(-sum & 0xffff).toString(16).toUpperCase().padStart(4, '0')}${ST}`;

  it('an empty screen sums to 0 (never-written cells are skipped)', () => {
    expect(term().write(rq('1;1')).takeReplies()).toBe(`${ESC}P1!~0000${ST}`);
  });

  it('characters, negated in 16 bits; blanks trimmed but for the first cell; whole screen by default', () => {
    const t = term({ cols: 10, rows: 5 }).write('a b\r\n c');
    // a + b + c; the space between a and b and the space before c are blanks (not first).
    expect(t.write(rq('7;1')).takeReplies()).toBe(answer('7', 0x61 + 0x62 + 0x63));
    // A rectangle starting at the space before c: that first space counts.
    expect(t.write(rq('7;1;2;1;2;2')).takeReplies()).toBe(answer('7', 0x20 + 0x63));
  });

  it('video attributes: invisible 8, underline 0x10, inverse 0x20, blink 0x40, bold 0x80; a styled space is no blank', () => {
    const t = term().write(`${CSI}1;4ma${CSI}0;7;5m ${CSI}0;8mb${CSI}0;21mc`);
    expect(t.write(rq('1;1;1;1;1;4')).takeReplies()).toBe(answer('1', (0x61 + 0x90) + (0x20 + 0x60) + (0x62 + 0x08) + (0x63 + 0x10)));
  });

  it('protected cells (DECSCA) add 4', () => {
    const t = term().write(`${CSI}1"qa${CSI}0"qb`);
    expect(t.write(rq('1;1;1;1;1;2')).takeReplies()).toBe(answer('1', (0x61 + 0x04) + 0x62));
  });

  it('faint, italic, crossed-out keep a space from being trimmed without adding to it', () => {
    const t = term().write(`x${CSI}3m `);
    expect(t.write(rq('1;1;1;1;1;2')).takeReplies()).toBe(answer('1', 0x78 + 0x20));
  });

  it('DEC 8-bit values: Latin-1 masked to 7 bits, anything past it and wide characters ESC', () => {
    expect([decCharValue(0x41), decCharValue(0xe9), decCharValue(0xa0), decCharValue(0x7f), decCharValue(0x20ac)]).toEqual([0x41, 0x69, 0x1b, 0, 0x1b]);
    const t = term().write('é橋');
    expect(t.write(rq('1;1;1;1;1;3')).takeReplies()).toBe(answer('1', 0x69 + 0x1b + 0x1b));
  });

  it('edges past the screen are clamped; an empty rectangle answers 0000; Pi absent is left out', () => {
    const t = term({ cols: 10, rows: 5 }).write('abc');
    expect(t.write(rq('2;1;1;2;99;99')).takeReplies()).toBe(answer('2', 0x62 + 0x63));
    expect(t.write(rq('3;1;4;1;2;1')).takeReplies()).toBe(`${ESC}P3!~0000${ST}`);
    expect(t.write(rq('')).takeReplies()).toBe(answer('', 0x61 + 0x62 + 0x63));
  });

  it('under DECOM the rectangle is relative to the scroll region and limited to it', () => {
    const t = term({ cols: 10, rows: 5 }).write(`x\r\ny\r\nz${CSI}2;3r${CSI}?6h`);
    // Row 1 of the region is screen row 2 (y); its default bottom is the region's (row 3: z).
    expect(t.write(rq('1;1;1;1;1;1')).takeReplies()).toBe(answer('1', 0x79));
    expect(t.write(rq('1;1')).takeReplies()).toBe(answer('1', 0x79 + 0x7a));
    expect(t.write(rq('1;1;1;1;9;9')).takeReplies()).toBe(answer('1', 0x79 + 0x7a));
  });

  it('is paid from the REP/DECALN cell credit: a flood of checksums is not answered past it', () => {
    const t = term({ cols: 200, rows: 100 });
    const n = 2000;
    const bytes = rq('1;1').repeat(n);
    t.write(bytes);
    // Credit: 2 screens, plus 16 cells for each byte of every 4 KiB block begun (amplify.ts).
    const credit = 2 * 200 * 100 + 16 * Math.ceil(bytes.length / 4096) * 4096;
    expect(t.replies.length).toBe(Math.floor(credit / (200 * 100)));
    expect(t.replies.length).toBeLessThan(n);
    expect(t.amplify.refused).toBe((n - t.replies.length) * 200 * 100);
  });
});
