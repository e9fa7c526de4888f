/**
 * The viewer's keydown mapping (ui/keys.js) against termpool's own key encoder: every name it
 * produces is one src/input accepts, and the bytes are what a terminal sends for that key.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_INPUT_MODES, encodeKeys } from '../../src/input/index.js';

interface Key { key: string; ctrlKey?: boolean; altKey?: boolean; shiftKey?: boolean; metaKey?: boolean; isComposing?: boolean }
type Mapped = { keys: string[] } | { text: string } | null;

// Plain JS served as is; imported by path so tsc does not need its types.
const KEYS_JS = '../../ui/keys.js';
const { keyInput } = (await import(KEYS_JS)) as { keyInput: (e: Required<Key>) => Mapped };

const press = (k: Key): Mapped =>
  keyInput({ ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, isComposing: false, ...k });

/** The bytes the server would write for a mapped key. */
const bytes = (m: Mapped): string | null => {
  if (m === null) return null;
  return 'text' in m ? m.text : encodeKeys(m.keys, DEFAULT_INPUT_MODES);
};

describe('Viewer: keydown → input', () => {
  it('maps keys to the bytes a terminal sends', () => {
    const cases: [Key, string][] = [
      [{ key: 'a' }, 'a'],
      [{ key: 'A', shiftKey: true }, 'A'],
      [{ key: 'é' }, 'é'],
      [{ key: ' ' }, ' '],
      [{ key: 'Enter' }, '\r'],
      [{ key: 'Escape' }, '\x1b'],
      [{ key: 'Backspace' }, '\x7f'],
      [{ key: 'Tab' }, '\t'],
      [{ key: 'Tab', shiftKey: true }, '\x1b[Z'],
      [{ key: 'ArrowUp' }, '\x1b[A'],
      [{ key: 'ArrowLeft', ctrlKey: true }, '\x1b[1;5D'],
      [{ key: 'Delete' }, '\x1b[3~'],
      [{ key: 'PageDown', shiftKey: true }, '\x1b[6;2~'],
      [{ key: 'F1' }, '\x1bOP'],
      [{ key: 'F12' }, '\x1b[24~'],
      [{ key: 'c', ctrlKey: true }, '\x03'],
      [{ key: 'd', ctrlKey: true }, '\x04'],
      [{ key: '[', ctrlKey: true }, '\x1b'],
      [{ key: ' ', ctrlKey: true }, '\x00'],
      [{ key: 'x', altKey: true }, '\x1bx'],
      [{ key: 'b', ctrlKey: true, altKey: true }, '\x1b\x02'],
    ];
    for (const [k, want] of cases) expect(bytes(press(k)), JSON.stringify(k)).toBe(want);
  });

  it('leaves the browser its keys: lone modifiers, dead keys, IME, Cmd, Ctrl+Shift+C/V', () => {
    for (const k of [
      { key: 'Shift', shiftKey: true }, { key: 'Control', ctrlKey: true }, { key: 'Dead' }, { key: 'Unidentified' },
      { key: 'a', isComposing: true }, { key: 'c', metaKey: true }, { key: 'C', ctrlKey: true, shiftKey: true },
      { key: 'V', ctrlKey: true, shiftKey: true },
    ]) expect(press(k), JSON.stringify(k)).toBeNull();
  });
});
