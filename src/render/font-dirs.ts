/**
 * TERMPOOL_FONT_DIRS: directories of the system's (or anyone's) fonts that PNG snapshots load
 * after termpool's own, as extra fallbacks for glyphs ours lack (Thai, Devanagari, CJK
 * Extension B, a site's own font…).
 *
 * Non-recursive: every .ttf, .otf and .ttc directly inside each directory, nothing below. resvg
 * reads every font file it is given on every render, so each file has a cost on each PNG;
 * naming the exact directories (e.g. /usr/share/fonts/truetype/noto, not /usr/share/fonts)
 * keeps that cost visible and bounded.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const FONT_FILE = /\.(ttf|otf|ttc)$/i;

/** The setting's directories: colon-separated, blanks dropped, made absolute. */
export function parseFontDirs(spec: string): string[] {
  return spec.split(':').map((s) => s.trim()).filter((s) => s !== '').map((s) => path.resolve(s));
}

/** Why `dir` cannot be used (missing, not a directory, unreadable), or null when it can. */
export function fontDirProblem(dir: string): string | null {
  try {
    if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
    readdirSync(dir);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `${dir} does not exist` : `${dir} cannot be read (${code ?? String(err)})`;
  }
}

/** The font files directly in `dirs`, each directory's sorted by name, in the order of `dirs`. */
export function fontFilesIn(dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (FONT_FILE.test(name) && statSync(file, { throwIfNoEntry: false })?.isFile()) out.push(file);
    }
  }
  return out;
}
