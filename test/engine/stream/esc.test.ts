import { describe, expect, it } from 'vitest';
import { Charset } from '../../../src/engine/stream/actions.js';
import { driver } from './recorder.js';

describe('Stream: ESC sequences', () => {
  const d = driver();

  it('DECSC / DECRC', () => {
    expect(d.esc('7')).toEqual([['saveCursor']]);
    expect(d.esc('8')).toEqual([['restoreCursor']]);
  });

  it('IND / NEL / HTS / RI', () => {
    expect(d.esc('D')).toEqual([['index']]);
    expect(d.esc('E')).toEqual([['nextLine']]);
    expect(d.esc('H')).toEqual([['setTabStop']]);
    expect(d.esc('M')).toEqual([['reverseIndex']]);
  });

  it('RIS', () => {
    expect(d.esc('c')).toEqual([['fullReset']]);
  });

  it('DECKPAM / DECKPNM', () => {
    expect(d.esc('=')).toEqual([['setKeypadApplication', true]]);
    expect(d.esc('>')).toEqual([['setKeypadApplication', false]]);
  });

  it('DECALN — ESC # 8; DECDHL/DECSWL/DECDWL — ESC # 3/4/5/6; other ESC # finals are ignored', () => {
    expect(d.esc('#8')).toEqual([['screenAlignmentTest']]);
    expect(d.esc('#3')).toEqual([['setLineSize', 2]]);
    expect(d.esc('#4')).toEqual([['setLineSize', 3]]);
    expect(d.esc('#5')).toEqual([['setLineSize', 0]]);
    expect(d.esc('#6')).toEqual([['setLineSize', 1]]);
    expect(d.esc('#7')).toEqual([]);
  });

  it('LS2 / LS3 invoke G2 / G3', () => {
    expect(d.esc('n')).toEqual([['invokeCharset', 2]]);
    expect(d.esc('o')).toEqual([['invokeCharset', 3]]);
  });

  it('ST (ESC \\) is a no-op', () => {
    expect(d.esc('\\')).toEqual([]);
  });

  it('ESC V / ESC W are SPA / EPA', () => {
    expect(d.esc('V')).toEqual([['setProtectedArea', true]]);
    expect(d.esc('W')).toEqual([['setProtectedArea', false]]);
  });

  it('ESC 6 / ESC 9 are DECBI / DECFI', () => {
    expect(d.esc('6')).toEqual([['backIndex']]);
    expect(d.esc('9')).toEqual([['forwardIndex']]);
  });

  it('unknown sequences are ignored', () => {
    expect(d.esc('Y')).toEqual([]);
    expect(d.esc('~')).toEqual([]);
    expect(d.esc('%G')).toEqual([]);
    expect(d.esc(' F')).toEqual([]);
    expect(d.esc('(#8')).toEqual([]);
  });
});

describe('Stream: SCS charset designation', () => {
  const d = driver();

  it('ESC ( designates G0', () => {
    expect(d.esc('(0')).toEqual([['designateCharset', 0, Charset.DecSpecial]]);
    expect(d.esc('(B')).toEqual([['designateCharset', 0, Charset.Ascii]]);
    expect(d.esc('(A')).toEqual([['designateCharset', 0, Charset.Uk]]);
  });

  it('ESC ) * + designate G1..G3', () => {
    expect(d.esc(')0')).toEqual([['designateCharset', 1, Charset.DecSpecial]]);
    expect(d.esc('*B')).toEqual([['designateCharset', 2, Charset.Ascii]]);
    expect(d.esc('+A')).toEqual([['designateCharset', 3, Charset.Uk]]);
  });

  it('unsupported sets and 96-character designators are ignored', () => {
    expect(d.esc('(K')).toEqual([]);
    expect(d.esc('(<')).toEqual([]);
    expect(d.esc('-A')).toEqual([]);
    expect(d.esc('.A')).toEqual([]);
  });
});
