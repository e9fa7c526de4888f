/**
 * Mode flags as snapshots report them: DECTCEM, DECSCNM, DECCKM, DECKPAM/DECKPNM, bracketed
 * paste, mouse tracking and encodings, focus events, synchronized output (2026), IRM, DECAWM,
 * DECOM; and which of them DECSTR and RIS reset.
 */
import { describe, expect, it } from 'vitest';
import { term } from '../../helpers/term.js';

const ESC = '\x1b';
const CSI = '\x1b[';

describe('Terminal: mode flags in snapshot().modes', () => {
  it('defaults', () => {
    expect(term().snapshot().modes).toEqual({
      alternateScreen: false, applicationCursorKeys: false, applicationKeypad: false,
      bracketedPaste: false, mouseTracking: 'none', mouseEncoding: 'default', focusEvents: false,
      synchronizedOutput: false, originMode: false, autowrap: true, insertMode: false,
      reverseVideo: false, cursorVisible: true,
    });
  });

  it('DECTCEM hides and shows the cursor (also in snapshot().cursor)', () => {
    const t = term().write(`${CSI}?25l`);
    expect(t.snapshot().modes.cursorVisible).toBe(false);
    expect(t.snapshot().cursor.visible).toBe(false);
    t.write(`${CSI}?25h`);
    expect(t.snapshot().cursor.visible).toBe(true);
  });

  it('DECSCNM sets reverse video without touching cell styles', () => {
    const t = term().write(`x${CSI}?5h`);
    const s = t.snapshot();
    expect(s.modes.reverseVideo).toBe(true);
    expect(s.lines[0]!.cells[0]!.style).toBe(0);
    expect(t.write(`${CSI}?5l`).snapshot().modes.reverseVideo).toBe(false);
  });

  it('DECCKM sets application cursor keys', () => {
    const t = term().write(`${CSI}?1h`);
    expect(t.snapshot().modes.applicationCursorKeys).toBe(true);
    expect(t.write(`${CSI}?1l`).snapshot().modes.applicationCursorKeys).toBe(false);
  });

  it('DECKPAM / DECKPNM (ESC = / ESC >) and DECNKM (?66) set the keypad mode', () => {
    const t = term().write(`${ESC}=`);
    expect(t.snapshot().modes.applicationKeypad).toBe(true);
    t.write(`${ESC}>`);
    expect(t.snapshot().modes.applicationKeypad).toBe(false);
    t.write(`${CSI}?66h`);
    expect(t.snapshot().modes.applicationKeypad).toBe(true);
  });

  it('bracketed paste (2004)', () => {
    const t = term().write(`${CSI}?2004h`);
    expect(t.snapshot().modes.bracketedPaste).toBe(true);
    expect(t.write(`${CSI}?2004l`).snapshot().modes.bracketedPaste).toBe(false);
  });

  it.each([
    ['9', 'x10'], ['1000', 'normal'], ['1002', 'button'], ['1003', 'any'],
  ])('mouse tracking ?%s → %s, and reset to none', (mode, name) => {
    const t = term().write(`${CSI}?${mode}h`);
    expect(t.snapshot().modes.mouseTracking).toBe(name);
    expect(t.write(`${CSI}?${mode}l`).snapshot().modes.mouseTracking).toBe('none');
  });

  it('the last mouse tracking mode set wins', () => {
    const t = term().write(`${CSI}?1000h${CSI}?1003h`);
    expect(t.snapshot().modes.mouseTracking).toBe('any');
  });

  it.each([
    ['1005', 'utf8'], ['1006', 'sgr'], ['1015', 'urxvt'], ['1016', 'sgr-pixels'],
  ])('mouse encoding ?%s → %s', (mode, name) => {
    const t = term().write(`${CSI}?${mode}h`);
    expect(t.snapshot().modes.mouseEncoding).toBe(name);
    expect(t.write(`${CSI}?${mode}l`).snapshot().modes.mouseEncoding).toBe('default');
  });

  it('resetting an encoding that is not active keeps the active one', () => {
    const t = term().write(`${CSI}?1006h${CSI}?1015l`);
    expect(t.snapshot().modes.mouseEncoding).toBe('sgr');
  });

  it('several modes in one sequence', () => {
    const m = term().write(`${CSI}?1000;1006;1004;2004h`).snapshot().modes;
    expect([m.mouseTracking, m.mouseEncoding, m.focusEvents, m.bracketedPaste]).toEqual(['normal', 'sgr', true, true]);
  });

  it('synchronized output (2026) is a flag only: output is still applied', () => {
    const t = term().write(`${CSI}?2026hhello`);
    expect(t.snapshot().modes.synchronizedOutput).toBe(true);
    expect(t.screenLines()[0]).toBe('hello');
    expect(t.write(`${CSI}?2026l`).snapshot().modes.synchronizedOutput).toBe(false);
  });

  it('IRM, DECAWM and DECOM show up in the snapshot', () => {
    const m = term().write(`${CSI}4h${CSI}?7l${CSI}?6h`).snapshot().modes;
    expect([m.insertMode, m.autowrap, m.originMode]).toEqual([true, false, true]);
  });

  it('DECSCUSR sets the cursor shape', () => {
    expect(term().write(`${CSI}4 q`).snapshot().cursor.shape).toBe(4);
  });

  it('DECSTR resets IRM, DECOM, DECAWM, DECCKM, keypad, DECTCEM, margins and SGR, not the screen', () => {
    const t = term({ cols: 10, rows: 5 })
      .write(`hello${CSI}4h${CSI}?6h${CSI}?7l${CSI}?1h${ESC}=${CSI}?25l${CSI}2;4r${CSI}1;31m${CSI}3;3H`);
    t.write(`${CSI}!p`);
    const s = t.snapshot();
    expect(s.modes).toMatchObject({
      insertMode: false, originMode: false, autowrap: true, applicationCursorKeys: false,
      applicationKeypad: false, cursorVisible: true,
    });
    expect([t.scrollTop, t.scrollBottom]).toEqual([0, 4]);
    expect(s.lines[0]!.text).toBe('hello');
    expect(t.pos).toEqual([3, 2]); // DECSTR does not move the cursor (CUP was origin-relative)
    t.write('x');
    expect(t.snapshot().lines[3]!.cells[2]!.style).toBe(0);
    t.assertIntegrity();
  });

  it('RIS resets every mode, the title, the screen, the scrollback and homes the cursor', () => {
    const t = term({ cols: 10, rows: 2 })
      .write(`a\r\nb\r\nc${CSI}?2004h${CSI}?1000h${CSI}?1h${CSI}?25l\x1b]2;T\x07${CSI}?1049h`);
    expect(t.scrollbackLength).toBe(1);
    t.write(`${ESC}c`);
    const s = t.snapshot();
    expect(s.modes).toEqual(term().snapshot().modes);
    expect(s.title).toBe('');
    expect(t.screenLines()).toEqual(['', '']);
    expect(t.scrollbackLength).toBe(0);
    expect(t.pos).toEqual([0, 0]);
    t.assertIntegrity();
    expect(t.audit().leakedBytes).toBe(0);
  });
});
