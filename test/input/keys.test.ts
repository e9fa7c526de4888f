import { describe, expect, it } from 'vitest';
import { DEFAULT_INPUT_MODES, encodeKey, encodeKeys, InputError, type InputModes } from '../../src/input/index.js';
import type { ModesJson } from '../../src/engine/index.js';

const normal = DEFAULT_INPUT_MODES;
const appCursor: InputModes = { ...DEFAULT_INPUT_MODES, applicationCursorKeys: true };
const appKeypad: InputModes = { ...DEFAULT_INPUT_MODES, applicationKeypad: true };

type Row = [name: string, bytes: string];

function table(title: string, rows: Row[], modes: InputModes = normal): void {
  describe(title, () => {
    it.each(rows)('%j → %j', (name, bytes) => {
      expect(encodeKey(name, modes)).toBe(bytes);
    });
  });
}

table('keys: single characters are themselves', [
  ['a', 'a'], ['Q', 'Q'], ['?', '?'], ['-', '-'], ['^', '^'], [' ', ' '], ['~', '~'],
  ['C', 'C'], ['M', 'M'], ['S', 'S'],
  ['é', 'é'], ['字', '字'], ['😀', '😀'], ['👍🏽', '👍🏽'], ['e\u0301', 'e\u0301'],
]);

table('keys: C- gives C0 codes (X11 XLookupString + tmux)', [
  ['C-a', '\x01'], ['C-c', '\x03'], ['C-z', '\x1a'], ['C-A', '\x01'], ['C-Z', '\x1a'],
  ['C-@', '\x00'], ['C-[', '\x1b'], ['C-\\', '\x1c'], ['C-]', '\x1d'], ['C-^', '\x1e'], ['C-_', '\x1f'],
  ['C-?', '\x7f'], ['C-Space', '\x00'], ['C- ', '\x00'],
  ['C-2', '\x00'], ['C-3', '\x1b'], ['C-4', '\x1c'], ['C-5', '\x1d'], ['C-6', '\x1e'], ['C-7', '\x1f'], ['C-8', '\x7f'],
  ['C-/', '\x1f'], ['C--', '\x1f'], ['C-`', '\x00'], ['C-{', '\x1b'], ['C-|', '\x1c'], ['C-}', '\x1d'], ['C-~', '\x1e'],
  // No control code: xterm sends the character unchanged.
  ['C-1', '1'], ['C-9', '9'], ['C-!', '!'], ['C-é', 'é'],
  // tmux's caret form.
  ['^a', '\x01'], ['^C', '\x03'], ['^[', '\x1b'], ['^?', '\x7f'],
]);

table('keys: M- prefixes ESC to characters', [
  ['M-x', '\x1bx'], ['M-X', '\x1bX'], ['M-1', '\x1b1'], ['M-.', '\x1b.'], ['M--', '\x1b-'], ['M-é', '\x1bé'],
  ['C-M-a', '\x1b\x01'], ['M-C-a', '\x1b\x01'], ['M-^a', '\x1b\x01'], ['M-C-[', '\x1b\x1b'],
]);

table('keys: S- upper-cases letters only', [
  ['S-a', 'A'], ['S-A', 'A'], ['S-1', '1'], ['M-S-a', '\x1bA'], ['C-S-a', '\x01'], ['C-M-S-z', '\x1b\x1a'],
]);

table('keys: modifier prefixes in any case, order and repetition', [
  ['c-a', '\x01'], ['m-x', '\x1bx'], ['s-a', 'A'], ['s-Up', '\x1b[1;2A'], ['C-C-a', '\x01'],
  ['S-M-C-Up', '\x1b[1;8A'], ['M-S-C-Up', '\x1b[1;8A'], ['c-m-LEFT', '\x1b[1;7D'],
]);

table('keys: Enter, Tab, BSpace, Escape, Space', [
  ['Enter', '\r'], ['M-Enter', '\x1b\r'], ['C-Enter', '\r'], ['S-Enter', '\r'], ['C-m', '\r'], ['C-j', '\n'],
  ['Tab', '\t'], ['S-Tab', '\x1b[Z'], ['BTab', '\x1b[Z'], ['M-Tab', '\x1b\t'], ['M-S-Tab', '\x1b\x1b[Z'], ['C-Tab', '\t'], ['C-i', '\t'],
  ['BSpace', '\x7f'], ['Backspace', '\x7f'], ['C-BSpace', '\b'], ['M-BSpace', '\x1b\x7f'], ['C-M-BSpace', '\x1b\b'], ['S-BSpace', '\x7f'],
  ['Escape', '\x1b'], ['Esc', '\x1b'], ['M-Escape', '\x1b\x1b'], ['C-Escape', '\x1b'],
  ['Space', ' '], ['M-Space', '\x1b '], ['C-M-Space', '\x1b\x00'], ['S-Space', ' '],
]);

table('keys: special names are case-insensitive', [
  ['enter', '\r'], ['ENTER', '\r'], ['eNtEr', '\r'], ['up', '\x1b[A'], ['UP', '\x1b[A'], ['pageup', '\x1b[5~'],
  ['bspace', '\x7f'], ['f1', '\x1bOP'], ['kpenter', '\r'], ['kp5', '5'], ['s-tab', '\x1b[Z'], ['esc', '\x1b'],
]);

table('keys: cursor keys, normal mode (DECCKM reset)', [
  ['Up', '\x1b[A'], ['Down', '\x1b[B'], ['Right', '\x1b[C'], ['Left', '\x1b[D'], ['Home', '\x1b[H'], ['End', '\x1b[F'],
]);

table('keys: cursor keys, application mode (DECCKM set)', [
  ['Up', '\x1bOA'], ['Down', '\x1bOB'], ['Right', '\x1bOC'], ['Left', '\x1bOD'], ['Home', '\x1bOH'], ['End', '\x1bOF'],
  // Modified keys ignore DECCKM.
  ['C-Up', '\x1b[1;5A'], ['S-Home', '\x1b[1;2H'], ['M-End', '\x1b[1;3F'],
  // DECCKM does not touch the other keys.
  ['PageUp', '\x1b[5~'], ['F1', '\x1bOP'], ['KP1', '1'], ['Enter', '\r'],
], appCursor);

table('keys: modified cursor keys, CSI 1;m X with m = 1 + shift + 2·alt + 4·ctrl', [
  ['S-Up', '\x1b[1;2A'], ['M-Up', '\x1b[1;3A'], ['M-S-Up', '\x1b[1;4A'], ['C-Up', '\x1b[1;5A'],
  ['C-S-Up', '\x1b[1;6A'], ['C-M-Up', '\x1b[1;7A'], ['C-M-S-Up', '\x1b[1;8A'],
  ['C-Down', '\x1b[1;5B'], ['C-Right', '\x1b[1;5C'], ['C-M-Left', '\x1b[1;7D'],
  ['C-Home', '\x1b[1;5H'], ['C-End', '\x1b[1;5F'],
]);

table('keys: editing keys, CSI n ~ and CSI n;m ~', [
  ['Insert', '\x1b[2~'], ['IC', '\x1b[2~'], ['Delete', '\x1b[3~'], ['DC', '\x1b[3~'],
  ['PageUp', '\x1b[5~'], ['PPage', '\x1b[5~'], ['PgUp', '\x1b[5~'],
  ['PageDown', '\x1b[6~'], ['NPage', '\x1b[6~'], ['PgDn', '\x1b[6~'],
  ['S-Insert', '\x1b[2;2~'], ['C-Delete', '\x1b[3;5~'], ['M-PageUp', '\x1b[5;3~'], ['C-M-S-NPage', '\x1b[6;8~'],
]);

// xterm terminfo (xterm+pcfkeys): kf1=\EOP … kf12=\E[24~, kf13=\E[1;2P … kf20=\E[19;2~.
table('keys: function keys F1–F24', [
  ['F1', '\x1bOP'], ['F2', '\x1bOQ'], ['F3', '\x1bOR'], ['F4', '\x1bOS'],
  ['F5', '\x1b[15~'], ['F6', '\x1b[17~'], ['F7', '\x1b[18~'], ['F8', '\x1b[19~'],
  ['F9', '\x1b[20~'], ['F10', '\x1b[21~'], ['F11', '\x1b[23~'], ['F12', '\x1b[24~'],
  ['F13', '\x1b[1;2P'], ['F14', '\x1b[1;2Q'], ['F15', '\x1b[1;2R'], ['F16', '\x1b[1;2S'],
  ['F17', '\x1b[15;2~'], ['F18', '\x1b[17;2~'], ['F19', '\x1b[18;2~'], ['F20', '\x1b[19;2~'],
  ['F24', '\x1b[24;2~'],
  ['S-F1', '\x1b[1;2P'], ['C-F1', '\x1b[1;5P'], ['M-F4', '\x1b[1;3S'], ['C-M-S-F3', '\x1b[1;8R'],
  ['S-F5', '\x1b[15;2~'], ['C-F12', '\x1b[24;5~'], ['M-F10', '\x1b[21;3~'],
  // F13+ already carry shift: C-F13 = C-S-F1 (terminfo kf37=\E[1;6P).
  ['C-F13', '\x1b[1;6P'], ['S-F13', '\x1b[1;2P'], ['M-F20', '\x1b[19;4~'],
]);

table('keys: keypad, numeric mode (DECKPNM)', [
  ['KP0', '0'], ['KP1', '1'], ['KP2', '2'], ['KP3', '3'], ['KP4', '4'],
  ['KP5', '5'], ['KP6', '6'], ['KP7', '7'], ['KP8', '8'], ['KP9', '9'],
  ['KP/', '/'], ['KP*', '*'], ['KP-', '-'], ['KP+', '+'], ['KP.', '.'], ['KP,', ','], ['KP=', '='],
  ['KPEnter', '\r'], ['M-KP5', '\x1b5'], ['C-KP5', '5'], ['M-KPEnter', '\x1b\r'],
]);

table('keys: keypad, application mode (DECKPAM)', [
  ['KP0', '\x1bOp'], ['KP1', '\x1bOq'], ['KP2', '\x1bOr'], ['KP3', '\x1bOs'], ['KP4', '\x1bOt'],
  ['KP5', '\x1bOu'], ['KP6', '\x1bOv'], ['KP7', '\x1bOw'], ['KP8', '\x1bOx'], ['KP9', '\x1bOy'],
  ['KP/', '\x1bOo'], ['KP*', '\x1bOj'], ['KP-', '\x1bOm'], ['KP+', '\x1bOk'], ['KP.', '\x1bOn'],
  ['KP,', '\x1bOl'], ['KP=', '\x1bOX'], ['KPEnter', '\x1bOM'],
  ['S-KP5', '\x1bO2u'], ['M-KP5', '\x1bO3u'], ['C-KPEnter', '\x1bO5M'],
  // DECKPAM does not touch the cursor keys or the main keyboard.
  ['Up', '\x1b[A'], ['Enter', '\r'], ['5', '5'],
], appKeypad);

describe('keys: encodeKeys', () => {
  it('concatenates in order', () => {
    expect(encodeKeys(['l', 's', 'Space', '-', 'l', 'Enter'], normal)).toBe('ls -l\r');
    expect(encodeKeys(['Escape', ':', 'w', 'q', 'Enter'], normal)).toBe('\x1b:wq\r');
    expect(encodeKeys(['C-x', 'C-s'], normal)).toBe('\x18\x13');
  });

  it('applies the modes to every key', () => {
    expect(encodeKeys(['Up', 'Up', 'KP1'], { ...DEFAULT_INPUT_MODES, applicationCursorKeys: true, applicationKeypad: true }))
      .toBe('\x1bOA\x1bOA\x1bOq');
  });

  it('an empty list is no bytes', () => {
    expect(encodeKeys([], normal)).toBe('');
  });

  it('takes the engine snapshot modes as they are', () => {
    const modes: ModesJson = {
      alternateScreen: false, applicationCursorKeys: true, applicationKeypad: false, bracketedPaste: false,
      mouseTracking: 'none', mouseEncoding: 'default', focusEvents: false, synchronizedOutput: false,
      originMode: false, autowrap: true, insertMode: false, reverseVideo: false, cursorVisible: true,
    };
    expect(encodeKeys(['Up'], modes)).toBe('\x1bOA');
  });
});

describe('keys: errors', () => {
  const bad: Array<[string, RegExp]> = [
    ['Foo', /bad key "Foo"/],
    ['hello', /bad key "hello"/],
    ['', /empty key name/],
    ['C-', /bad key "C-"/],
    ['M-C-', /bad key "M-C-"/],
    ['X-a', /bad key "X-a"/],
    ['C-Foo', /bad key "C-Foo"/],
    ['F0', /bad key "F0"/],
    ['F25', /bad key "F25"/],
    ['KP', /bad key "KP"/],
    ['Up ', /bad key "Up "/],
    ['ab', /bad key "ab"/],
  ];
  it.each(bad)('%j throws TP_BAD_KEY', (name, message) => {
    let err: unknown;
    try { encodeKey(name, normal); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InputError);
    const ie = err as InputError;
    expect(ie.code).toBe('TP_BAD_KEY');
    expect(ie.statusCode).toBe(400);
    expect(ie.message).toMatch(message);
    expect(ie.details).toEqual({ key: name });
  });

  it('names the bad key and its index, and sends nothing', () => {
    let err: unknown;
    try { encodeKeys(['a', 'Enter', 'Ctrl-c', 'b'], normal); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InputError);
    const ie = err as InputError;
    expect(ie.message).toBe('bad key "Ctrl-c" at index 2: not a key name (Enter, C-c, M-Left, F5, KP0, PageUp, ArrowUp, Control+c…) or a single character; ' +
      'send text as text, or set literal: true to type items that are not key names');
    expect(ie.details).toEqual({ key: 'Ctrl-c', index: 2 });
    expect(ie.name).toBe('InputError');
  });

  it('rejects non-strings (unvalidated JSON)', () => {
    expect(() => encodeKeys([42 as unknown as string], normal)).toThrow(/bad key "42" at index 0: key names must be strings/);
  });
});
