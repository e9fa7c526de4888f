import { describe, expect, it } from 'vitest';
import { driver } from './recorder.js';

describe('Stream: CSI cursor movement', () => {
  const d = driver();

  it('CUU/CUD/CUF/CUB default a missing or 0 count to 1', () => {
    expect(d.csi('A')).toEqual([['cursorUp', 1]]);
    expect(d.csi('0A')).toEqual([['cursorUp', 1]]);
    expect(d.csi('5A')).toEqual([['cursorUp', 5]]);
    expect(d.csi('B')).toEqual([['cursorDown', 1]]);
    expect(d.csi('3B')).toEqual([['cursorDown', 3]]);
    expect(d.csi('0C')).toEqual([['cursorForward', 1]]);
    expect(d.csi('7C')).toEqual([['cursorForward', 7]]);
    expect(d.csi('D')).toEqual([['cursorBackward', 1]]);
    expect(d.csi('2D')).toEqual([['cursorBackward', 2]]);
  });

  it('CNL/CPL', () => {
    expect(d.csi('E')).toEqual([['cursorNextLine', 1]]);
    expect(d.csi('4E')).toEqual([['cursorNextLine', 4]]);
    expect(d.csi('0F')).toEqual([['cursorPrevLine', 1]]);
    expect(d.csi('2F')).toEqual([['cursorPrevLine', 2]]);
  });

  it('CHA and HPA set the column, VPA the row (1-based, 0 → 1)', () => {
    expect(d.csi('G')).toEqual([['setCursorCol', 1]]);
    expect(d.csi('10G')).toEqual([['setCursorCol', 10]]);
    expect(d.csi('`')).toEqual([['setCursorCol', 1]]);
    expect(d.csi('8`')).toEqual([['setCursorCol', 8]]);
    expect(d.csi('d')).toEqual([['setCursorRow', 1]]);
    expect(d.csi('0d')).toEqual([['setCursorRow', 1]]);
    expect(d.csi('12d')).toEqual([['setCursorRow', 12]]);
  });

  it('HPR/HPB and VPR/VPB move relative to the cursor (CUP semantics, xterm)', () => {
    expect(d.csi('a')).toEqual([['cursorColRelative', 1]]);
    expect(d.csi('3a')).toEqual([['cursorColRelative', 3]]);
    expect(d.csi('e')).toEqual([['cursorRowRelative', 1]]);
    expect(d.csi('6e')).toEqual([['cursorRowRelative', 6]]);
    expect(d.csi('0j')).toEqual([['cursorColRelative', -1]]);
    expect(d.csi('4j')).toEqual([['cursorColRelative', -4]]);
    expect(d.csi('k')).toEqual([['cursorRowRelative', -1]]);
    expect(d.csi('2k')).toEqual([['cursorRowRelative', -2]]);
  });

  it('CUP and HVP default each coordinate separately', () => {
    expect(d.csi('H')).toEqual([['setCursorPos', 1, 1]]);
    expect(d.csi('5;10H')).toEqual([['setCursorPos', 5, 10]]);
    expect(d.csi(';5H')).toEqual([['setCursorPos', 1, 5]]);
    expect(d.csi('5H')).toEqual([['setCursorPos', 5, 1]]);
    expect(d.csi('0;0H')).toEqual([['setCursorPos', 1, 1]]);
    expect(d.csi('2;3f')).toEqual([['setCursorPos', 2, 3]]);
    expect(d.csi('f')).toEqual([['setCursorPos', 1, 1]]);
  });

  it('CHT/CBT', () => {
    expect(d.csi('I')).toEqual([['cursorForwardTab', 1]]);
    expect(d.csi('3I')).toEqual([['cursorForwardTab', 3]]);
    expect(d.csi('Z')).toEqual([['cursorBackwardTab', 1]]);
    expect(d.csi('2Z')).toEqual([['cursorBackwardTab', 2]]);
  });

  it('SCOSC/SCORC: bare CSI s saves, CSI u restores', () => {
    expect(d.csi('s')).toEqual([['saveCursor']]);
    expect(d.csi('u')).toEqual([['restoreCursor']]);
  });

  it('CSI s with parameters is DECSLRM (0 = default margin)', () => {
    expect(d.csi('2;10s')).toEqual([['setLeftRightMargin', 2, 10]]);
    expect(d.csi(';10s')).toEqual([['setLeftRightMargin', 0, 10]]);
    expect(d.csi('3s')).toEqual([['setLeftRightMargin', 3, 0]]);
  });

  it('CSI u with a prefix (kitty keyboard protocol) is not a restore', () => {
    expect(d.csi('?u')).toEqual([]);
    expect(d.csi('>1u')).toEqual([]);
    expect(d.csi('=1;1u')).toEqual([]);
    expect(d.csi('<u')).toEqual([]);
  });

  it('DECSCUSR — CSI Ps SP q', () => {
    expect(d.csi(' q')).toEqual([['setCursorStyle', 0]]);
    expect(d.csi('2 q')).toEqual([['setCursorStyle', 2]]);
    expect(d.csi('6 q')).toEqual([['setCursorStyle', 6]]);
    expect(d.csi('7 q')).toEqual([]);
  });
});

describe('Stream: CSI editing and erasing', () => {
  const d = driver();

  it('ICH/DCH/ECH/IL/DL default to 1', () => {
    expect(d.csi('@')).toEqual([['insertChars', 1]]);
    expect(d.csi('4@')).toEqual([['insertChars', 4]]);
    expect(d.csi('P')).toEqual([['deleteChars', 1]]);
    expect(d.csi('0P')).toEqual([['deleteChars', 1]]);
    expect(d.csi('3P')).toEqual([['deleteChars', 3]]);
    expect(d.csi('X')).toEqual([['eraseChars', 1]]);
    expect(d.csi('9X')).toEqual([['eraseChars', 9]]);
    expect(d.csi('L')).toEqual([['insertLines', 1]]);
    expect(d.csi('2L')).toEqual([['insertLines', 2]]);
    expect(d.csi('M')).toEqual([['deleteLines', 1]]);
    expect(d.csi('5M')).toEqual([['deleteLines', 5]]);
  });

  it('$ x/z/{/v/r/t are the rectangle operations; " q is DECSCA; * x is DECSACE', () => {
    expect(d.csi('42;2;3;4;5$x')).toEqual([['fillRectangle', 42, 2, 3, 4, 5]]);
    expect(d.csi('$z')).toEqual([['eraseRectangle', 0, 0, 0, 0, false]]);
    expect(d.csi('1;2;3;4${')).toEqual([['eraseRectangle', 1, 2, 3, 4, true]]);
    expect(d.csi('1;2;3;4;1;5;6;1$v')).toEqual([['copyRectangle', 1, 2, 3, 4, 5, 6]]);
    expect(d.csi('1;2;3;4;1;7$r')).toEqual([['changeRectangleAttributes', false, 1, 2, 3, 4, [1, 7]]]);
    expect(d.csi('1;2;3;4$t')).toEqual([['changeRectangleAttributes', true, 1, 2, 3, 4, []]]);
    expect(d.csi('1"q')).toEqual([['setCharProtection', 1]]);
    expect(d.csi('2*x')).toEqual([['setAttributeChangeExtent', 2]]);
  });

  it('# y is XTCHECKSUM (Ps absent → 0), * y DECRQCRA', () => {
    expect(d.csi('5#y')).toEqual([['setChecksumExtension', 5]]);
    expect(d.csi('#y')).toEqual([['setChecksumExtension', 0]]);
    expect(d.csi('?5#y')).toEqual([]);
    expect(d.csi('7;1;1;1;2;3*y')).toEqual([['requestChecksum', 7, 1, 1, 2, 3]]);
  });

  it('SP @ / SP A are SL / SR, never ICH / CUU; \' } / \' ~ are DECIC / DECDC', () => {
    expect(d.csi('2 @')).toEqual([['scrollLeft', 2]]);
    expect(d.csi(' A')).toEqual([['scrollRight', 1]]);
    expect(d.csi("0'}")).toEqual([['insertColumns', 1]]);
    expect(d.csi("3'~")).toEqual([['deleteColumns', 3]]);
    expect(d.csi("?3'~")).toEqual([]);
  });

  it('ED modes 0..3, not selective', () => {
    expect(d.csi('J')).toEqual([['eraseInDisplay', 0, false]]);
    expect(d.csi('0J')).toEqual([['eraseInDisplay', 0, false]]);
    expect(d.csi('1J')).toEqual([['eraseInDisplay', 1, false]]);
    expect(d.csi('2J')).toEqual([['eraseInDisplay', 2, false]]);
    expect(d.csi('3J')).toEqual([['eraseInDisplay', 3, false]]);
    expect(d.csi('4J')).toEqual([]);
  });

  it('DECSED — CSI ? Ps J is selective', () => {
    expect(d.csi('?J')).toEqual([['eraseInDisplay', 0, true]]);
    expect(d.csi('?2J')).toEqual([['eraseInDisplay', 2, true]]);
    expect(d.csi('?3J')).toEqual([['eraseInDisplay', 3, true]]);
  });

  it('EL modes 0..2 and DECSEL', () => {
    expect(d.csi('K')).toEqual([['eraseInLine', 0, false]]);
    expect(d.csi('1K')).toEqual([['eraseInLine', 1, false]]);
    expect(d.csi('2K')).toEqual([['eraseInLine', 2, false]]);
    expect(d.csi('3K')).toEqual([]);
    expect(d.csi('?K')).toEqual([['eraseInLine', 0, true]]);
    expect(d.csi('?1K')).toEqual([['eraseInLine', 1, true]]);
  });

  it('REP', () => {
    expect(d.csi('b')).toEqual([['repeatPreceding', 1]]);
    expect(d.csi('0b')).toEqual([['repeatPreceding', 1]]);
    expect(d.csi('80b')).toEqual([['repeatPreceding', 80]]);
  });
});

describe('Stream: CSI scrolling and margins', () => {
  const d = driver();

  it('SU/SD', () => {
    expect(d.csi('S')).toEqual([['scrollUp', 1]]);
    expect(d.csi('3S')).toEqual([['scrollUp', 3]]);
    expect(d.csi('T')).toEqual([['scrollDown', 1]]);
    expect(d.csi('0T')).toEqual([['scrollDown', 1]]);
    expect(d.csi('4T')).toEqual([['scrollDown', 4]]);
  });

  it('CSI Ps T with more than one parameter is mouse highlight tracking: ignored', () => {
    expect(d.csi('1;2;3;4;5T')).toEqual([]);
    expect(d.csi('1;2T')).toEqual([]);
  });

  it('CSI ? Ps S (XTSMGRAPHICS) and CSI > T (XTRMTITLE) are not scrolls', () => {
    expect(d.csi('?1;1S')).toEqual([]);
    expect(d.csi('>T')).toEqual([]);
  });

  it('DECSTBM passes 0 for missing margins', () => {
    expect(d.csi('r')).toEqual([['setTopBottomMargin', 0, 0]]);
    expect(d.csi('2;20r')).toEqual([['setTopBottomMargin', 2, 20]]);
    expect(d.csi(';20r')).toEqual([['setTopBottomMargin', 0, 20]]);
    expect(d.csi('5r')).toEqual([['setTopBottomMargin', 5, 0]]);
  });

  it('CSI ? Pm s / CSI ? Pm r are XTSAVE / XTRESTORE of the listed modes', () => {
    expect(d.csi('?1049s')).toEqual([['saveDecModes', [1049]]]);
    expect(d.csi('?1;;7r')).toEqual([['restoreDecModes', [1, 7]]]);
  });
});

describe('Stream: CSI tabs', () => {
  const d = driver();

  it('TBC 0 and 3 only', () => {
    expect(d.csi('g')).toEqual([['clearTabStop', 0]]);
    expect(d.csi('0g')).toEqual([['clearTabStop', 0]]);
    expect(d.csi('3g')).toEqual([['clearTabStop', 3]]);
    expect(d.csi('2g')).toEqual([]);
  });
});

describe('Stream: CSI modes', () => {
  const d = driver();

  it('SM/RM are ANSI modes', () => {
    expect(d.csi('4h')).toEqual([['setMode', true, 4, true]]);
    expect(d.csi('20l')).toEqual([['setMode', true, 20, false]]);
  });

  it('DECSET/DECRST are DEC modes, one call per mode', () => {
    expect(d.csi('?1049h')).toEqual([['setMode', false, 1049, true]]);
    expect(d.csi('?25l')).toEqual([['setMode', false, 25, false]]);
    expect(d.csi('?1;1000;1006h')).toEqual([
      ['setMode', false, 1, true],
      ['setMode', false, 1000, true],
      ['setMode', false, 1006, true],
    ]);
    expect(d.csi('?7;;69l')).toEqual([
      ['setMode', false, 7, false],
      ['setMode', false, 69, false],
    ]);
  });

  it('SM/RM without parameters do nothing', () => {
    expect(d.csi('h')).toEqual([]);
    expect(d.csi('?l')).toEqual([]);
  });

  it('DECRQM for ANSI and DEC modes', () => {
    expect(d.csi('4$p')).toEqual([['requestMode', true, 4]]);
    expect(d.csi('?2026$p')).toEqual([['requestMode', false, 2026]]);
    expect(d.csi('>4$p')).toEqual([]);
  });
});

describe('Stream: CSI resets and reports', () => {
  const d = driver();

  it('DECSTR — CSI ! p', () => {
    expect(d.csi('!p')).toEqual([['softReset']]);
  });

  it('DA1/DA2/DA3', () => {
    expect(d.csi('c')).toEqual([['deviceAttributes', 'primary']]);
    expect(d.csi('0c')).toEqual([['deviceAttributes', 'primary']]);
    expect(d.csi('1c')).toEqual([]);
    expect(d.csi('>c')).toEqual([['deviceAttributes', 'secondary']]);
    expect(d.csi('>0c')).toEqual([['deviceAttributes', 'secondary']]);
    expect(d.csi('=c')).toEqual([['deviceAttributes', 'tertiary']]);
    expect(d.csi('=0c')).toEqual([['deviceAttributes', 'tertiary']]);
  });

  it('DSR 5 and 6, DECXCPR', () => {
    expect(d.csi('5n')).toEqual([['deviceStatusReport', 5, false]]);
    expect(d.csi('6n')).toEqual([['deviceStatusReport', 6, false]]);
    expect(d.csi('?6n')).toEqual([['deviceStatusReport', 6, true]]);
    expect(d.csi('n')).toEqual([]);
    expect(d.csi('7n')).toEqual([]);
  });

  it('CSI > Ps n (XTMODKEYS reset) is not a DSR', () => {
    expect(d.csi('>4n')).toEqual([]);
  });

  it('XTVERSION — CSI > q', () => {
    expect(d.csi('>q')).toEqual([['reportVersion']]);
    expect(d.csi('>0q')).toEqual([['reportVersion']]);
    expect(d.csi('>1q')).toEqual([]);
  });

  it('window ops pass up to three parameters', () => {
    expect(d.csi('14t')).toEqual([['windowOp', 14, 0, 0]]);
    expect(d.csi('18t')).toEqual([['windowOp', 18, 0, 0]]);
    expect(d.csi('8;24;80t')).toEqual([['windowOp', 8, 24, 80]]);
    expect(d.csi('22;0t')).toEqual([['windowOp', 22, 0, 0]]);
    expect(d.csi('t')).toEqual([]);
  });

  it('CSI > Ps t (XTSMTITLE) is not a window op', () => {
    expect(d.csi('>0;1t')).toEqual([]);
  });
});

describe('Stream: CSI unknown sequences', () => {
  const d = driver();

  it('are ignored', () => {
    expect(d.csi('y')).toEqual([]);
    expect(d.csi('?5W')).toEqual([]);
    expect(d.csi('1"r')).toEqual([]);
    expect(d.csi('62"p')).toEqual([]);
    expect(d.csi('<0;1;1M')).toEqual([]);
    expect(d.csi('?1$x')).toEqual([]);
  });

  it('unknown prefix/intermediate combinations of known finals are ignored', () => {
    expect(d.csi('?A')).toEqual([]);
    expect(d.csi('>H')).toEqual([]);
    expect(d.csi('1 H')).toEqual([]);
    expect(d.csi('?!p')).toEqual([]);
    expect(d.csi('? q')).toEqual([]);
    expect(d.csi('2$$p')).toEqual([]);
  });
});
