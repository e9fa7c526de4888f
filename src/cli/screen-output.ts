/**
 * A screen snapshot written out by a CLI command (render, snap): the formats, their encoding,
 * and the destination (stdout or --out FILE). Renderers load only when an image is asked for.
 */
import { writeFile } from 'node:fs/promises';
import type { ScreenSnapshot } from '../engine/index.js';
import { CliError, type Io } from './errors.js';

export const SCREEN_FORMATS = ['text', 'json', 'ansi', 'html', 'svg', 'png'] as const;
export type ScreenFormat = (typeof SCREEN_FORMATS)[number];

/** Checks a --format value against `allowed`. */
export function screenFormat(cmd: string, raw: string | undefined, dflt: ScreenFormat, allowed: readonly ScreenFormat[] = SCREEN_FORMATS): ScreenFormat {
  const f = raw ?? dflt;
  if (!(allowed as readonly string[]).includes(f)) throw new CliError(`${cmd}: --format must be one of ${allowed.join(', ')}; got '${f}'`);
  return f as ScreenFormat;
}

/**
 * The snapshot in `format`: text is one right-trimmed line per row, each newline-terminated
 * (written blanks are trailing whitespace too for a reader of the text, as with xterm's
 * trimRight); json is the ScreenSnapshot.
 */
export async function formatSnapshot(snap: ScreenSnapshot, format: ScreenFormat): Promise<string | Buffer> {
  switch (format) {
    case 'text': return snap.lines.map((l) => l.text.replace(/ +$/, '') + '\n').join('');
    case 'json': return JSON.stringify(snap) + '\n';
    case 'ansi': return (await import('../render/index.js')).renderAnsi(snap);
    case 'html': return (await import('../render/index.js')).renderHtml(snap);
    case 'svg': return (await import('../render/index.js')).renderSvg(snap);
    case 'png': {
      const r = await import('../render/index.js');
      // The server's extra font directories apply to the CLI's PNGs too (src/render/font-dirs.ts).
      const dirs = r.parseFontDirs(process.env['TERMPOOL_FONT_DIRS'] ?? '');
      for (const dir of dirs) {
        const problem = r.fontDirProblem(dir);
        if (problem !== null) throw new CliError(`TERMPOOL_FONT_DIRS: ${problem}`);
      }
      r.useFontDirs(dirs);
      try {
        return r.renderPng(snap);
      } catch (err) {
        if (err instanceof r.FontsMissingError) throw new CliError(`PNG rendering is unavailable: ${err.message}`, 1);
        throw err;
      }
    }
  }
}

/** Refuses to dump an image's bytes on a terminal before any work is done. */
export function checkDestination(cmd: string, format: ScreenFormat, out: string | undefined, io: Io): void {
  if (format === 'png' && (out === undefined || out === '-') && (io.stdout as { isTTY?: boolean }).isTTY) {
    throw new CliError(`${cmd}: refusing to write PNG bytes to a terminal; use --out FILE or redirect stdout`);
  }
}

/** Writes `data` to --out FILE, or stdout when `out` is undefined or '-'. */
export async function writeResult(cmd: string, io: Io, out: string | undefined, data: string | Buffer): Promise<void> {
  if (out !== undefined && out !== '-') {
    try {
      await writeFile(out, data);
    } catch (err) {
      throw new CliError(`${cmd}: cannot write '${out}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    return;
  }
  await writeOut(io, data);
}

/** Write and wait for the flush; a closed pipe (`| head`) is not an error worth reporting. */
export function writeOut(io: Io, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' ? resolve() : reject(err));
    io.stdout.once('error', onError);
    io.stdout.write(data, (err) => {
      io.stdout.off('error', onError);
      if (err && (err as NodeJS.ErrnoException).code !== 'EPIPE') reject(err);
      else resolve();
    });
  });
}
