/**
 * Colour emoji for PNG snapshots, as pictures: resvg 2.6 draws no colour font (COLR, SVG and
 * CBDT glyphs come out blank), but it does draw SVG shapes. So a wide cell whose grapheme is
 * an emoji Twemoji has (the @twemoji/svg package, one SVG per sequence) is drawn as that picture
 * (svg.ts glyphImage); anything else stays text, in Noto Emoji's monochrome glyphs (fonts.ts).
 *
 * File names are Twemoji's: the code points in lower-case hex joined by '-', with U+FE0F
 * (emoji presentation) left out unless the sequence has a U+200D (zero-width joiner); some
 * sequences are stored the other way, so both spellings are tried. Names are built from hex
 * digits only, so no snapshot text can reach another path.
 *
 * Each picture goes into the SVG once, as a <symbol> (svg.ts draws it with <use> in each cell):
 * the file's content with its ids (3 files have gradients) prefixed by the symbol's own id, so
 * two pictures' ids never meet. Read once a process and kept (~1-3 KB each, at most one per file).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { installedPackage } from './font-packages.js';
import type { GlyphPicture } from './svg.js';

const PACKAGE = '@twemoji/svg';

let dir: string | null | undefined;
let names: Set<string> | null = null;
/** Pictures found, by grapheme (misses are not kept, so no text can grow it past the files). */
const found = new Map<string, GlyphPicture>();

/** The package's directory and its file names, or null when it is not installed. */
function load(): { dir: string; names: Set<string> } | null {
  if (dir === undefined) {
    dir = installedPackage(PACKAGE)?.dir ?? null;
    names = dir === null ? null : new Set(readdirSync(dir).filter((f) => f.endsWith('.svg')).map((f) => f.slice(0, -4)));
  }
  return dir === null || names === null ? null : { dir, names };
}

/** Twemoji's file name (without .svg) for a grapheme, and the other spelling to try. */
export function twemojiNames(text: string): [string, string] {
  const cps = [...text].map((c) => c.codePointAt(0)!.toString(16));
  const bare = cps.filter((c) => c !== 'fe0f').join('-');
  const whole = cps.join('-');
  return text.includes('\u200d') ? [whole, bare] : [bare, whole];
}

/** The Twemoji picture for `text` as a <symbol>, or undefined when there is none. */
export function emojiPicture(text: string): GlyphPicture | undefined {
  const hit = found.get(text);
  if (hit !== undefined) return hit;
  const pkg = load();
  const name = pkg === null ? undefined : twemojiNames(text).find((n) => pkg.names.has(n));
  if (pkg === null || name === undefined) return undefined;
  const picture = asSymbol(`tw-${name}`, readFileSync(path.join(pkg.dir, `${name}.svg`), 'utf8'));
  if (picture !== undefined) found.set(text, picture);
  return picture;
}

/** A standalone SVG as <symbol id>, its own ids prefixed; undefined for a file not shaped as Twemoji's are. */
export function asSymbol(id: string, svg: string): GlyphPicture | undefined {
  const m = /^\s*<svg\b[^>]*\bviewBox="([-\d. ]+)"[^>]*>([\s\S]*)<\/svg>\s*$/.exec(svg);
  if (m === null) return undefined;
  const body = m[2]
    .replace(/\bid="([^"]+)"/g, (_, x: string) => `id="${id}-${x}"`)
    .replace(/url\(#([^)]+)\)/g, (_, x: string) => `url(#${id}-${x})`)
    .replace(/href="#([^"]+)"/g, (_, x: string) => `href="#${id}-${x}"`);
  return { id, symbol: `<symbol id="${id}" viewBox="${m[1]}">${body}</symbol>` };
}
