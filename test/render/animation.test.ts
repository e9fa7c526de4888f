/**
 * Animated recordings (src/render/animation): a cast → frames from the engine → GIF, APNG and
 * animated SVG, each decoded back and checked frame by frame against the engine's screens:
 * every APNG frame (upng-js's decoder) and every composited GIF frame (gif-decode.ts) equals
 * renderPng of the same screen, pixel for pixel; the SVG's frames hold the screens' text. Then
 * the options: idle-time limit, speed, start/end, fps coalescing, cursor, theme, the budgets.
 */
import { describe, expect, it } from 'vitest';
import UPNG from 'upng-js';
import { castFrames, renderAnimation, THEMES, AnimationBudgetError, type Frame } from '../../src/render/animation/index.js';
import { renderPng } from '../../src/render/png.js';
import { decodePng } from './png-decode.js';
import { decodeGif } from './gif-decode.js';

const LIMITS = { maxCols: 500, maxRows: 200 };

function cast(events: [number, string][], w = 40, h = 6, extra = ''): string {
  return [`{"version": 2, "width": ${w}, "height": ${h}${extra}}`, ...events.map(([t, d]) => JSON.stringify([t, 'o', d]))].join('\n') + '\n';
}

/** A prompt, typed keys (box drawing, CJK, emoji among them), styled output, a 5 s pause, more output. */
const events: [number, string][] = [[0.1, '\x1b[1;32muser@host\x1b[0m:\x1b[34m~\x1b[0m$ ']];
let t = 0.2;
for (const ch of 'ls ─│┌┐ 日本 😀 gjpq') { events.push([t, ch]); t += 0.15; }
events.push([t + 0.5, '\r\n\x1b[7minverse\x1b[0m \x1b[4munder\x1b[0m \x1b[3mitalic\x1b[0m \x1b[41;97m bg \x1b[0m ÉÀ\r\n$ ']);
events.push([t + 5.5, 'after the pause\r\n$ ']);
const CAST = cast(events);

function framesOf(text: string, opts: Partial<Parameters<typeof castFrames>[1]> = {}): Frame[] {
  return castFrames(text, { ...LIMITS, maxFrames: 1000, ...opts });
}

/** renderPng's RGB pixels of a screen. */
function pngRgb(f: Frame, theme = THEMES.xterm): Uint8Array {
  const d = decodePng(renderPng(f.snap, { theme }));
  const out = new Uint8Array(d.width * d.height * 3);
  for (let i = 0, j = 0; j < out.length; i += d.channels, j += 3) { out[j] = d.data[i]; out[j + 1] = d.data[i + 1]; out[j + 2] = d.data[i + 2]; }
  return out;
}

function rgbOf(rgba: Uint8Array): Uint8Array {
  const out = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0, j = 0; j < out.length; i += 4, j += 3) { out[j] = rgba[i]; out[j + 1] = rgba[i + 1]; out[j + 2] = rgba[i + 2]; }
  return out;
}

/** Pixels (RGB triples) that differ. */
function differing(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let n = 0;
  for (let i = 0; i < a.length; i += 3) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) n++;
  return n;
}

describe('Animation: frames from the engine', () => {
  it('one frame per change, the first at 0, durations to the next frame and 3 s for the last', () => {
    const fr = framesOf(CAST);
    // Empty screen, prompt, 19 keys (one each), the output line, the line after the pause.
    expect(fr.length).toBe(1 + 1 + [...'ls ─│┌┐ 日本 😀 gjpq'].length + 2);
    expect(fr[0].time).toBe(0);
    expect(fr[0].snap.lines[0].text.trim()).toBe('');
    expect(fr[1].snap.lines[0].text.trim()).toBe('user@host:~$');
    expect(fr.at(-1)!.snap.lines[2].text.trim()).toBe('$ after the pause');
    for (let i = 0; i + 1 < fr.length; i++) expect(fr[i].duration).toBeCloseTo(fr[i + 1].time - fr[i].time, 9);
    expect(fr.at(-1)!.duration).toBe(3);
    expect(fr.at(-1)!.time - fr.at(-2)!.time).toBeCloseTo(5, 6);
  });

  it('idle-time limit (the option, else the header\'s) cuts the pause; speed divides every time', () => {
    const cut = framesOf(CAST, { idleTimeLimit: 1 });
    expect(cut.at(-1)!.time - cut.at(-2)!.time).toBeCloseTo(1, 6);
    const fromHeader = framesOf(cast(events, 40, 6, ', "idle_time_limit": 2'));
    expect(fromHeader.at(-1)!.time - fromHeader.at(-2)!.time).toBeCloseTo(2, 6);
    // At 1000 fps no two events share a frame at either speed.
    const fast = framesOf(CAST, { speed: 2, fps: 1000 });
    const slow = framesOf(CAST, { fps: 1000 });
    expect(fast.map((f) => f.time * 2).map((x) => x.toFixed(6))).toEqual(slow.map((f) => f.time.toFixed(6)));
  });

  it('start/end cut the recording in its own seconds: the first frame is the screen at start', () => {
    const part = framesOf(CAST, { start: 1, end: t + 1 });
    expect(part[0].time).toBe(0);
    expect(part[0].snap.lines[0].text.trim()).toBe('user@host:~$ ls ─│┌'); // keys typed by 1 s
    expect(part.at(-1)!.snap.lines[1].text).toContain('inverse');
    expect(part.some((f) => f.snap.lines[2].text.includes('after'))).toBe(false);
  });

  it('events within one frame interval are one frame (fps); a cursor move alone is a frame unless the cursor is not drawn', () => {
    const burst: [number, string][] = [];
    for (let i = 0; i < 10; i++) burst.push([1 + i * 0.005, `${i}`]);
    expect(framesOf(cast(burst)).length).toBe(2); // empty, then all ten digits
    expect(framesOf(cast(burst), { fps: 1000 }).length).toBe(11);
    const moves = cast([[0.5, 'ab'], [1, '\x1b[D'], [1.5, '\x1b[D']]);
    expect(framesOf(moves).length).toBe(4);
    expect(framesOf(moves, { cursor: false }).length).toBe(2);
  });

  it('more frames than the budget: refused, naming it', () => {
    expect(() => renderAnimation(CAST, { format: 'gif', ...LIMITS, maxFrames: 5 })).toThrow(AnimationBudgetError);
    try { renderAnimation(CAST, { format: 'gif', ...LIMITS, maxFrames: 5 }); } catch (err) {
      expect((err as AnimationBudgetError).details).toEqual({ budget: 'frames', limit: 5 });
    }
    // 500×200 cells at 48 px: one frame is 13,500×11,000 px.
    const big = cast([[0.1, 'x']], 500, 200);
    expect(() => renderAnimation(big, { format: 'apng', ...LIMITS, fontSize: 48 })).toThrow(/px limit/);
  });
});

describe('Animation: encoded, decoded back, frame by frame', () => {
  const fr = framesOf(CAST);

  it('APNG: every frame equals renderPng of the engine\'s screen, delays in ms', () => {
    const png = renderAnimation(CAST, { format: 'apng', ...LIMITS }).body as Uint8Array;
    const img = UPNG.decode(png);
    expect([img.width, img.height]).toEqual([320, 96]);
    const rgba = UPNG.toRGBA8(img);
    expect(rgba.length).toBe(fr.length);
    fr.forEach((f, i) => {
      expect(differing(rgbOf(new Uint8Array(rgba[i])), pngRgb(f)), `frame ${i}`).toBe(0);
      expect(img.frames[i].delay).toBe(Math.round((f.time + f.duration) * 1000) - Math.round(f.time * 1000));
    });
    // After the first, frames are the rectangles that changed (a key: one cell or two).
    expect(img.frames[5].rect.width).toBeLessThan(40);
    expect(img.frames[5].rect.height).toBe(16);
  });

  it('GIF: 89a, looping, the frame count and delays; every composited frame equals renderPng (≤ 256 colours: exact palette)', () => {
    const gif = decodeGif(renderAnimation(CAST, { format: 'gif', ...LIMITS }).body as Uint8Array);
    expect([gif.width, gif.height, gif.loops]).toEqual([320, 96, true]);
    expect(gif.frames.length).toBe(fr.length);
    expect(gif.frames.map((g) => g.delayCs)).toEqual(fr.map((f) => Math.round((f.time + f.duration) * 100) - Math.round(f.time * 100)));
    fr.forEach((f, i) => expect(differing(rgbOf(gif.frames[i].rgba), pngRgb(f)), `frame ${i}`).toBe(0));
    expect(gif.frames[0].rect).toEqual({ x: 0, y: 0, w: 320, h: 96 });
    expect(gif.frames[5].rect.h).toBe(16);
  });

  it('a theme and a font size: the frames equal renderPng with that theme and cell', () => {
    const small = cast([[0.1, '\x1b[31mred\x1b[0m \x1b[44mblue\x1b[0m']], 12, 2);
    const apng = UPNG.decode(renderAnimation(small, { format: 'apng', ...LIMITS, theme: 'dracula' }).body as Uint8Array);
    const f = framesOf(small);
    const rgba = UPNG.toRGBA8(apng);
    f.forEach((fr1, i) => expect(differing(rgbOf(new Uint8Array(rgba[i])), pngRgb(fr1, THEMES.dracula))).toBe(0));
    expect([...new Uint8Array(rgba[0]).subarray(-4, -1)]).toEqual([0x28, 0x2a, 0x36]); // dracula's background
    const big = UPNG.decode(renderAnimation(small, { format: 'apng', ...LIMITS, fontSize: 28 }).body as Uint8Array);
    expect([big.width, big.height]).toEqual([12 * 16, 2 * 32]);
  });

  it('animated SVG: each distinct screen once, its text the engine\'s screen; keyframes step through them in order', () => {
    const svg = renderAnimation(CAST, { format: 'svg', ...LIMITS }).body as string;
    const groups = [...svg.matchAll(/<g class="frame" id="f(\d+)">([\s\S]*?)<\/svg>\n<\/g>/g)];
    expect(groups.length).toBe(fr.length); // every screen here is distinct
    const texts = groups.map(([, , body]) => {
      const rows = Array.from({ length: 6 }, () => Array<string>(40).fill(' '));
      for (const m of body.matchAll(/<text x="([^"]+)" y="([\d.]+)"[^>]*>([^<]*)<\/text>/g)) {
        const xs = m[1].split(' ').map(Number);
        const row = Math.floor(Number(m[2]) / 16);
        const chars = [...m[3].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')];
        const anchor = m[0].includes('text-anchor="middle"');
        xs.forEach((x, i) => { rows[row][Math.round(x / 8) - (anchor ? 1 : 0)] = chars[xs.length === 1 ? 0 : i] + (xs.length === 1 && chars.length > 1 ? chars.slice(1).join('') : ''); });
      }
      return rows.map((r) => r.join('').replace(/ +$/, ''));
    });
    fr.forEach((f, i) => {
      const want = f.snap.lines.map((l) => l.cells.filter((c) => c.width !== 0).map((c) => c.text || ' ').join('').replace(/ +$/, ''));
      // A wide glyph takes its two cells' place in `want`, one in the SVG grid: drop the SVG's placeholder after it.
      expect(texts[i].map((r) => r.replace(/(\p{Extended_Pictographic}|[\u3000-\u9fff]) /gu, '$1')), `frame ${i}`).toEqual(want);
    });
    const steps = [...svg.matchAll(/([\d.]+)%\{transform:translateX\((-?\d+)px\)\}/g)].map((m) => [Number(m[1]), Math.abs(Number(m[2])) / 320]);
    expect(steps.slice(0, -1).map(([, k]) => k)).toEqual(fr.map((_, i) => i));
    const total = fr.reduce((s, f) => s + f.duration, 0);
    expect(svg).toContain(`animation:play ${Math.round(total * 1000) / 1000}s steps(1,end) infinite`);
  });
});
