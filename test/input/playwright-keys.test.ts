/**
 * Playwright's key names and `+` modifiers (keyboard.press) encode as their tmux equivalents do,
 * for the current modes; `literal` types items that are not key names as text (ht's rule).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_INPUT_MODES, encodeInput, encodeKey, encodeKeys, InputError, type InputModes } from '../../src/input/index.js';

const normal = DEFAULT_INPUT_MODES;
const appCursor: InputModes = { ...DEFAULT_INPUT_MODES, applicationCursorKeys: true };

describe('keys: Playwright names', () => {
  it.each([
    ['ArrowUp', '\x1b[A'], ['ArrowDown', '\x1b[B'], ['ArrowRight', '\x1b[C'], ['ArrowLeft', '\x1b[D'],
    ['Enter', '\r'], ['Escape', '\x1b'], ['Tab', '\t'], ['Backspace', '\x7f'], ['Delete', '\x1b[3~'],
    ['Home', '\x1b[H'], ['End', '\x1b[F'], ['PageUp', '\x1b[5~'], ['PageDown', '\x1b[6~'], ['Insert', '\x1b[2~'],
    ['F1', '\x1bOP'], ['F4', '\x1bOS'], ['F5', '\x1b[15~'], ['F12', '\x1b[24~'], ['Space', ' '], ['a', 'a'], ['+', '+'],
  ])('%j → %j', (name, bytes) => {
    expect(encodeKey(name, normal)).toBe(bytes);
  });

  it.each([
    ['ArrowUp', '\x1bOA'], ['ArrowDown', '\x1bOB'], ['ArrowRight', '\x1bOC'], ['ArrowLeft', '\x1bOD'], ['Home', '\x1bOH'], ['End', '\x1bOF'],
    // Modified keys are CSI 1;m whatever DECCKM says (xterm).
    ['Control+ArrowUp', '\x1b[1;5A'], ['Shift+ArrowLeft', '\x1b[1;2D'],
  ])('application cursor mode: %j → %j', (name, bytes) => {
    expect(encodeKey(name, appCursor)).toBe(bytes);
  });
});

describe('keys: Playwright modifiers', () => {
  it.each([
    ['Control+c', '\x03'], ['Control+C', '\x03'], ['Control+a', '\x01'], ['Control+[', '\x1b'], ['Control+Space', '\x00'],
    ['Shift+Tab', '\x1b[Z'], ['Shift+a', 'A'], ['Shift+A', 'A'],
    ['Alt+x', '\x1bx'], ['Meta+x', '\x1bx'], ['Alt+Enter', '\x1b\r'], ['Meta+Backspace', '\x1b\x7f'],
    ['Control+Shift+ArrowUp', '\x1b[1;6A'], ['Shift+Control+ArrowUp', '\x1b[1;6A'], ['Control+Alt+ArrowLeft', '\x1b[1;7D'],
    ['Control+Alt+Shift+ArrowDown', '\x1b[1;8B'], ['Meta+ArrowRight', '\x1b[1;3C'],
    ['Control+Delete', '\x1b[3;5~'], ['Shift+PageUp', '\x1b[5;2~'], ['Control+F5', '\x1b[15;5~'], ['Shift+F1', '\x1b[1;2P'],
    ['Control+Home', '\x1b[1;5H'], ['Control+Backspace', '\x08'], ['Control++', '+'], ['Alt++', '\x1b+'], ['Control+Alt+c', '\x1b\x03'],
    ['ControlOrMeta+c', '\x03'], ['control+c', '\x03'], ['CONTROL+SHIFT+arrowup', '\x1b[1;6A'],
    // Both notations at once.
    ['C-Shift+Left', '\x1b[1;6D'], ['Control+M-x', '\x1b\x18'],
  ])('%j → %j', (name, bytes) => {
    expect(encodeKey(name, normal)).toBe(bytes);
  });

  it.each(['Control+', 'Shift+', 'Control+Shift+', 'Control+NoSuchKey', 'Hyper+a', 'Control+ab', 'ArrowUpp', 'Arrow'])('%j is refused', (name) => {
    expect(() => encodeKey(name, normal)).toThrow(InputError);
  });
});

describe('keys: literal items', () => {
  it('types items that are not key names as text; key names stay keys', () => {
    expect(encodeKeys(['exit 123', 'Enter'], normal, true)).toBe('exit 123\r');
    expect(encodeKeys(['echo hi', 'Control+c', 'ArrowUp', 'C-d'], appCursor, true)).toBe('echo hi\x03\x1bOA\x04');
    // Text is typed as given: no key parsing inside it, no line-ending translation.
    expect(encodeKeys(['a\nb', 'Entr', 'C-c C-c'], normal, true)).toBe('a\nbEntrC-c C-c');
  });

  it('without literal the same item is a 400 naming it and its index', () => {
    let err: unknown;
    try { encodeKeys(['Enter', 'exit 123'], normal); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).details).toEqual({ key: 'exit 123', index: 1 });
    expect((err as InputError).statusCode).toBe(400);
  });

  it('encodeInput passes the flag', () => {
    expect(encodeInput({ keys: ['ls -la', 'Enter'], literal: true }, normal)).toBe('ls -la\r');
    expect(() => encodeInput({ keys: ['ls -la', 'Enter'] }, normal)).toThrow(InputError);
  });
});
