/** Finding a program the way exec does: a path with a slash as given, a bare name on PATH. */
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import path from 'node:path';

/** True for a regular file the server may execute. */
export function isExecutableFile(p: string): boolean {
  try { accessSync(p, fsConstants.X_OK); return statSync(p).isFile(); } catch { return false; }
}

/** The first executable `name` in the `:`-separated `searchPath`, or null. */
export function findOnPath(name: string, searchPath: string): string | null {
  for (const dir of searchPath.split(':')) {
    if (dir === '') continue;
    const p = path.join(dir, name);
    if (isExecutableFile(p)) return p;
  }
  return null;
}
