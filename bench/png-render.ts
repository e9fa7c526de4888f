/**
 * PNG render cost by screen content (`npx tsc -p tsconfig.json && node dist/bench/png-render.js
 * [runs]`): renderPng of 80×24 screens of ASCII, CJK, emoji and symbols, and Hebrew (which no
 * font of ours has: every glyph is a search through the fonts given), each with the fonts the
 * render picks (src/render/fonts.ts: only the CJK slices its glyphs need) and with every font
 * file given, as a render without that choice would be. Median ms a render, runs interleaved.
 */
import { Resvg } from '@resvg/resvg-js';
import { Terminal } from '../src/engine/index.js';
import { emojiPicture } from '../src/render/emoji-images.js';
import { prepareFonts, renderFonts } from '../src/render/fonts.js';
import { renderPng } from '../src/render/png.js';
import { renderSvg } from '../src/render/svg.js';

function screen(unit: (row: number) => string, width: number): string {
  let s = '';
  for (let r = 0; r < 24; r++) s += `\x1b[3${r % 8}m` + unit(r).repeat(20).slice(0, width) + '\r\n';
  return s;
}

const SCREENS: Record<string, string> = {
  ascii: screen((r) => `row ${r} ─│┌┐ hello world `, 79),
  cjk: screen((r) => `${r} ─│ 中文字體測試說話龍鬱 한글테스트 かなカナ `, 60),
  emoji: screen((r) => `${r} 😀🎉👍🚀✅❌🔥 ✔ ★ ⏻ ⣿⠿ `, 50),
  hebrew: screen((r) => `${r} שלום עולם hello `, 70),
};

const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 9);
  const all = (await prepareFonts([])).files;
  console.log(`| screen | fonts picked: files | ms | every font file (${all.length}): ms |`);
  console.log('|---|---:|---:|---:|');
  for (const [name, bytes] of Object.entries(SCREENS)) {
    const t = new Terminal({ cols: 80, rows: 24 });
    t.write(bytes);
    const snap = t.snapshot(0);
    t.dispose();
    const fonts = renderFonts([]);
    const svg = renderSvg(snap, { syntheticItalic: true, glyphFamily: fonts.glyphFamily, glyphImage: emojiPicture, links: false });
    const everything = { font: { loadSystemFonts: false, fontFiles: all, defaultFontFamily: 'DejaVu Sans Mono' }, logLevel: 'off' as const };
    const picked: number[] = [], whole: number[] = [];
    renderPng(snap);
    for (let i = 0; i < runs; i++) {
      let t0 = performance.now();
      renderPng(snap);
      picked.push(performance.now() - t0);
      t0 = performance.now();
      new Resvg(svg, everything).render().asPng();
      whole.push(performance.now() - t0);
    }
    console.log(`| ${name} | ${fonts.files().length} | ${median(picked).toFixed(0)} | ${median(whole).toFixed(0)} |`);
  }
}

await main();
