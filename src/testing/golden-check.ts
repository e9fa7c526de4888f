/**
 * One screen checked against one golden file — the decision shared by the `toMatchScreen`
 * matcher and `termpool assert`: compare, or write the golden (updating, or a new one when
 * allowed), and on a difference build the message (a line diff) and draw both pictures.
 *
 * Update modes, named as Jest's and Vitest's snapshot states are:
 *   'all'  — write the golden whenever it is missing or differs, and pass (`-u`);
 *   'new'  — write a missing golden and pass; compare an existing one (a local run);
 *   'none' — never write: a missing golden fails (CI).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ScreenSnapshot } from '../engine/index.js';
import { formatGolden, GoldenFormatError, normalizeGolden, parseGolden, type GoldenScreen } from './golden-format.js';
import { writeErrorText, writeFileAtomic } from './atomic-write.js';
import { formatLineDiff } from './line-diff.js';
import { drawGolden, removeArtefacts, writeArtefacts } from './png-artefacts.js';

export type UpdateMode = 'all' | 'new' | 'none';

export interface GoldenCheck {
  /** The golden file's path (absolute, or relative to the working directory). */
  file: string;
  /** What the golden should record of the screen (see golden-format.ts). */
  actual: GoldenScreen;
  /** The screen itself when known: drawn as the actual picture, and sizes the expected one. */
  snapshot?: ScreenSnapshot;
  update: UpdateMode;
}

export interface GoldenResult {
  pass: boolean;
  message: string;
  /** Set when the golden file was written. */
  written?: 'created' | 'updated';
  /** The line diff, when the screen differs. */
  diff?: string;
  /** The pictures written beside the golden, when the screen differs and they could be drawn. */
  pictures?: { expected: string; actual: string };
}

/** The golden file could not be read (not a mere absence): a usage error, not a mismatch. */
export class GoldenFileError extends Error {}

export const UPDATE_HINT = 'rerun with -u (vitest/jest), termpool assert --update, or TERMPOOL_UPDATE_GOLDEN=1 to accept the screen as it is';

/** True when TERMPOOL_UPDATE_GOLDEN asks for goldens to be rewritten (any value but '', 0, false, no). */
export function updateFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env['TERMPOOL_UPDATE_GOLDEN'] ?? '').toLowerCase();
  return v !== '' && v !== '0' && v !== 'false' && v !== 'no';
}

function readGolden(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new GoldenFileError(`cannot read golden screen ${file}: ${code === 'EISDIR' ? 'is a directory' : (code ?? String(err))}`);
  }
}

function writeGolden(file: string, text: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    // Whole or not at all: a full disk leaves the old golden (or none), never a truncated one.
    writeFileAtomic(file, text);
  } catch (err) {
    throw new GoldenFileError(`cannot write golden screen ${file}: ${writeErrorText(err)}; the golden file was left as it was`);
  }
  removeArtefacts(file);
}

/** Lines of a golden file that are screen rows (before the attributes header). */
function textLineCount(lines: readonly string[]): number {
  const header = lines.findLastIndex((l) => l.startsWith('~~~ termpool'));
  return header < 0 ? lines.length : header;
}

export function checkGolden(c: GoldenCheck): GoldenResult {
  const actualText = formatGolden(c.actual);
  const found = readGolden(c.file);
  if (found === null) {
    if (c.update !== 'none') {
      writeGolden(c.file, actualText);
      return { pass: true, written: 'created', message: `wrote new golden screen ${c.file}` };
    }
    return {
      pass: false,
      message: `golden screen ${c.file} does not exist (not written: updates are off, as in CI); ${UPDATE_HINT}. The screen was:\n${actualText}`,
    };
  }
  const expectedText = normalizeGolden(found);
  if (expectedText === actualText) {
    removeArtefacts(c.file);
    return { pass: true, message: `screen matches golden ${c.file}` };
  }
  if (c.update === 'all') {
    writeGolden(c.file, actualText);
    return { pass: true, written: 'updated', message: `updated golden screen ${c.file}` };
  }
  const a = expectedText.replace(/\n$/, '').split('\n');
  const b = actualText.replace(/\n$/, '').split('\n');
  const diff = formatLineDiff(a, b, { textLinesA: textLineCount(a), textLinesB: textLineCount(b) });
  let pictureNote: string;
  let pictures: { expected: string; actual: string } | undefined;
  try {
    const size = c.snapshot ? { cols: c.snapshot.cols, rows: c.snapshot.rows } : undefined;
    const drawn = writeArtefacts(c.file, drawGolden(parseGolden(expectedText), size), c.snapshot ?? drawGolden(c.actual, size));
    if ('error' in drawn) pictureNote = `no pictures: ${drawn.error}`;
    else {
      pictures = drawn;
      pictureNote = `pictures: ${drawn.expected} (expected), ${drawn.actual} (actual)`;
    }
  } catch (err) {
    if (!(err instanceof GoldenFormatError)) throw err;
    pictureNote = `no pictures: the golden file cannot be drawn (${err.message})`;
  }
  return {
    pass: false,
    diff,
    ...(pictures && { pictures }),
    message: `screen differs from golden ${c.file} (- expected, + actual):\n${diff}\n${pictureNote}\n${UPDATE_HINT}`,
  };
}
