import { describe, expect, it } from 'vitest';
import {
  encodeMouse, InputError, type MouseEncodingName, type MouseInput, type MouseModes, type MouseTrackingName,
} from '../../src/input/index.js';

/** The bytes as a latin1 string: one char per byte, so '\x80' is the byte 0x80. */
function mouse(ev: MouseInput, tracking: MouseTrackingName, encoding: MouseEncodingName = 'default'): string {
  const out = encodeMouse(ev, { mouseTracking: tracking, mouseEncoding: encoding });
  expect(Buffer.isBuffer(out)).toBe(true);
  return out.toString('latin1');
}

const at = { row: 4, col: 9 }; // x = 10, y = 5 (1-based); 73;65 in 8×16 pixels

type EventName = 'press' | 'release' | 'scroll' | 'drag' | 'move';
const EVENTS: Record<EventName, MouseInput> = {
  press: { action: 'press', button: 'left', ...at },
  release: { action: 'release', button: 'left', ...at },
  scroll: { action: 'scroll', button: 'wheelUp', ...at },
  drag: { action: 'move', button: 'left', ...at },
  move: { action: 'move', ...at },
};

/** What each encoding sends for each event at (4, 9). */
const BYTES: Record<MouseEncodingName, Record<EventName, string>> = {
  default: { press: '\x1b[M *%', release: '\x1b[M#*%', scroll: '\x1b[M`*%', drag: '\x1b[M@*%', move: '\x1b[MC*%' },
  utf8: { press: '\x1b[M *%', release: '\x1b[M#*%', scroll: '\x1b[M`*%', drag: '\x1b[M@*%', move: '\x1b[MC*%' },
  sgr: { press: '\x1b[<0;10;5M', release: '\x1b[<0;10;5m', scroll: '\x1b[<64;10;5M', drag: '\x1b[<32;10;5M', move: '\x1b[<35;10;5M' },
  urxvt: { press: '\x1b[32;10;5M', release: '\x1b[35;10;5M', scroll: '\x1b[96;10;5M', drag: '\x1b[64;10;5M', move: '\x1b[67;10;5M' },
  'sgr-pixels': { press: '\x1b[<0;73;65M', release: '\x1b[<0;73;65m', scroll: '\x1b[<64;73;65M', drag: '\x1b[<32;73;65M', move: '\x1b[<35;73;65M' },
};

/** Which events each tracking mode reports (ctlseqs "Mouse Tracking"). */
const REPORTS: Record<Exclude<MouseTrackingName, 'none'>, EventName[]> = {
  x10: ['press'],
  normal: ['press', 'release', 'scroll'],
  button: ['press', 'release', 'scroll', 'drag'],
  any: ['press', 'release', 'scroll', 'drag', 'move'],
};

describe('mouse: every tracking mode × encoding × event', () => {
  const cases: Array<[MouseTrackingName, MouseEncodingName, EventName, string]> = [];
  for (const tracking of Object.keys(REPORTS) as Array<keyof typeof REPORTS>) {
    for (const encoding of Object.keys(BYTES) as MouseEncodingName[]) {
      for (const event of Object.keys(EVENTS) as EventName[]) {
        cases.push([tracking, encoding, event, REPORTS[tracking].includes(event) ? BYTES[encoding][event] : '']);
      }
    }
  }
  it.each(cases)('%s/%s %s → %j', (tracking, encoding, event, bytes) => {
    expect(mouse(EVENTS[event], tracking, encoding)).toBe(bytes);
  });
});

describe('mouse: tracking none', () => {
  it.each(['default', 'sgr'] as const)('throws TP_MOUSE_OFF (409) with %s encoding', (encoding) => {
    let err: unknown;
    try { encodeMouse(EVENTS.press, { mouseTracking: 'none', mouseEncoding: encoding }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('TP_MOUSE_OFF');
    expect((err as InputError).statusCode).toBe(409);
    expect((err as InputError).message).toMatch(/^mouse mode is off/);
  });
});

describe('mouse: buttons and modifiers', () => {
  const ev = (e: Partial<MouseInput>): MouseInput => ({ action: 'press', button: 'left', row: 0, col: 0, ...e });
  it.each<[string, MouseInput, string, string]>([
    ['middle', ev({ button: 'middle' }), '\x1b[<1;1;1M', '\x1b[M!!!'],
    ['right', ev({ button: 'right' }), '\x1b[<2;1;1M', '\x1b[M"!!'],
    ['wheelDown', ev({ action: 'scroll', button: 'wheelDown' }), '\x1b[<65;1;1M', '\x1b[Ma!!'],
    ['wheelLeft', ev({ action: 'scroll', button: 'wheelLeft' }), '\x1b[<66;1;1M', '\x1b[Mb!!'],
    ['wheelRight', ev({ action: 'scroll', button: 'wheelRight' }), '\x1b[<67;1;1M', '\x1b[Mc!!'],
    ['back', ev({ button: 'back' }), '\x1b[<128;1;1M', '\x1b[M\xa0!!'],
    ['forward', ev({ button: 'forward' }), '\x1b[<129;1;1M', '\x1b[M\xa1!!'],
    ['shift', ev({ shift: true }), '\x1b[<4;1;1M', '\x1b[M$!!'],
    ['alt', ev({ alt: true }), '\x1b[<8;1;1M', '\x1b[M(!!'],
    ['ctrl', ev({ ctrl: true }), '\x1b[<16;1;1M', '\x1b[M0!!'],
    ['shift+alt+ctrl', ev({ shift: true, alt: true, ctrl: true }), '\x1b[<28;1;1M', '\x1b[M<!!'],
    ['ctrl wheelDown', ev({ action: 'scroll', button: 'wheelDown', ctrl: true }), '\x1b[<81;1;1M', '\x1b[Mq!!'],
    ['right release', ev({ action: 'release', button: 'right' }), '\x1b[<2;1;1m', '\x1b[M#!!'],
    ['ctrl release', ev({ action: 'release', ctrl: true }), '\x1b[<16;1;1m', '\x1b[M3!!'],
    ['alt drag right', ev({ action: 'move', button: 'right', alt: true }), '\x1b[<42;1;1M', '\x1b[MJ!!'],
    ['shift move', ev({ action: 'move', button: undefined, shift: true }), '\x1b[<39;1;1M', '\x1b[MG!!'],
  ])('%s', (_name, e, sgr, x11) => {
    expect(mouse(e, 'any', 'sgr')).toBe(sgr);
    expect(mouse(e, 'any', 'default')).toBe(x11);
  });
});

describe('mouse: x10 (?9)', () => {
  it.each<[string, MouseInput, string]>([
    ['left press', { action: 'press', button: 'left', row: 0, col: 0 }, '\x1b[M !!'],
    ['middle press', { action: 'press', button: 'middle', row: 1, col: 2 }, '\x1b[M!#"'],
    ['right press', { action: 'press', button: 'right', row: 0, col: 0 }, '\x1b[M"!!'],
    ['modifiers are not encoded', { action: 'press', button: 'left', row: 0, col: 0, shift: true, ctrl: true, alt: true }, '\x1b[M !!'],
    ['sgr press', { action: 'press', button: 'right', row: 0, col: 0, ctrl: true }, '\x1b[<2;1;1M'],
    ['back is not reported', { action: 'press', button: 'back', row: 0, col: 0 }, ''],
    ['wheel is not reported', { action: 'scroll', button: 'wheelDown', row: 0, col: 0 }, ''],
    ['release is not reported', { action: 'release', button: 'left', row: 0, col: 0 }, ''],
  ])('%s', (name, e, bytes) => {
    expect(mouse(e, 'x10', name.startsWith('sgr') ? 'sgr' : 'default')).toBe(bytes);
  });
});

describe('mouse: default encoding coordinates (xterm MOUSE_LIMIT)', () => {
  const press = (col: number, row = 0): string => mouse({ action: 'press', button: 'left', row, col }, 'normal');
  it.each<[number, string]>([
    [0, '\x1b[M !!'],
    [94, '\x1b[M \x7f!'],
    [95, '\x1b[M \x80!'],
    [221, '\x1b[M \xfe!'],
    // 1-based 223 is the last position a byte can carry…
    [222, '\x1b[M \xff!'],
    // …and xterm clamps beyond it to 0-based 223, sent as 0x00 ("past the end").
    [223, '\x1b[M \x00!'],
    [224, '\x1b[M \x00!'],
    [1000, '\x1b[M \x00!'],
  ])('col %i', (col, bytes) => {
    expect(press(col)).toBe(bytes);
  });

  it('rows clamp the same way', () => {
    expect(press(0, 222)).toBe('\x1b[M !\xff');
    expect(press(0, 300)).toBe('\x1b[M !\x00');
    expect(press(500, 500)).toBe('\x1b[M \x00\x00');
  });

  it('bytes ≥ 0x80 are raw, not UTF-8', () => {
    expect([...encodeMouse({ action: 'press', button: 'left', row: 0, col: 200 }, { mouseTracking: 'normal', mouseEncoding: 'default' })])
      .toEqual([0x1b, 0x5b, 0x4d, 0x20, 0xe9, 0x21]);
  });
});

describe('mouse: utf8 encoding coordinates (?1005)', () => {
  const press = (col: number, button: MouseInput['button'] = 'left'): number[] =>
    [...encodeMouse({ action: 'press', button, row: 0, col }, { mouseTracking: 'normal', mouseEncoding: 'utf8' })];
  it.each<[number, number[]]>([
    [0, [0x1b, 0x5b, 0x4d, 0x20, 0x21, 0x21]],
    [94, [0x1b, 0x5b, 0x4d, 0x20, 0x7f, 0x21]],
    [95, [0x1b, 0x5b, 0x4d, 0x20, 0xc2, 0x80, 0x21]],
    [222, [0x1b, 0x5b, 0x4d, 0x20, 0xc3, 0xbf, 0x21]],
    [223, [0x1b, 0x5b, 0x4d, 0x20, 0xc4, 0x80, 0x21]],
    [2014, [0x1b, 0x5b, 0x4d, 0x20, 0xdf, 0xbf, 0x21]],
    [2015, [0x1b, 0x5b, 0x4d, 0x20, 0x00, 0x21]],
    [5000, [0x1b, 0x5b, 0x4d, 0x20, 0x00, 0x21]],
  ])('col %i', (col, bytes) => {
    expect(press(col)).toEqual(bytes);
  });

  it('a button code ≥ 128 is two UTF-8 bytes', () => {
    expect(press(0, 'back')).toEqual([0x1b, 0x5b, 0x4d, 0xc2, 0xa0, 0x21, 0x21]);
  });
});

describe('mouse: decimal encodings have no limit', () => {
  const e: MouseInput = { action: 'press', button: 'left', row: 999, col: 300 };
  it.each<[MouseEncodingName, string]>([
    ['sgr', '\x1b[<0;301;1000M'],
    ['urxvt', '\x1b[32;301;1000M'],
    ['sgr-pixels', '\x1b[<0;2401;15985M'],
  ])('%s', (encoding, bytes) => {
    expect(mouse(e, 'normal', encoding)).toBe(bytes);
  });

  it('sgr-pixels puts an event at its cell\'s top-left pixel of an 8×16 cell', () => {
    expect(mouse({ action: 'press', button: 'left', row: 0, col: 0 }, 'normal', 'sgr-pixels')).toBe('\x1b[<0;1;1M');
    expect(mouse({ action: 'release', button: 'left', row: 2, col: 3 }, 'normal', 'sgr-pixels')).toBe('\x1b[<0;25;33m');
  });
});

describe('mouse: malformed events', () => {
  const modes: MouseModes = { mouseTracking: 'any', mouseEncoding: 'sgr' };
  it.each<[string, unknown, RegExp]>([
    ['press without a button', { action: 'press', row: 0, col: 0 }, /a mouse press needs a button/],
    ['release without a button', { action: 'release', row: 0, col: 0 }, /a mouse release needs a button/],
    ['scroll without a wheel', { action: 'scroll', row: 0, col: 0 }, /a scroll needs a wheel button/],
    ['scroll with left', { action: 'scroll', button: 'left', row: 0, col: 0 }, /a scroll needs a wheel button/],
    ['press with a wheel', { action: 'press', button: 'wheelUp', row: 0, col: 0 }, /wheelUp is a wheel: send it as action 'scroll'/],
    ['move with a wheel', { action: 'move', button: 'wheelDown', row: 0, col: 0 }, /wheelDown is a wheel/],
    ['unknown button', { action: 'press', button: 'thumb', row: 0, col: 0 }, /unknown mouse button "thumb"/],
    ['inherited button name', { action: 'press', button: 'toString', row: 0, col: 0 }, /unknown mouse button "toString"/],
    ['unknown action', { action: 'click', button: 'left', row: 0, col: 0 }, /unknown mouse action "click"/],
    ['negative row', { action: 'press', button: 'left', row: -1, col: 0 }, /mouse row must be a non-negative integer/],
    ['fractional col', { action: 'press', button: 'left', row: 0, col: 1.5 }, /mouse col must be a non-negative integer/],
    ['NaN col', { action: 'press', button: 'left', row: 0, col: NaN }, /mouse col must be a non-negative integer/],
    ['string row', { action: 'press', button: 'left', row: '3', col: 0 }, /mouse row must be a non-negative integer/],
  ])('%s → TP_BAD_MOUSE', (_name, ev, message) => {
    let err: unknown;
    try { encodeMouse(ev as MouseInput, modes); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('TP_BAD_MOUSE');
    expect((err as InputError).statusCode).toBe(400);
    expect((err as InputError).message).toMatch(message);
  });

  it('an unknown mode value is a programming error, not a client one', () => {
    expect(() => encodeMouse(EVENTS.press, { mouseTracking: 'all', mouseEncoding: 'sgr' })).toThrow(/unknown mouse tracking mode "all"/);
    expect(() => encodeMouse(EVENTS.press, { mouseTracking: 'any', mouseEncoding: 'sgr1006' })).toThrow(/unknown mouse encoding "sgr1006"/);
    expect(() => encodeMouse(EVENTS.press, { mouseTracking: 'all', mouseEncoding: 'sgr' })).not.toThrow(InputError);
  });
});
