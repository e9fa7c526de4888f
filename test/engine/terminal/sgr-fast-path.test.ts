/**
 * The Terminal's whole-SGR fast path (attributes.ts applySgrParams) must leave the cursor
 * style exactly as the generic decoder (stream/sgr.ts → setAttribute one by one) does, for
 * well-formed, malformed, colon and mixed forms alike.
 */
import { describe, expect, it } from 'vitest';
import { Terminal } from '../../../src/engine/index.js';
import { rng } from '../../../bench/corpora.js';

/** A Terminal with the fast path switched off: the stream then decodes into setAttribute. */
function genericTerminal(): Terminal {
  const t = new Terminal({ cols: 20, rows: 4 });
  (t as { selectGraphicRendition?: unknown }).selectGraphicRendition = undefined;
  return t;
}

const style = (t: Terminal) => {
  const s = t.cursor.style;
  return [s.fg, s.bg, s.ul, s.flags];
};

const PIECES = [
  '', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '21', '22', '23', '24', '25', '27', '28',
  '29', '30', '37', '38', '39', '40', '47', '48', '49', '53', '55', '58', '59', '90', '97', '98',
  '100', '107', '108', '2', '5', '255', '256', '999', '4:3', '4:0', '4:9', '4:', '38:5:12',
  '38:2::1:2:3', '38:2:1:2:3', '48:5', '58:2:1:2', '5:1', '1:2',
];

describe('SGR fast path', () => {
  it('matches the generic decoder on 20,000 random parameter lists', () => {
    const r = rng(11);
    const fast = new Terminal({ cols: 20, rows: 4 });
    const slow = genericTerminal();
    for (let k = 0; k < 20000; k++) {
      const n = Math.floor(r() * 9);
      const parts: string[] = [];
      for (let j = 0; j < n; j++) {
        const x = r();
        // Bias towards the extended-colour shapes, whose consumption rules are the subtle part.
        if (x < 0.15) parts.push(`${[38, 48, 58][Math.floor(r() * 3)]};5;${Math.floor(r() * 300)}`);
        else if (x < 0.3) parts.push(`${[38, 48, 58][Math.floor(r() * 3)]};2;${Math.floor(r() * 300)};${Math.floor(r() * 256)}`);
        else parts.push(PIECES[Math.floor(r() * PIECES.length)]!);
      }
      const seq = `\x1b[${parts.join(r() < 0.1 ? ':' : ';')}m`;
      fast.write(seq);
      slow.write(seq);
      expect(style(fast), JSON.stringify(seq)).toEqual(style(slow));
    }
    fast.dispose();
    slow.dispose();
  });

  it('applies the common forms', () => {
    const t = new Terminal({ cols: 20, rows: 4 });
    t.write('\x1b[1;4;38;2;10;20;30;48;5;200m');
    const s = t.cursor.style;
    expect([s.fg, s.bg, s.flags]).toEqual([(2 << 24) | 0x0a141e, (1 << 24) | 200, 1 | (1 << 8)]);
    t.write('\x1b[m');
    expect(style(t)).toEqual([0, 0, 0, 0]);
    t.dispose();
  });
});
