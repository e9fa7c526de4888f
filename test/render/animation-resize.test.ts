/**
 * Animated recordings of a cast with resize ("r") events in the middle: the terminal grows, then
 * shrinks below its first size. A GIF or APNG has one canvas, so the animation is the
 * recording's largest screen; each frame shows its own screen, at its own size, at the top
 * left and the theme's background around it (what asciinema-player shows: its terminal resized
 * in place; agg instead ignores "r" events and keeps the header's size, wrapping wider output).
 * Checked by decoding the GIF (gif-decode.ts) and the APNG (upng-js) frame by frame against
 * renderPng of the engine's screen at that moment; the animated SVG's screens are checked by size.
 */
import { describe, expect, it } from 'vitest';
import UPNG from 'upng-js';
import { castFrames, renderAnimation, THEMES, type Frame, type ThemeName } from '../../src/render/animation/index.js';
import { renderPng } from '../../src/render/png.js';
import { defaultColors } from '../../src/render/palette.js';
import { decodePng } from './png-decode.js';
import { decodeGif } from './gif-decode.js';

const LIMITS = { maxCols: 500, maxRows: 200 };
/** 20×3, then 30×5 (wider output follows), then 10×2 (narrower and shorter than the first). */
const CAST = [
  '{"version": 2, "width": 20, "height": 3}',
  [0.1, 'o', '\x1b[1;31mAB\x1b[0m'],
  [0.5, 'r', '30x5'],
  [0.7, 'o', '\r\n\r\n\x1b[44mwider than twenty columns\x1b[0m'],
  [1.0, 'r', '10x2'],
  [1.2, 'o', '\r\nxy'],
].map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n') + '\n';

const frames = castFrames(CAST, { ...LIMITS, maxFrames: 100 });
const W = 30 * 8, H = 5 * 16;

/**
 * What frame `f` must look like on the W×H canvas: renderPng of its screen at the top left, the
 * theme's background elsewhere (RGB).
 */
function expected(f: Frame, theme: ThemeName = 'xterm'): Uint8Array {
  const png = decodePng(renderPng(f.snap, { theme: THEMES[theme] }));
  const bg = defaultColors(THEMES[theme], f.snap.modes.reverseVideo).bg;
  const out = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 3;
      if (x < png.width && y < png.height) {
        const i = (y * png.width + x) * png.channels;
        out[o] = png.data[i]; out[o + 1] = png.data[i + 1]; out[o + 2] = png.data[i + 2];
      } else {
        out[o] = (bg >> 16) & 255; out[o + 1] = (bg >> 8) & 255; out[o + 2] = bg & 255;
      }
    }
  }
  return out;
}

function rgbOf(rgba: Uint8Array): Uint8Array {
  const out = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0, j = 0; j < out.length; i += 4, j += 3) { out[j] = rgba[i]; out[j + 1] = rgba[i + 1]; out[j + 2] = rgba[i + 2]; }
  return out;
}

/** Pixels that differ, and the first one (x, y) for the message. */
function differing(a: Uint8Array, b: Uint8Array): { n: number; first: string } {
  expect(a.length).toBe(b.length);
  let n = 0, first = '';
  for (let i = 0; i < a.length; i += 3) {
    if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) {
      if (n++ === 0) first = `(${(i / 3) % W}, ${Math.floor(i / 3 / W)})`;
    }
  }
  return { n, first };
}

describe('Animation: a recording resized in the middle', () => {
  it('frames follow the resizes: each frame\'s screen has the size of its moment', () => {
    expect(frames.map((f) => `${f.snap.cols}x${f.snap.rows}`)).toEqual(['20x3', '20x3', '30x5', '30x5', '10x2', '10x2']);
    expect(frames[3]!.snap.lines[2]!.text.trimEnd()).toBe('wider than twenty columns');
    expect(frames[5]!.snap.lines[1]!.text.trimEnd()).toBe('xy');
  });

  it('GIF: the largest size; every composited frame is its screen at the top left on the background', () => {
    const gif = decodeGif(renderAnimation(CAST, { format: 'gif', ...LIMITS }).body as Uint8Array);
    expect([gif.width, gif.height]).toEqual([W, H]);
    expect(gif.frames.length).toBe(frames.length);
    frames.forEach((f, i) => {
      const d = differing(rgbOf(gif.frames[i]!.rgba), expected(f));
      expect(d.n, `frame ${i} (${f.snap.cols}x${f.snap.rows}) differs first at ${d.first}`).toBe(0);
    });
  });

  it('APNG: the same, in a theme whose background is not black', () => {
    const img = UPNG.decode(renderAnimation(CAST, { format: 'apng', ...LIMITS, theme: 'solarized-light' }).body as Uint8Array);
    expect([img.width, img.height]).toEqual([W, H]);
    const rgba = UPNG.toRGBA8(img);
    expect(rgba.length).toBe(frames.length);
    frames.forEach((f, i) => {
      const d = differing(rgbOf(new Uint8Array(rgba[i]!)), expected(f, 'solarized-light'));
      expect(d.n, `frame ${i} (${f.snap.cols}x${f.snap.rows}) differs first at ${d.first}`).toBe(0);
    });
  });

  it('animated SVG: the largest size; each screen drawn at its own size, the rest of its slot in the background', () => {
    const svg = renderAnimation(CAST, { format: 'svg', ...LIMITS, theme: 'solarized-light' }).body as string;
    expect(svg).toMatch(new RegExp(`^<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"`));
    const groups = [...svg.matchAll(/<g class="frame" id="f(\d+)">([\s\S]*?)<\/svg>\n<\/g>/g)];
    expect(groups.length).toBe(frames.length);
    const bg = defaultColors(THEMES['solarized-light'], false).bg.toString(16).padStart(6, '0');
    groups.forEach(([, n, body], i) => {
      const f = frames[i]!;
      // The screen's own <svg> at its slot, its size the screen's.
      expect(body, `frame ${i}`).toContain(`<svg x="${Number(n) * W}" y="0" width="${f.snap.cols * 8}" height="${f.snap.rows * 16}"`);
      // A smaller screen's whole slot is painted in the theme's background first: no transparent
      // margin beside it. A full-size screen paints its own.
      const smaller = f.snap.cols < 30 || f.snap.rows < 5;
      expect(body!.startsWith(`<rect x="${Number(n) * W}" y="0" width="${W}" height="${H}" fill="#${bg}"/>`), `frame ${i}: ${body!.slice(0, 120)}`).toBe(smaller);
    });
  });
});
