/**
 * An animated SVG as svg-term-cli makes one: each distinct screen drawn once (the SVG renderer's
 * own output, as text, not pixels) side by side in a strip, and a CSS keyframes animation that
 * steps the strip left so the screen of the moment shows through a viewport one screen wide.
 * Small (a screen shown twice is drawn once) and crisp at any zoom; browsers play it, also
 * inside an <img>. Each screen is a <g class="frame" id="f{n}"> holding a nested <svg>.
 *
 * After a resize a screen can be smaller than the animation (its largest screen, as the GIF and
 * APNG): it sits at the top left of its slot, the rest of the slot painted in the theme's
 * background (raster.ts does the same), not left transparent for the page to show through.
 */
import { defaultColors, DEFAULT_THEME, hex } from '../palette.js';
import { renderSvg, svgLayout, type SvgOptions } from '../svg.js';
import { screenKey } from './screen-key.js';
import { rasterSize } from './raster.js';
import type { Frame } from './frames.js';

const n = (v: number): string => String(Math.round(v * 1000) / 1000);

export function animatedSvg(frames: readonly Frame[], opts: SvgOptions = {}): string {
  const { width: W, height: H } = rasterSize(frames, opts);
  const distinct = new Map<string, number>();
  let strip = '';
  const shown: number[] = [];
  for (const f of frames) {
    const key = screenKey(f.snap, f.lines);
    let i = distinct.get(key);
    if (i === undefined) {
      i = distinct.size;
      distinct.set(key, i);
      const inner = renderSvg(f.snap, { ...opts, padding: 0 })
        .replace(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" /, `<svg x="${i * W}" y="0" `)
        .replace(/<title>[^<]*<\/title>\n/, '')
        .replace(/(id="|url\(#)dl-/g, `$1f${i}-dl-`);
      const own = svgLayout(f.snap, { ...opts, padding: 0 });
      const pad = own.width < W || own.height < H
        ? `<rect x="${i * W}" y="0" width="${W}" height="${H}" fill="${hex(defaultColors(opts.theme ?? DEFAULT_THEME, f.snap.modes.reverseVideo).bg)}"/>` : '';
      strip += `<g class="frame" id="f${i}">${pad}${inner}</g>\n`;
    }
    shown.push(i);
  }
  const total = frames.reduce((s, f) => s + f.duration, 0);
  let keyframes = '';
  frames.forEach((f, k) => {
    keyframes += `${n((f.time / total) * 100)}%{transform:translateX(${-shown[k] * W}px)}`;
  });
  keyframes += `100%{transform:translateX(${-shown[shown.length - 1] * W}px)}`;
  const anim = frames.length > 1
    ? `<style>@keyframes play{${keyframes}}.strip{animation:play ${n(total)}s steps(1,end) infinite}</style>\n` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">\n${anim}` +
    `<svg x="0" y="0" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" overflow="hidden"><g class="strip">\n${strip}</g></svg>\n</svg>\n`;
}
