/**
 * XTCHECKSUM (`CSI Ps # y`): xterm's checksumExtension bits change how DECRQCRA sums a
 * rectangle (xterm's screen.c xtermCheckRect, ctlseqs "Select checksum extension"):
 * 1 not negated, 2 no video attributes, 4 no blank trimming (never-written cells count as
 * blanks), 8 with 4 never-written cells left out, 16 code points (not DEC 8-bit values) with
 * their combining marks, 32 Latin-1 not masked to 7 bits. DECSTR and RIS set it back to 0.
 */
import { describe, expect, it } from 'vitest';
import { term } from '../../helpers/term.js';

const ESC = '\x1b';
const CSI = `${ESC}[`;
const ST = `${ESC}\\`;
const rq = (params: string): string => `${CSI}${params}*y`;
const ext = (ps: number | ''): string => `${CSI}${ps}#y`;
/** The DECRQCRA answer for a raw (not yet negated) sum. */
const negated = (sum: number): string => `${ESC}P1!~${(-sum & 0xffff).toString(16).toUpperCase().padStart(4, '0')}${ST}`;
const positive = (sum: number): string => `${ESC}P1!~${(sum & 0xffff).toString(16).toUpperCase().padStart(4, '0')}${ST}`;

/** Row 1, columns 1–5 of a 10×3 terminal after `bytes`, with XTCHECKSUM `ps` set first. */
function sum5(ps: number | null, bytes: string): string {
  const t = term({ cols: 10, rows: 3 });
  if (ps !== null) t.write(ext(ps));
  return t.write(bytes + rq('1;1;1;1;1;5')).takeReplies();
}

describe('XTCHECKSUM (CSI Ps # y)', () => {
  it('0 (and none set) is the DEC checksum: negated, attributes added, blanks trimmed', () => {
    expect(sum5(null, `a b${CSI}1mc`)).toBe(negated(0x61 + 0x62 + 0x63 + 0x80));
    expect(sum5(0, `a b${CSI}1mc`)).toBe(negated(0x61 + 0x62 + 0x63 + 0x80));
  });

  it('1: the sum is not negated', () => {
    expect(sum5(1, 'abc')).toBe(positive(0x61 + 0x62 + 0x63));
  });

  it('2: video attributes are not added', () => {
    expect(sum5(2, `${CSI}1;4;7ma${CSI}0m`)).toBe(negated(0x61));
    expect(sum5(2 | 1, `${CSI}1"qa`)).toBe(positive(0x61)); // protection is an attribute too
  });

  it('4: blanks are not trimmed, and never-written cells count as blanks', () => {
    // "a b" then two cells never written: a + space + b + 2 blanks.
    expect(sum5(4, 'a b')).toBe(negated(0x61 + 0x20 + 0x62 + 0x20 + 0x20));
    // Without 4 the space and the unwritten cells are trimmed.
    expect(sum5(null, 'a b')).toBe(negated(0x61 + 0x62));
  });

  it('8: with 4, never-written cells are left out; alone it changes nothing', () => {
    expect(sum5(4 | 8, 'a b')).toBe(negated(0x61 + 0x20 + 0x62));
    expect(sum5(8, 'a b')).toBe(negated(0x61 + 0x62));
  });

  it('16: a cell is worth its code point with its combining marks, a wide character\'s right half 0xFFFF', () => {
    expect(sum5(16, 'é€')).toBe(negated(0xe9 + 0x20ac));
    expect(sum5(16, 'e\u0301')).toBe(negated(0x65 + 0x301));
    expect(sum5(16, '橋')).toBe(negated(0x6a4b + 0xffff));
    // The DEC values of the same cells: é masked to 7 bits, € and both halves of 橋 ESC.
    expect(sum5(null, 'é€橋')).toBe(negated(0x69 + 0x1b + 0x1b + 0x1b));
  });

  it('32: Latin-1 keeps its eighth bit; past Latin-1 is still ESC', () => {
    expect(sum5(32, 'é€')).toBe(negated(0xe9 + 0x1b));
  });

  it('CSI # y sets it back to 0; so do DECSTR and RIS', () => {
    const t = term({ cols: 10, rows: 3 }).write('ab');
    const dec = negated(0x61 + 0x62);
    const plus = positive(0x61 + 0x62);
    expect(t.write(ext(1) + rq('1;1;1;1;1;2')).takeReplies()).toBe(plus);
    expect(t.write(ext('') + rq('1;1;1;1;1;2')).takeReplies()).toBe(dec);
    expect(t.write(ext(1) + `${CSI}!p` + rq('1;1;1;1;1;2')).takeReplies()).toBe(dec);
    t.write(ext(1) + `${ESC}cab`);
    expect(t.write(rq('1;1;1;1;1;2')).takeReplies()).toBe(dec);
  });

  it('answers nothing itself, and DECRQSS/DECRQM answer as before', () => {
    const t = term().write(`${CSI}1"q`);
    const before = t.write(`${ESC}P$q"q${ST}${CSI}?7$p`).takeReplies();
    t.write(ext(63));
    expect(t.replies).toEqual([]);
    expect(t.write(`${ESC}P$q"q${ST}${CSI}?7$p`).takeReplies()).toBe(before);
  });
});
