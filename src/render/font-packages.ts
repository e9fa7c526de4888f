/**
 * The npm packages PNG snapshots take their fonts from (dependencies pinned in package.json), and
 * where in each package the files are. Nothing here reads the OS's fonts.
 *
 * Packages are found with require.resolve from this file, so the same code works from src/
 * (vitest), from dist/, and in the Docker image, where only production dependencies exist.
 *
 * - dejavu-fonts-ttf                       DejaVu Sans Mono (+ Bold): the cell font. Latin, Greek,
 *                                          Cyrillic, box drawing, blocks.
 * - @fontsource-variable/noto-sans-sc      Noto Sans SC: Han (simplified and traditional), kana.
 * - @fontsource-variable/noto-sans-kr      Noto Sans KR: Hangul (SC has none), Hanja.
 *     Both ship WOFF2 only, as ~100 unicode-range slices each (listed in unicode.json); the
 *     whole-font TTF packages are 57 and 27 MB to download. resvg reads TTF/OTF, so the slices
 *     are converted once (font-cache.ts).
 * - @expo-google-fonts/noto-emoji          Noto Emoji: monochrome emoji. resvg 2.6 draws no colour
 *                                          font (COLR, SVG or CBDT glyphs come out blank): wide
 *                                          emoji are drawn as Twemoji pictures instead
 *                                          (emoji-images.ts), the rest in this font.
 * - @expo-google-fonts/noto-sans-symbols-2 Noto Sans Symbols 2: what DejaVu and Noto Emoji both
 *                                          lack and terminal programs print: braille (btop and
 *                                          spinner graphs), ⏻ ⏵ ⎇, legacy-computing blocks (🯅 🮕).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** A font shipped as one file in a package. */
export interface PackageFont {
  role: 'mono' | 'mono-bold' | 'emoji' | 'symbols';
  family: string;
  pkg: string;
  /** Path inside the package. */
  file: string;
  /** Without it no PNG can be drawn; the others draw their glyphs as missing boxes when absent. */
  required: boolean;
}

/** In the order resvg is given them (which is the order it searches for a glyph a font lacks). */
export const PACKAGE_FONTS: readonly PackageFont[] = [
  { role: 'mono', family: 'DejaVu Sans Mono', pkg: 'dejavu-fonts-ttf', file: 'ttf/DejaVuSansMono.ttf', required: true },
  { role: 'mono-bold', family: 'DejaVu Sans Mono', pkg: 'dejavu-fonts-ttf', file: 'ttf/DejaVuSansMono-Bold.ttf', required: false },
  { role: 'emoji', family: 'Noto Emoji', pkg: '@expo-google-fonts/noto-emoji', file: '400Regular/NotoEmoji_400Regular.ttf', required: false },
  { role: 'symbols', family: 'Noto Sans Symbols 2', pkg: '@expo-google-fonts/noto-sans-symbols-2', file: '400Regular/NotoSansSymbols2_400Regular.ttf', required: false },
];

/** A font shipped as fontsource WOFF2 slices. */
export interface SlicedFont {
  script: 'sc' | 'kr';
  family: string;
  pkg: string;
}

export const SLICED_FONTS: readonly SlicedFont[] = [
  { script: 'sc', family: 'Noto Sans SC', pkg: '@fontsource-variable/noto-sans-sc' },
  { script: 'kr', family: 'Noto Sans KR', pkg: '@fontsource-variable/noto-sans-kr' },
];

/** One numbered slice of a SlicedFont. */
export interface Slice {
  font: SlicedFont;
  index: number;
  woff2: string;
  /** Code point ranges it covers, inclusive. */
  ranges: [number, number][];
}

export interface InstalledPackage {
  dir: string;
  version: string;
}

/** Where `pkg` is installed and its version; null when it is not. */
export function installedPackage(pkg: string): InstalledPackage | null {
  let manifest: string;
  try {
    manifest = require.resolve(`${pkg}/package.json`);
  } catch {
    return null;
  }
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: path.dirname(manifest), version };
}

/**
 * The numbered slices of `font` (files/<id>-<n>-wght-normal.woff2) with the ranges unicode.json
 * gives them. The named ones (latin, cyrillic, …) are left out: DejaVu covers those scripts.
 */
export function slicesOf(font: SlicedFont, dir: string): Slice[] {
  const unicode = JSON.parse(readFileSync(path.join(dir, 'unicode.json'), 'utf8')) as Record<string, string>;
  const files = new Map<number, string>();
  for (const f of readdirSync(path.join(dir, 'files'))) {
    const m = /-(\d+)-wght-normal\.woff2$/.exec(f);
    if (m) files.set(Number(m[1]), path.join(dir, 'files', f));
  }
  const slices: Slice[] = [];
  for (const [key, spec] of Object.entries(unicode)) {
    const m = /^\[(\d+)\]$/.exec(key);
    const woff2 = m ? files.get(Number(m[1])) : undefined;
    if (!m || woff2 === undefined) continue;
    slices.push({ font, index: Number(m[1]), woff2, ranges: parseUnicodeRange(spec) });
  }
  return slices.sort((a, b) => a.index - b.index);
}

/** A CSS unicode-range list ("U+4e00-4e0f,U+3001") as inclusive ranges. */
export function parseUnicodeRange(spec: string): [number, number][] {
  const out: [number, number][] = [];
  for (const part of spec.split(',')) {
    const m = /^\s*U\+([0-9a-f]{1,6})(?:-([0-9a-f]{1,6}))?\s*$/i.exec(part);
    if (!m) throw new Error(`unexpected unicode-range entry ${JSON.stringify(part)}`);
    out.push([parseInt(m[1], 16), parseInt(m[2] ?? m[1], 16)]);
  }
  return out;
}
