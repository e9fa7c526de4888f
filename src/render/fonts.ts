/**
 * The fonts of a PNG snapshot: which files resvg is given for a render, and which family each
 * glyph asks for. Every font comes from an npm package (font-packages.ts; the CJK ones converted
 * once by font-cache.ts); the system's fonts only through TERMPOOL_FONT_DIRS (font-dirs.ts),
 * loaded after ours as extra fallbacks.
 *
 * resvg reads every file it is given on every render, and for a glyph the asked-for font lacks
 * it tries every other font in turn, reading each file again, glyph by glyph. So:
 * - a render is given only what its glyphs need, in this order (also the order of that search):
 *   DejaVu Sans Mono, its Bold; the CJK slices its glyphs are in; Noto Emoji; Noto Sans
 *   Symbols 2; TERMPOOL_FONT_DIRS's files;
 * - a glyph DejaVu lacks names the font that has it (from the fonts' cmaps, sfnt-cmap.ts): a
 *   CJK glyph its slice's own family (`Noto Sans SC 57`), an emoji Noto Emoji, braille Noto
 *   Sans Symbols 2; only glyphs none of ours has are left to the search.
 *
 * Measured (80×24 screens, median ms a render of 11, the three interleaved; 2-core machine at
 * load ~10 while other suites ran, so about 3× an idle machine's; the screens of
 * `node dist/bench/png-render.js`, also run through the code before this change, whose fonts
 * were Debian's DejaVu, WenQuanYi Micro Hei, Symbola):
 *                                      ASCII   CJK   emoji  Hebrew (no font of ours has it)
 *   before (Debian fonts)                342  1576   1902    2603
 *   every file given, glyphs named       365   138    356    9071
 *   only what the glyphs need, named     324   155    261     595  (emoji: Twemoji pictures)
 * And with the slices under their shared family "Noto Sans SC" (every CJK glyph a search), an
 * earlier probe at load ~5: CJK 778 ms with all 217 slices given, 476 ms with 12: hence a
 * family a slice (sfnt-family.ts).
 * Converting at load time into memory instead of files is not possible: resvg-js 2.6's Node
 * binding takes paths only (font-cache.ts).
 *
 * State, per process or worker thread: the packages' fonts, resolved (and the cache filled)
 * once, and the font chosen for each code point met; TERMPOOL_FONT_DIRS's files, listed once per
 * set of directories.
 */
import { readFileSync } from 'node:fs';
import { cacheComplete, cacheKey, fillCache, fillCacheSync, fontCacheDir, sliceFamily, sliceFile } from './font-cache.js';
import { fontFilesIn } from './font-dirs.js';
import { installedPackage, PACKAGE_FONTS, SLICED_FONTS, slicesOf, type Slice } from './font-packages.js';
import { fontCoverage, type Coverage } from './sfnt-cmap.js';

export interface ResolvedFonts {
  /** Every font file a render may be given, in order (all slices; TERMPOOL_FONT_DIRS's last). */
  files: string[];
  /** Fonts not available, as "role (why)": their glyphs draw as missing boxes. */
  missing: string[];
  /** Where the converted CJK slices are (null: the cache could not be used). */
  cacheDir: string | null;
}

/** A required font (DejaVu Sans Mono) is not installed: no PNG can be drawn. */
export class FontsMissingError extends Error {
  readonly code = 'TERMPOOL_FONTS_MISSING';
}

/** A converted slice: its file and the family it answers to. */
interface CachedSlice {
  family: string;
  file: string;
}

/** One sliced font's code point ranges → its slices, searchable by code point. */
class SliceTable {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly owners: CachedSlice[] = [];

  constructor(entries: { slice: Slice; cached: CachedSlice }[]) {
    const ranges = entries.flatMap(({ slice, cached }) => slice.ranges.map(([lo, hi]) => ({ lo, hi, cached })));
    ranges.sort((a, b) => a.lo - b.lo);
    for (const r of ranges) { this.starts.push(r.lo); this.ends.push(r.hi); this.owners.push(r.cached); }
  }

  find(cp: number): CachedSlice | undefined {
    let lo = 0, hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] > cp) hi = mid - 1;
      else if (this.ends[mid] < cp) lo = mid + 1;
      else return this.owners[mid];
    }
    return undefined;
  }
}

/** A single-file font with the code points it has. */
interface CoveredFont {
  family: string;
  coverage: Coverage;
}

/** The packages' fonts, resolved. */
interface PackageFonts {
  /** DejaVu Sans Mono and its Bold. */
  mono: string[];
  /** Noto Emoji, Noto Sans Symbols 2. */
  fallbacks: string[];
  /** What DejaVu Sans Mono, Noto Emoji and Noto Sans Symbols 2 each have (absent when not installed). */
  covered: Partial<Record<'mono' | 'emoji' | 'symbols', CoveredFont>>;
  /** Code point → the font to name for it (null: none of ours; inherit), filled as glyphs are met. */
  choices: Map<number, Choice | null>;
  tables: Record<'sc' | 'kr', SliceTable>;
  slices: CachedSlice[];
  missing: string[];
  cacheDir: string | null;
}

let resolved: PackageFonts | null = null;
let resolving: Promise<PackageFonts> | null = null;
let configuredDirs: readonly string[] = [];
const dirFiles = new Map<string, string[]>();

/**
 * TERMPOOL_FONT_DIRS for this process or worker thread (the server's config sets it on the
 * main thread, the render pool in each worker). Their files are listed on the next render.
 */
export function useFontDirs(dirs: readonly string[]): void {
  configuredDirs = [...dirs];
}

/** The packages' fonts, converting the CJK slices first if this machine has not yet (blocks; once). */
export function resolveFonts(dirs: readonly string[] = configuredDirs): ResolvedFonts {
  return summary(resolved ??= resolvePackages('sync'), dirs);
}

/** resolveFonts, converting off this thread: what servers call before their first render. */
export async function prepareFonts(dirs: readonly string[] = configuredDirs): Promise<ResolvedFonts> {
  if (resolved === null) {
    resolving ??= resolvePackages('async').finally(() => { resolving = null; });
    resolved = await resolving;
  }
  return summary(resolved, dirs);
}

function summary(p: PackageFonts, dirs: readonly string[]): ResolvedFonts {
  return { files: [...p.mono, ...p.slices.map((s) => s.file), ...p.fallbacks, ...extraFiles(dirs)], missing: [...p.missing], cacheDir: p.cacheDir };
}

function extraFiles(dirs: readonly string[]): string[] {
  if (dirs.length === 0) return [];
  const key = dirs.join('\0');
  let files = dirFiles.get(key);
  if (files === undefined) {
    try {
      files = fontFilesIn(dirs);
    } catch (err) {
      // Checked at startup (config.ts); gone since: render with ours rather than fail every PNG.
      process.emitWarning(`TERMPOOL_FONT_DIRS not loaded: ${(err as Error).message}`, { code: 'TERMPOOL_FONT_DIRS' });
      files = [];
    }
    dirFiles.set(key, files);
  }
  return files;
}

function resolvePackages(mode: 'sync'): PackageFonts;
function resolvePackages(mode: 'async'): Promise<PackageFonts>;
function resolvePackages(mode: 'sync' | 'async'): PackageFonts | Promise<PackageFonts> {
  const missing: string[] = [];
  const mono: string[] = [];
  const fallbacks: string[] = [];
  const covered: PackageFonts['covered'] = {};
  for (const f of PACKAGE_FONTS) {
    const p = installedPackage(f.pkg);
    if (p === null) {
      if (f.required) throw new FontsMissingError(`PNG rendering needs the ${f.family} font of the npm package ${f.pkg}, which is not installed: run npm ci`);
      missing.push(`${f.role} (${f.pkg} not installed)`);
      continue;
    }
    const file = `${p.dir}/${f.file}`;
    (f.role === 'mono' || f.role === 'mono-bold' ? mono : fallbacks).push(file);
    if (f.role !== 'mono-bold') covered[f.role] = { family: f.family, coverage: fontCoverage(readFileSync(file)) };
  }
  const packages: { name: string; version: string }[] = [];
  const slices: Slice[] = [];
  for (const font of SLICED_FONTS) {
    const p = installedPackage(font.pkg);
    if (p === null) { missing.push(`${font.script} (${font.pkg} not installed)`); continue; }
    packages.push({ name: font.pkg, version: p.version });
    slices.push(...slicesOf(font, p.dir));
  }
  const wawoff2 = installedPackage('wawoff2');
  const done = (dir: string | null, err?: unknown): PackageFonts => {
    if (err !== undefined) {
      missing.push(`cjk (font cache: ${(err as Error).message})`);
      process.emitWarning(`PNG snapshots draw CJK as missing boxes: the font cache failed: ${(err as Error).message}`, { code: 'TERMPOOL_FONT_CACHE' });
    }
    const ok = dir !== null && err === undefined;
    const entries = ok ? slices.map((slice) => ({ slice, cached: { family: sliceFamily(slice), file: sliceFile(dir, slice) } })) : [];
    return {
      mono, fallbacks, covered, choices: new Map(), missing, cacheDir: ok ? dir : null,
      slices: entries.map((e) => e.cached),
      tables: { sc: new SliceTable(entries.filter((e) => e.slice.font.script === 'sc')), kr: new SliceTable(entries.filter((e) => e.slice.font.script === 'kr')) },
    };
  };
  if (slices.length === 0) return mode === 'sync' ? done(null) : Promise.resolve(done(null));
  let dir: string;
  try {
    if (wawoff2 === null) throw new Error('wawoff2 is not installed');
    dir = fontCacheDir(cacheKey([...packages, { name: 'wawoff2', version: wawoff2.version }]));
  } catch (err) {
    return mode === 'sync' ? done(null, err) : Promise.resolve(done(null, err));
  }
  if (cacheComplete(dir)) return mode === 'sync' ? done(dir) : Promise.resolve(done(dir));
  if (mode === 'async') return fillCache(dir, slices).then(() => done(dir), (err: unknown) => done(null, err));
  try {
    fillCacheSync(dir, slices);
    return done(dir);
  } catch (err) {
    return done(null, err);
  }
}

/** Which script's font a code point is drawn from: Hangul from KR, other CJK from SC; null: neither. */
export function cjkScript(cp: number): 'sc' | 'kr' | null {
  if (cp < 0x1100) return null;
  if (cp <= 0x11ff || (cp >= 0x3130 && cp <= 0x318f) || (cp >= 0xa960 && cp <= 0xa97f) || (cp >= 0xac00 && cp <= 0xd7ff) || (cp >= 0xffa0 && cp <= 0xffdc)) return 'kr';
  if ((cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xffef) || (cp >= 0x20000 && cp <= 0x3ffff)) return 'sc';
  return null;
}

/** The font named for a glyph: a family, and the slice to load when it is one. */
interface Choice {
  family: string;
  slice?: CachedSlice;
}

/** The fonts of one render: the slices its glyphs need, noted as the SVG is built. */
export class RenderFonts {
  private readonly used = new Set<CachedSlice>();

  constructor(private readonly p: PackageFonts, private readonly extra: readonly string[]) {}

  /**
   * The font-family for a glyph (svg.ts glyphFamily): undefined when DejaVu Sans Mono has it or
   * none of ours does (resvg then searches, TERMPOOL_FONT_DIRS's fonts included); otherwise the
   * font that has it. Wide CJK goes to its script's slice first, other wide glyphs to Noto Emoji
   * (emoji presentation), narrow ones to Noto Sans Symbols 2 (text presentation).
   */
  readonly glyphFamily = (text: string, wide: boolean): string | undefined => {
    const cp = text.codePointAt(0) ?? 0;
    if (cp >= 0x20 && cp < 0x7f && !wide) return undefined; // ASCII: DejaVu's, without a lookup
    const key = wide ? -1 - cp : cp;
    let c = this.p.choices.get(key);
    if (c === undefined) this.p.choices.set(key, c = this.choose(cp, wide));
    if (c === null) return undefined;
    if (c.slice !== undefined) this.used.add(c.slice);
    return c.family;
  };

  /** The files for resvg, in fallback order. */
  files(): string[] {
    return [...this.p.mono, ...[...this.used].map((s) => s.file), ...this.p.fallbacks, ...this.extra];
  }

  private choose(cp: number, wide: boolean): Choice | null {
    const { mono, emoji, symbols } = this.p.covered;
    const has = (f: CoveredFont | undefined): f is CoveredFont => f !== undefined && f.coverage.has(cp);
    const named = (f: CoveredFont): Choice => ({ family: `'${f.family}'` });
    const slice = (script: 'sc' | 'kr'): Choice | null => {
      const [first, second] = script === 'kr' ? [this.p.tables.kr, this.p.tables.sc] : [this.p.tables.sc, this.p.tables.kr];
      const s = first.find(cp) ?? second.find(cp);
      return s === undefined ? null : { family: `'${s.family}'`, slice: s };
    };
    const script = cjkScript(cp);
    if (wide && script !== null) {
      const c = slice(script);
      if (c !== null) return c;
    }
    if (has(mono)) return null;
    const order = wide ? [emoji, symbols] : [symbols, emoji];
    for (const f of order) if (has(f)) return named(f);
    return slice(script ?? 'sc');
  }
}

/** Fonts for a render (blocks the first time, converting the CJK slices if this machine has not). */
export function renderFonts(dirs: readonly string[] = configuredDirs): RenderFonts {
  return new RenderFonts(resolved ??= resolvePackages('sync'), extraFiles(dirs));
}

/** renderFonts without blocking: the conversion, if any, is awaited. */
export async function renderFontsAsync(dirs: readonly string[] = configuredDirs): Promise<RenderFonts> {
  await prepareFonts(dirs);
  return renderFonts(dirs);
}
