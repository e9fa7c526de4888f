/**
 * Whole-or-nothing file writes for golden files and their pictures: the bytes go to a file of
 * their own beside the target and are renamed over it only once all were written, so a full disk
 * (ENOSPC), a quota (EDQUOT) or a file size limit (EFBIG) leaves the old file as it was — never a
 * truncated golden that a later run would take for the expected screen — and no temporary file.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, data, { flag: 'wx' });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** "no space left on the device (ENOSPC)" and the like, for messages that name the cause. */
export function writeErrorText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ENOSPC: 'no space left on the device', EDQUOT: 'disk quota exceeded', EFBIG: 'file too large (a file size limit)',
    EROFS: 'read-only file system', EACCES: 'permission denied',
  };
  return code === undefined ? String(err) : why[code] ? `${why[code]} (${code})` : code;
}
