/**
 * Font files for renderPng. resvg is given exact files and never looks up system fonts, so a
 * PNG depends only on these (Debian packages, installed by .ci/run):
 * - fonts-dejavu-core   DejaVu Sans Mono (+ Bold): Latin, Greek, Cyrillic, box drawing, blocks;
 * - fonts-wqy-microhei  WenQuanYi Micro Hei: CJK ideographs, kana, hangul;
 * - fonts-symbola       Symbola: monochrome emoji and symbols.
 * The monospace font is required; the fallbacks are optional (their glyphs draw as missing
 * boxes without them) and `resolveFonts().missing` says which are absent.
 */
import { existsSync } from 'node:fs';

export interface FontSpec {
  /** What the font is for. */
  role: 'mono' | 'mono-bold' | 'cjk' | 'symbols';
  family: string;
  /** Debian package that ships it. */
  pkg: string;
  /** Candidate paths, first existing one wins. */
  paths: readonly string[];
  required: boolean;
}

const DEJAVU = '/usr/share/fonts/truetype/dejavu';

export const FONT_SPECS: readonly FontSpec[] = [
  { role: 'mono', family: 'DejaVu Sans Mono', pkg: 'fonts-dejavu-core', paths: [`${DEJAVU}/DejaVuSansMono.ttf`], required: true },
  { role: 'mono-bold', family: 'DejaVu Sans Mono', pkg: 'fonts-dejavu-core', paths: [`${DEJAVU}/DejaVuSansMono-Bold.ttf`], required: false },
  { role: 'cjk', family: 'WenQuanYi Micro Hei Mono', pkg: 'fonts-wqy-microhei', paths: ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'], required: false },
  { role: 'symbols', family: 'Symbola', pkg: 'fonts-symbola', paths: ['/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf', '/usr/share/fonts/truetype/symbola/Symbola.ttf'], required: false },
];

export interface ResolvedFonts {
  files: string[];
  /** Optional fonts not found, as "role (package)". */
  missing: string[];
}

export class FontsMissingError extends Error {
  readonly code = 'TERMPOOL_FONTS_MISSING';
}

/** Find the font files; throws FontsMissingError when a required one is absent. */
export function resolveFonts(specs: readonly FontSpec[] = FONT_SPECS): ResolvedFonts {
  const files: string[] = [];
  const missing: string[] = [];
  const fatal: string[] = [];
  for (const s of specs) {
    const found = s.paths.find((p) => existsSync(p));
    if (found !== undefined) files.push(found);
    else (s.required ? fatal : missing).push(`${s.role} (${s.pkg}: ${s.paths.join(' or ')})`);
  }
  if (fatal.length > 0) {
    const pkgs = [...new Set(specs.filter((s) => s.required).map((s) => s.pkg))].join(' ');
    throw new FontsMissingError(`PNG rendering needs font files that are missing: ${fatal.join(', ')}; install with: apt-get install -y ${pkgs}`);
  }
  return { files, missing };
}
