/**
 * PNG fonts: every font from npm packages (nothing from the OS unless TERMPOOL_FONT_DIRS says
 * so), and the glyphs a terminal needs drawn for real: judged by pixels, against the missing-
 * glyph boxes (.notdef) every one of our fonts would draw instead.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { asSymbol, emojiPicture, twemojiNames } from '../../src/render/emoji-images.js';
import { fontCacheDir } from '../../src/render/font-cache.js';
import { renderFonts } from '../../src/render/fonts.js';
import { fontCoverage } from '../../src/render/sfnt-cmap.js';
import { renderPng, renderSvg, resolveFonts, type PngOptions } from '../../src/render/index.js';
import { renameFamily } from '../../src/render/sfnt-family.js';
import { RenderPool } from '../../src/workers/render-pool.js';
import { decodePng, pixel } from './png-decode.js';
import { snap } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE_MODULES = path.join(ROOT, 'node_modules') + path.sep;
const DEJAVU_SANS = path.join(ROOT, 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf');

/** Big cells, so glyph shapes are many pixels. */
const CELL = { cellWidth: 16, cellHeight: 32, fontSize: 28 };

/** Ink (a pixel brighter than the black background, in any channel) in the box of cells [col0, col0+cols) of row `row`. */
function ink(png: Buffer, col0: number, cols: number, row = 0): boolean[][] {
  const d = decodePng(png);
  const out: boolean[][] = [];
  for (let y = row * CELL.cellHeight; y < (row + 1) * CELL.cellHeight; y++) {
    const line: boolean[] = [];
    for (let x = col0 * CELL.cellWidth; x < (col0 + cols) * CELL.cellWidth; x++) {
      const p = pixel(d, x, y);
      line.push(Math.max(p >> 16, (p >> 8) & 0xff, p & 0xff) >= 0x60);
    }
    out.push(line);
  }
  return out;
}

const count = (m: boolean[][]): number => m.reduce((n, l) => n + l.filter(Boolean).length, 0);
const differing = (a: boolean[][], b: boolean[][]): number => a.reduce((n, l, y) => n + l.filter((v, x) => v !== b[y][x]).length, 0);

/** `text` alone at the left of a 4-cell line, cursor hidden. */
const drawn = (text: string, opts: PngOptions = {}): Buffer => renderPng(snap(4, 1, `${text}\x1b[?25l`), { ...CELL, ...opts });

/**
 * What a glyph no font has looks like in a cell, from each of our fonts: a narrow private-use
 * character (DejaVu's box), and a wide unassigned one (plane 3) asked of each font by family, so
 * whichever font a broken lookup lands on, its box is among these.
 */
function boxes(): boolean[][][] {
  const wide = ["'DejaVu Sans Mono'", "'Noto Emoji'", "'Noto Sans Symbols 2'"]
    .map((f) => ink(drawn('\u{3FFFD}', { glyphFamily: () => f }), 0, 2));
  return [ink(drawn('\u{F0000}'), 0, 2), ...wide];
}

/** True when `m` is (nearly) one of the boxes: fewer than 15% of its ink pixels differ. */
function isBox(m: boolean[][], refs: boolean[][][]): boolean {
  return refs.some((b) => differing(m, b) < 0.15 * Math.max(count(m), count(b)));
}

describe('PNG fonts: where they come from', () => {
  it('every font file is in node_modules or the converted-slice cache; none from /usr/share/fonts', () => {
    const f = resolveFonts([]);
    expect(f.missing).toEqual([]);
    expect(f.cacheDir).not.toBeNull();
    expect(f.cacheDir!.startsWith(os.tmpdir() + path.sep)).toBe(true);
    for (const file of f.files) {
      expect(file.startsWith(NODE_MODULES) || file.startsWith(f.cacheDir! + path.sep), file).toBe(true);
      expect(file.startsWith('/usr/share/fonts'), file).toBe(false);
      expect(existsSync(file), file).toBe(true);
    }
    expect(f.files[0]).toBe(path.join(ROOT, 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf'));
    expect(f.files.filter((p) => p.startsWith(f.cacheDir!)).length).toBe(97 + 120); // the SC and KR slices
    expect(f.files.some((p) => p.endsWith('NotoEmoji_400Regular.ttf'))).toBe(true);
  });

  it('the cache is refused when others could write to it', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'termpool-cache-test-'));
    try {
      const dir = fontCacheDir('k', tmp);
      expect(dir.startsWith(tmp)).toBe(true);
      chmodSync(path.dirname(dir), 0o777);
      expect(() => fontCacheDir('k', tmp)).toThrow(/closed to others/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('a renamed font answers to its new family, drawing what it drew before (how each CJK slice is asked for)', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'termpool-rename-'));
    const renamed = path.join(tmp, 'r.ttf');
    writeFileSync(renamed, renameFamily(readFileSync(DEJAVU_SANS), 'Renamed Test'));
    const mono = path.join(ROOT, 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf');
    const pixels = (file: string, family: string): Buffer => {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40"><text x="5" y="30" font-size="28" font-family="${family}" fill="#fff">Ab</text></svg>`;
      // DejaVu Sans Mono first: what resvg falls back to for a family it does not know.
      return Buffer.from(new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: [mono, file], defaultFontFamily: 'DejaVu Sans Mono' } }).render().pixels);
    };
    try {
      const original = pixels(DEJAVU_SANS, "'DejaVu Sans'");
      expect(pixels(renamed, "'Renamed Test'").equals(original)).toBe(true);
      expect(pixels(renamed, "'DejaVu Sans'").equals(original)).toBe(false);
      expect(pixels(renamed, "'DejaVu Sans'").equals(pixels(renamed, "'DejaVu Sans Mono'"))).toBe(true);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('PNG fonts: which font a glyph asks for', () => {
  it("reads fonts' cmaps: which code points each has", () => {
    const cover = (rel: string) => fontCoverage(readFileSync(path.join(ROOT, 'node_modules', rel)));
    const mono = cover('dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf');
    for (const ch of 'A~é─┼█✔') expect(mono.has(ch.codePointAt(0)!), ch).toBe(true);
    for (const ch of '中⣿⏻😀א') expect(mono.has(ch.codePointAt(0)!), ch).toBe(false);
    const symbols = cover('@expo-google-fonts/noto-sans-symbols-2/400Regular/NotoSansSymbols2_400Regular.ttf');
    for (const ch of '⣿⠿⏻🯅') expect(symbols.has(ch.codePointAt(0)!), ch).toBe(true); // 🯅: U+1FBC5, a format 12 subtable
    expect(symbols.has('中'.codePointAt(0)!)).toBe(false);
    expect(cover('@expo-google-fonts/noto-emoji/400Regular/NotoEmoji_400Regular.ttf').has(0x1f600)).toBe(true);
  });

  it('names the font that has a glyph DejaVu lacks, so resvg need not search; loads the CJK slices asked for', () => {
    const f = renderFonts([]);
    const before = f.files();
    expect(f.glyphFamily('A', false)).toBeUndefined();
    expect(f.glyphFamily('─', false)).toBeUndefined();
    expect(f.glyphFamily('⏻', false)).toBe("'Noto Sans Symbols 2'");
    expect(f.glyphFamily('⣿', false)).toBe("'Noto Sans Symbols 2'");
    expect(f.glyphFamily('😀', true)).toBe("'Noto Emoji'");
    expect(f.glyphFamily('中', true)).toMatch(/^'Noto Sans SC \d+'$/);
    expect(f.glyphFamily('한', true)).toMatch(/^'Noto Sans KR \d+'$/);
    expect(f.glyphFamily('\u{F0000}', false)).toBeUndefined(); // nobody's: resvg searches (TERMPOOL_FONT_DIRS)
    const after = f.files();
    expect(after.length).toBe(before.length + 2);
    expect(after.slice(0, 2)).toEqual(before.slice(0, 2)); // DejaVu first: the cell font and what resvg falls back to
  });
});

describe('PNG fonts: what they draw', () => {
  const refs = boxes();

  it.each([
    ['CJK ideograph', '中'],
    ['traditional Han', '龍'],
    ['Hangul', '한'],
    ['kana', 'か'],
    ['emoji', '😀'],
    ['symbol DejaVu lacks (power)', '⏻'],
    ['braille', '⣿'],
  ])('%s %s: ink, and not a missing-glyph box', (_, ch) => {
    const m = ink(drawn(ch), 0, 2);
    expect(count(m)).toBeGreaterThan(40);
    expect(isBox(m, refs)).toBe(false);
  });

  it('the reference boxes are boxes: a character no font has matches one', () => {
    expect(isBox(ink(drawn('\u{F0001}'), 0, 2), refs)).toBe(true);
    expect(isBox(ink(drawn('\u{3FFFC}'), 0, 2), refs)).toBe(true);
  });

  it('a CJK glyph is double width: its ink spans more than one cell', () => {
    const m = ink(drawn('中'), 0, 2);
    const cols = m[0].map((_, x) => m.some((l) => l[x])).flatMap((v, x) => (v ? [x] : []));
    expect(cols.at(-1)! - cols[0]! + 1).toBeGreaterThan(1.2 * CELL.cellWidth);
  });

  it('bold differs from regular (a bold face, heavier)', () => {
    const regular = ink(drawn('HM'), 0, 2);
    const bold = ink(drawn('\x1b[1mHM'), 0, 2);
    expect(count(bold)).toBeGreaterThan(1.15 * count(regular));
    expect(differing(regular, bold)).toBeGreaterThan(40);
  });

  it('italic differs from regular: slanted, its top leaning right', () => {
    const regular = ink(drawn('II'), 0, 2);
    const italic = ink(drawn('\x1b[3mII'), 0, 2);
    expect(differing(regular, italic)).toBeGreaterThan(40);
    const meanX = (m: boolean[][], rows: number[]): number => {
      let sum = 0, n = 0;
      for (const y of rows) m[y].forEach((v, x) => { if (v) { sum += x; n++; } });
      return sum / n;
    };
    const rows = (m: boolean[][]): number[] => m.flatMap((l, y) => (l.some(Boolean) ? [y] : []));
    const [top, bottom] = [rows(italic).slice(0, 4), rows(italic).slice(-4)];
    expect(meanX(italic, top)).toBeGreaterThan(meanX(italic, bottom) + 2);
    const [rtop, rbottom] = [rows(regular).slice(0, 4), rows(regular).slice(-4)];
    expect(Math.abs(meanX(regular, rtop) - meanX(regular, rbottom))).toBeLessThan(1);
  });

  it('box drawing joins: ─┼─ is one unbroken line across its three cells, │ across the rows', () => {
    const png = renderPng(snap(3, 3, ' │ \r\n─┼─\r\n │ \x1b[?25l'), CELL);
    const mid = ink(png, 0, 3, 1);
    expect(mid.some((l) => l.every(Boolean))).toBe(true);
    const column = [0, 1, 2].flatMap((r) => ink(png, 1, 1, r));
    expect(column[0].some((_, x) => column.every((l) => l[x]))).toBe(true);
  });
});

describe('PNG: colour emoji (Twemoji pictures; resvg draws no colour font)', () => {
  const yellow = (png: Buffer): number => {
    const d = decodePng(png);
    let n = 0;
    for (let y = 0; y < CELL.cellHeight; y++) {
      for (let x = 0; x < 2 * CELL.cellWidth; x++) {
        const p = pixel(d, x, y);
        if (p >> 16 > 0xd0 && ((p >> 8) & 0xff) > 0xa0 && (p & 0xff) < 0x90) n++;
      }
    }
    return n;
  };

  it('a wide emoji is drawn in colour: 😀 is yellow', () => {
    expect(yellow(drawn('😀'))).toBeGreaterThan(100);
    // Its cells, and only its two: the next cell is left blank.
    expect(count(ink(drawn('😀'), 2, 1))).toBe(0);
  });

  it('CJK stays text in the foreground colour (no picture)', () => {
    expect(yellow(drawn('中'))).toBe(0);
  });

  it("names files as Twemoji does: FE0F dropped unless the sequence has a ZWJ, the other spelling tried too", () => {
    expect(twemojiNames('😀')).toEqual(['1f600', '1f600']);
    expect(twemojiNames('❤️')).toEqual(['2764', '2764-fe0f']);
    expect(twemojiNames('🏳️‍🌈')).toEqual(['1f3f3-fe0f-200d-1f308', '1f3f3-200d-1f308']);
    expect(twemojiNames('../../x')).toEqual(['2e-2e-2f-2e-2e-2f-78', '2e-2e-2f-2e-2e-2f-78']);
  });

  it("a picture becomes a <symbol> whose ids are its own (two gradients named 'a' never meet)", () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36"><linearGradient id="a"/><path fill="url(#a)"/><use href="#a"/></svg>';
    expect(asSymbol('tw-1fa87', svg)).toEqual({
      id: 'tw-1fa87',
      symbol: '<symbol id="tw-1fa87" viewBox="0 0 36 36"><linearGradient id="tw-1fa87-a"/><path fill="url(#tw-1fa87-a)"/><use href="#tw-1fa87-a"/></symbol>',
    });
    expect(asSymbol('x', '<svg><path/></svg>')).toBeUndefined(); // no viewBox: not drawn as a picture
  });

  it('each picture is written once, in <defs>, and <use>d in each cell (500 <image>s cost resvg 16× more)', () => {
    const svg = renderSvg(snap(40, 12, Array(12).fill('😀🎉'.repeat(10)).join('\r\n')), { glyphImage: emojiPicture });
    expect(svg.match(/<symbol /g)?.length).toBe(2);
    expect(svg.match(/<use href="#tw-1f600"/g)?.length).toBe(120);
    expect(svg.indexOf('<defs>')).toBeGreaterThan(svg.lastIndexOf('<use '));
  });
});

describe('PNG fonts: TERMPOOL_FONT_DIRS', () => {
  // A directory holding a font with glyphs ours lack: DejaVu Sans (not Mono) has Hebrew. Copied
  // from our own package, so the test needs nothing from the OS.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'termpool-fontdirs-'));
  copyFileSync(DEJAVU_SANS, path.join(dir, 'DejaVuSans.ttf'));
  writeFileSync(path.join(dir, 'README.txt'), 'not a font');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const refs = boxes();

  it("adds the directory's font files after ours, and nothing else", () => {
    const ours = resolveFonts([]).files;
    const f = resolveFonts([dir]).files;
    expect(f).toEqual([...ours, path.join(dir, 'DejaVuSans.ttf')]);
  });

  it('draws a glyph only the extra font has (Hebrew alef), which ours draw as a box', () => {
    expect(isBox(ink(drawn('א'), 0, 1), refs.map((b) => b.map((l) => l.slice(0, CELL.cellWidth))))).toBe(true);
    const m = ink(drawn('א', { fontDirs: [dir] }), 0, 1);
    expect(count(m)).toBeGreaterThan(30);
    expect(isBox(m, refs.map((b) => b.map((l) => l.slice(0, CELL.cellWidth))))).toBe(false);
  });

  it('reaches the render workers too (POST /v1/render runs there)', async () => {
    const job = { body: new TextEncoder().encode('א\x1b[?25l'), input: 'raw' as const, format: 'png' as const, cols: 4, rows: 1, maxCols: 100, maxRows: 100 };
    const small = (png: Uint8Array): boolean[][] => {
      const d = decodePng(Buffer.from(png));
      return Array.from({ length: 16 }, (_, y) => Array.from({ length: 8 }, (_, x) => (pixel(d, x, y) & 0xff) >= 0x60));
    };
    const run = async (fontDirs: string[]): Promise<boolean[][]> => {
      const pool = new RenderPool({ concurrency: 1, queue: 1, timeoutMs: 30_000, heapMb: 256, fontDirs });
      try {
        const out = await pool.run(job);
        if (!out.ok) throw new Error(out.message);
        return small(out.body as Uint8Array);
      } finally {
        await pool.close();
      }
    };
    const plain = await run([]);
    const extra = await run([dir]);
    expect(differing(plain, extra)).toBeGreaterThan(10);
    expect(count(extra)).toBeGreaterThan(10);
  });

  it('is refused by name when a directory does not exist or is not one', () => {
    expect(() => loadConfig({ TERMPOOL_FONT_DIRS: `${dir}:/nonexistent/fonts` })).toThrow(ConfigError);
    expect(() => loadConfig({ TERMPOOL_FONT_DIRS: '/nonexistent/fonts' })).toThrow(/TERMPOOL_FONT_DIRS="\/nonexistent\/fonts": \/nonexistent\/fonts does not exist/);
    expect(() => loadConfig({ TERMPOOL_FONT_DIRS: path.join(dir, 'README.txt') })).toThrow(/TERMPOOL_FONT_DIRS=.*is not a directory/);
    expect(loadConfig({ TERMPOOL_FONT_DIRS: ` ${dir} :` }).fontDirs).toEqual([dir]);
    expect(loadConfig({}).fontDirs).toEqual([]);
  });

  it('a bad directory stops `termpool serve` at startup with exit 2, naming the setting', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/termpool.js'), 'serve'], {
      env: { ...process.env, TERMPOOL_PORT: '0', TERMPOOL_ARCHIVE: 'off', TERMPOOL_FONT_DIRS: '/nonexistent/fonts' },
      encoding: 'utf8', timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/TERMPOOL_FONT_DIRS="\/nonexistent\/fonts": \/nonexistent\/fonts does not exist/);
  });
});
