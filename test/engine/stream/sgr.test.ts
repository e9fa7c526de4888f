import { describe, expect, it } from 'vitest';
import { SgrKind, Underline } from '../../../src/engine/stream/actions.js';
import { paletteColor, rgbColor } from '../../../src/engine/page/color.js';
import { driver } from './recorder.js';

const attr = (kind: SgrKind, value = 0) => ['setAttribute', kind, value];

describe('Stream: SGR basic attributes', () => {
  const d = driver();

  it('empty SGR, 0 and an empty parameter reset', () => {
    expect(d.csi('m')).toEqual([attr(SgrKind.Reset)]);
    expect(d.csi('0m')).toEqual([attr(SgrKind.Reset)]);
    expect(d.csi(';1m')).toEqual([attr(SgrKind.Reset), attr(SgrKind.Bold)]);
  });

  it('set attributes', () => {
    expect(d.csi('1;2;3;5;6;7;8;9;53m')).toEqual([
      attr(SgrKind.Bold), attr(SgrKind.Faint), attr(SgrKind.Italic),
      attr(SgrKind.Blink), attr(SgrKind.Blink), attr(SgrKind.Inverse),
      attr(SgrKind.Invisible), attr(SgrKind.Strikethrough), attr(SgrKind.Overline),
    ]);
  });

  it('reset attributes', () => {
    expect(d.csi('22;23;24;25;27;28;29;55m')).toEqual([
      attr(SgrKind.ResetBoldFaint), attr(SgrKind.ResetItalic), attr(SgrKind.ResetUnderline),
      attr(SgrKind.ResetBlink), attr(SgrKind.ResetInverse), attr(SgrKind.ResetInvisible),
      attr(SgrKind.ResetStrikethrough), attr(SgrKind.ResetOverline),
    ]);
  });

  it('unknown codes are skipped without disturbing their neighbours', () => {
    expect(d.csi('1;10;26;51;3m')).toEqual([attr(SgrKind.Bold), attr(SgrKind.Italic)]);
  });

  it('CSI > … m is XTMODKEYS, not SGR', () => {
    expect(d.csi('>4;1m')).toEqual([]);
    expect(d.csi('?4m')).toEqual([]);
  });
});

describe('Stream: SGR underline', () => {
  const d = driver();

  it('4 is single, 21 double, 24 off', () => {
    expect(d.csi('4m')).toEqual([attr(SgrKind.Underline, Underline.Single)]);
    expect(d.csi('21m')).toEqual([attr(SgrKind.Underline, Underline.Double)]);
    expect(d.csi('24m')).toEqual([attr(SgrKind.ResetUnderline)]);
  });

  it('4:0..4:5 styles', () => {
    expect(d.csi('4:0m')).toEqual([attr(SgrKind.ResetUnderline)]);
    expect(d.csi('4:1m')).toEqual([attr(SgrKind.Underline, Underline.Single)]);
    expect(d.csi('4:2m')).toEqual([attr(SgrKind.Underline, Underline.Double)]);
    expect(d.csi('4:3m')).toEqual([attr(SgrKind.Underline, Underline.Curly)]);
    expect(d.csi('4:4m')).toEqual([attr(SgrKind.Underline, Underline.Dotted)]);
    expect(d.csi('4:5m')).toEqual([attr(SgrKind.Underline, Underline.Dashed)]);
  });

  it('unknown 4:x styles are ignored, following params still apply', () => {
    expect(d.csi('4:9;1m')).toEqual([attr(SgrKind.Bold)]);
  });

  it('an empty style slot (4:) means no underline', () => {
    expect(d.csi('4:m')).toEqual([attr(SgrKind.ResetUnderline)]);
  });
});

describe('Stream: SGR 16 colours', () => {
  const d = driver();

  it('30–37 / 90–97 foreground', () => {
    expect(d.csi('30;37;90;97m')).toEqual([
      attr(SgrKind.Fg, paletteColor(0)), attr(SgrKind.Fg, paletteColor(7)),
      attr(SgrKind.Fg, paletteColor(8)), attr(SgrKind.Fg, paletteColor(15)),
    ]);
  });

  it('40–47 / 100–107 background', () => {
    expect(d.csi('41;47;100;107m')).toEqual([
      attr(SgrKind.Bg, paletteColor(1)), attr(SgrKind.Bg, paletteColor(7)),
      attr(SgrKind.Bg, paletteColor(8)), attr(SgrKind.Bg, paletteColor(15)),
    ]);
  });

  it('39/49/59 defaults', () => {
    expect(d.csi('39;49;59m')).toEqual([
      attr(SgrKind.DefaultFg), attr(SgrKind.DefaultBg), attr(SgrKind.DefaultUnderlineColor),
    ]);
  });

  it('98 and 108 are outside the bright ranges', () => {
    expect(d.csi('98;108m')).toEqual([]);
  });
});

describe('Stream: SGR extended colours, semicolon form', () => {
  const d = driver();

  it('38;5;n / 48;5;n / 58;5;n', () => {
    expect(d.csi('38;5;196m')).toEqual([attr(SgrKind.Fg, paletteColor(196))]);
    expect(d.csi('48;5;21m')).toEqual([attr(SgrKind.Bg, paletteColor(21))]);
    expect(d.csi('58;5;9m')).toEqual([attr(SgrKind.UnderlineColor, paletteColor(9))]);
  });

  it('38;2;r;g;b / 48;2 / 58;2', () => {
    expect(d.csi('38;2;255;128;0m')).toEqual([attr(SgrKind.Fg, rgbColor(255, 128, 0))]);
    expect(d.csi('48;2;1;2;3m')).toEqual([attr(SgrKind.Bg, rgbColor(1, 2, 3))]);
    expect(d.csi('58;2;10;20;30m')).toEqual([attr(SgrKind.UnderlineColor, rgbColor(10, 20, 30))]);
  });

  it('mixes with other attributes around it', () => {
    expect(d.csi('1;38;2;255;0;0;4;48;5;2;3m')).toEqual([
      attr(SgrKind.Bold),
      attr(SgrKind.Fg, rgbColor(255, 0, 0)),
      attr(SgrKind.Underline, Underline.Single),
      attr(SgrKind.Bg, paletteColor(2)),
      attr(SgrKind.Italic),
    ]);
  });

  it('empty components are 0', () => {
    expect(d.csi('38;2;;255;m')).toEqual([attr(SgrKind.Fg, rgbColor(0, 255, 0))]);
    expect(d.csi('38;5;m')).toEqual([attr(SgrKind.Fg, paletteColor(0))]);
  });

  it('out-of-range values are dropped but still consumed (xterm)', () => {
    expect(d.csi('38;5;256;1m')).toEqual([attr(SgrKind.Bold)]);
    expect(d.csi('38;2;300;0;0;3m')).toEqual([attr(SgrKind.Italic)]);
  });

  it('an unknown colour space consumes only itself (xterm): 38;9;1 leaves 1 as bold', () => {
    expect(d.csi('38;9;1m')).toEqual([attr(SgrKind.Bold)]);
    expect(d.csi('48;3;1;2;3m')).toEqual([
      attr(SgrKind.Bold), attr(SgrKind.Faint), attr(SgrKind.Italic),
    ]);
  });

  it('truncated sequences emit nothing and consume the rest', () => {
    expect(d.csi('38m')).toEqual([]);
    expect(d.csi('1;38m')).toEqual([attr(SgrKind.Bold)]);
    expect(d.csi('38;5m')).toEqual([]);
    expect(d.csi('38;2;1;2m')).toEqual([]);
  });

  it('38;5:n and 38;2:r:g:b (xterm also accepts a colon-form tail)', () => {
    expect(d.csi('38;5:12;1m')).toEqual([attr(SgrKind.Fg, paletteColor(12)), attr(SgrKind.Bold)]);
    expect(d.csi('38;2:1:2:3;1m')).toEqual([attr(SgrKind.Fg, rgbColor(1, 2, 3)), attr(SgrKind.Bold)]);
    expect(d.csi('38;2:0:1:2:3m')).toEqual([attr(SgrKind.Fg, rgbColor(1, 2, 3))]);
  });
});

describe('Stream: SGR extended colours, colon form', () => {
  const d = driver();

  it('38:5:n / 48:5:n / 58:5:n', () => {
    expect(d.csi('38:5:100m')).toEqual([attr(SgrKind.Fg, paletteColor(100))]);
    expect(d.csi('48:5:0m')).toEqual([attr(SgrKind.Bg, paletteColor(0))]);
    expect(d.csi('58:5:255m')).toEqual([attr(SgrKind.UnderlineColor, paletteColor(255))]);
  });

  it('38:2::r:g:b with an empty colour-space slot', () => {
    expect(d.csi('38:2::255:0:0m')).toEqual([attr(SgrKind.Fg, rgbColor(255, 0, 0))]);
    expect(d.csi('48:2::0:255:0m')).toEqual([attr(SgrKind.Bg, rgbColor(0, 255, 0))]);
    expect(d.csi('58:2::1:2:3m')).toEqual([attr(SgrKind.UnderlineColor, rgbColor(1, 2, 3))]);
  });

  it('38:2:cs:r:g:b with a colour-space id', () => {
    expect(d.csi('38:2:0:10:20:30m')).toEqual([attr(SgrKind.Fg, rgbColor(10, 20, 30))]);
  });

  it('38:2:r:g:b without the colour-space slot', () => {
    expect(d.csi('38:2:10:20:30m')).toEqual([attr(SgrKind.Fg, rgbColor(10, 20, 30))]);
  });

  it('consumes only its own parameter, so following params apply', () => {
    expect(d.csi('38:2::1:2:3;1;4:3m')).toEqual([
      attr(SgrKind.Fg, rgbColor(1, 2, 3)), attr(SgrKind.Bold), attr(SgrKind.Underline, Underline.Curly),
    ]);
  });

  it('malformed colon forms emit nothing and swallow nothing else', () => {
    expect(d.csi('38:2:1:2;1m')).toEqual([attr(SgrKind.Bold)]);
    expect(d.csi('38:5;1m')).toEqual([attr(SgrKind.Bold)]);
    expect(d.csi('38:9:1:2:3;3m')).toEqual([attr(SgrKind.Italic)]);
    expect(d.csi('38:5:256;3m')).toEqual([attr(SgrKind.Italic)]);
    expect(d.csi('38:3:1:2:3;3m')).toEqual([attr(SgrKind.Italic)]);
  });
});
