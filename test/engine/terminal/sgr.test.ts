/**
 * SGR as seen in snapshot().styles: every attribute, underline styles (4:x) and underline
 * colour (58/59), 16/256/RGB colours, resets, and that styles attach per cell.
 */
import { describe, expect, it } from 'vitest';
import type { StyleJson } from '../../../src/engine/index.js';
import { term } from '../../helpers/term.js';

const CSI = '\x1b[';

/** Style of the cell at (row, col) after writing `bytes` into a fresh 20×2 terminal. */
function styleAt(bytes: string, row = 0, col = 0): StyleJson {
  const t = term({ cols: 20, rows: 2 }).write(bytes);
  t.assertIntegrity();
  const s = t.snapshot();
  return s.styles[s.lines[row]!.cells[col]!.style]!;
}

const plain: StyleJson = { fg: null, bg: null, underlineColor: null };

describe('Terminal: SGR attributes in snapshots', () => {
  it('an unstyled cell uses style 0, the default style', () => {
    const t = term().write('x');
    const s = t.snapshot();
    expect(s.lines[0]!.cells[0]!.style).toBe(0);
    expect(s.styles[0]).toEqual(plain);
  });

  it.each([
    ['1', { bold: true }],
    ['2', { faint: true }],
    ['3', { italic: true }],
    ['4', { underline: 'single' }],
    ['5', { blink: true }],
    ['7', { inverse: true }],
    ['8', { invisible: true }],
    ['9', { strikethrough: true }],
    ['53', { overline: true }],
    ['21', { underline: 'double' }],
    ['4:0', {}],
    ['4:1', { underline: 'single' }],
    ['4:2', { underline: 'double' }],
    ['4:3', { underline: 'curly' }],
    ['4:4', { underline: 'dotted' }],
    ['4:5', { underline: 'dashed' }],
  ])('SGR %s', (sgr, attrs) => {
    expect(styleAt(`${CSI}${sgr}mx`)).toEqual({ ...plain, ...attrs });
  });

  it.each([
    ['31', { fg: 1 }],
    ['97', { fg: 15 }],
    ['42', { bg: 2 }],
    ['101', { bg: 9 }],
    ['38;5;200', { fg: 200 }],
    ['48;5;17', { bg: 17 }],
    ['38;2;1;2;255', { fg: '#0102ff' }],
    ['48;2;255;128;0', { bg: '#ff8000' }],
    ['38:2::10:20:30', { fg: '#0a141e' }],
    ['58;5;9', { underlineColor: 9 }],
    ['58:2::255:0:0', { underlineColor: '#ff0000' }],
    ['4:3;58;2;0;255;0', { underline: 'curly', underlineColor: '#00ff00' }],
  ])('colour SGR %s', (sgr, attrs) => {
    expect(styleAt(`${CSI}${sgr}mx`)).toEqual({ ...plain, ...attrs });
  });

  it('several attributes combine in one sequence', () => {
    expect(styleAt(`${CSI}1;3;4;9;38;5;100;48;2;0;0;1mx`)).toEqual({
      fg: 100, bg: '#000001', underlineColor: null, bold: true, italic: true, underline: 'single', strikethrough: true,
    });
  });

  it.each([
    ['22', '1;2', {}],
    ['23', '3', {}],
    ['24', '4:3', {}],
    ['25', '5', {}],
    ['27', '7', {}],
    ['28', '8', {}],
    ['29', '9', {}],
    ['55', '53', {}],
    ['39', '31;42', { bg: 2 }],
    ['49', '31;42', { fg: 1 }],
    ['59', '58;5;3;4', { underline: 'single' }],
    ['0', '1;3;31;44;58;5;1', {}],
    ['', '1;3;31;44', {}],
  ])('SGR %s resets what it should', (reset, set, rest) => {
    expect(styleAt(`${CSI}${set}m${CSI}${reset}mx`)).toEqual({ ...plain, ...rest });
  });

  it('22 clears both bold and faint; 24 clears any underline style', () => {
    expect(styleAt(`${CSI}1;2;4:5;3m${CSI}22;24mx`)).toEqual({ ...plain, italic: true });
  });

  it('styles attach to the cells they were printed with', () => {
    const t = term({ cols: 10, rows: 1 }).write(`a${CSI}1mb${CSI}0mc${CSI}1md`);
    const s = t.snapshot();
    const ids = s.lines[0]!.cells.slice(0, 4).map((c) => c.style);
    expect(ids[0]).toBe(0);
    expect(ids[2]).toBe(0);
    expect(ids[1]).not.toBe(0);
    expect(ids[3]).toBe(ids[1]); // identical styles share one entry
    expect(s.styles[ids[1]!]).toEqual({ ...plain, bold: true });
  });

  it('a wide character carries its style on both cells', () => {
    const t = term({ cols: 10, rows: 1 }).write(`${CSI}32m中`);
    const cells = t.snapshot().lines[0]!.cells;
    expect(cells[0]!.style).toBe(cells[1]!.style);
    expect(t.snapshot().styles[cells[0]!.style]!.fg).toBe(2);
  });

  it('styles survive scrolling into the scrollback', () => {
    const t = term({ cols: 5, rows: 1 }).write(`${CSI}35mx${CSI}0m\r\ny`);
    const s = t.snapshot(1);
    expect(s.lines).toHaveLength(2);
    expect(s.styles[s.lines[0]!.cells[0]!.style]!.fg).toBe(5);
    expect(s.lines[1]!.cells[0]!.style).toBe(0);
    t.assertIntegrity();
  });
});
