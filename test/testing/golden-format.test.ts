/**
 * The golden file format and the line diff without a server: a styled screen written down and
 * drawn back gives the same golden (every attribute, colour notation, wide characters, the
 * cursor); parse errors name the line; the diff labels rows and keeps context.
 */
import { describe, expect, it } from 'vitest';
import { Terminal } from '../../src/engine/index.js';
import { drawGolden, formatGolden, formatLineDiff, GoldenFormatError, goldenOfSnapshot, parseGolden } from '../../src/testing/index.js';

function snap(bytes: string, cols = 24, rows = 5) {
  const t = new Terminal({ cols, rows, scrollback: 0 });
  try {
    t.write(bytes);
    return t.snapshot();
  } finally {
    t.dispose();
  }
}

describe('Golden format: styles', () => {
  const screen = snap('plain \x1b[1;3;4:3;31mbold\x1b[0m \x1b[7;38;5;208;48;2;16;32;48mx\x1b[0m\r\n'
    + '\x1b[92;9;53m漢字\x1b[0m  \x1b[2;5;8;4:2;58;5;4mz\x1b[0m\r\n\r\n   \x1b[44m  \x1b[0m\x1b[2;3H');

  it('writes one line per styled run, colours by name, index or #rrggbb', () => {
    const text = formatGolden(goldenOfSnapshot(screen, { styles: true, cursor: true }));
    expect(text).toBe([
      'plain bold x', '漢字  z',
      '~~~ termpool screen attributes (rows and columns count from 1)',
      '1:7-10 bold italic underline=curly fg=red "bold"',
      '1:12 inverse fg=208 bg=#102030 "x"',
      '2:1-4 strikethrough overline fg=brightGreen "漢字"',
      '2:7 faint blink invisible underline=double ul=blue "z"',
      '4:4-5 bg=blue "  "',
      'cursor 2:3',
      '',
    ].join('\n'));
  });

  it('drawn back from its file, the screen gives the same golden', () => {
    const g = goldenOfSnapshot(screen, { styles: true, cursor: true });
    const again = goldenOfSnapshot(drawGolden(parseGolden(formatGolden(g)), { cols: 24, rows: 5 }), { styles: true, cursor: true });
    expect(formatGolden(again)).toBe(formatGolden(g));
  });

  it('text goldens drop trailing spaces and blank rows, CRLF is LF', () => {
    expect(formatGolden(goldenOfSnapshot(snap('a  \r\n\r\nb \r\n')))).toBe('a\n\nb\n');
    expect(formatGolden(goldenOfSnapshot(snap('')))).toBe('\n');
    expect(parseGolden('a\r\nb\r\n\r\n')).toEqual({ lines: ['a', 'b'] });
  });

  it('a malformed attribute line is an error naming it', () => {
    expect(() => parseGolden('x\n~~~ termpool\n1:1 sparkly "x"\n')).toThrow(GoldenFormatError);
    expect(() => parseGolden('x\n~~~ termpool\n1:1 sparkly "x"\n')).toThrow(/line 3: unknown style 'sparkly'/);
    expect(() => parseGolden('x\n~~~ termpool\nnonsense\n')).toThrow(/line 3: expected/);
    expect(() => parseGolden('x\n~~~ termpool\n1:1 fg=mauve "x"\n')).toThrow(/unknown colour 'mauve'/);
  });
});

describe('Golden format: line diff', () => {
  it('labels rows, keeps two lines of context and marks gaps', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8'];
    const b = ['1', '2', '3', '4', '5', '6', 'seven', '8'];
    expect(formatLineDiff(a, b)).toBe(['  ...', '  row 5 | 5', '  row 6 | 6', '- row 7 | 7', '+ row 7 | seven', '  row 8 | 8'].join('\n'));
    expect(formatLineDiff(b, a).split('\n').at(-1)).toBe('  row 8 | 8');
    expect(formatLineDiff(['x', ...a], a).split('\n')).toEqual(['- row 1 | x', '  row 1 | 1', '  row 2 | 2', '  ...']);
    expect(formatLineDiff(a, a)).toBe('');
  });

  it('an inserted row shifts the rows after it without showing them changed', () => {
    expect(formatLineDiff(['a', 'b', 'c'], ['a', 'new', 'b', 'c'])).toBe('  row 1 | a\n+ row 2 | new\n  row 3 | b\n  row 4 | c');
  });

  it('attribute lines carry no row label', () => {
    expect(formatLineDiff(['a', '~~~ termpool', '1:1 bold "a"'], ['a', '~~~ termpool', '1:1 fg=red "a"'], { textLinesA: 1, textLinesB: 1 }))
      .toBe('  row 1 | a\n        | ~~~ termpool\n-       | 1:1 bold "a"\n+       | 1:1 fg=red "a"');
  });
});
