/**
 * Golden files, their pictures and the font cache on a full file system (a tmpfs of a few KiB
 * in a user and mount namespace, test/helpers/full-disk.ts: the kernel's own ENOSPC). Updating a
 * golden fails with a GoldenFileError naming "no space left" and leaves the old golden byte for
 * byte (the code that wrote in place left a truncated one, which the next run would take for the
 * expected screen) and no temporary file; the pictures of a difference are not written, none
 * half; the font cache (TMPDIR on the full fs) fails with a warning and a PNG is still drawn,
 * with no `complete` marker and no temporary file left.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fullDiskAvailable, runOnTinyFs } from '../helpers/full-disk.js';

const root = mkdtempSync(path.join(tmpdir(), 'tp-golden-full-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const dist = (p: string): string => pathToFileURL(fileURLToPath(new URL(`../../dist/src/${p}`, import.meta.url))).href;

/** Runs in the namespace: fills the tiny fs, then writes. Prints one JSON line. */
const CHILD = `
import { readdirSync, readFileSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
const { checkGolden, GoldenFileError } = await import(${JSON.stringify(dist('testing/golden-check.js'))});
const dir = process.argv[2];
const file = path.join(dir, 'screen.golden');
const first = checkGolden({ file, actual: { lines: ['hello', 'world'] }, update: 'all' });
const before = readFileSync(file, 'utf8');
// Fill the file system to the last byte.
const fd = openSync(path.join(dir, 'filler'), 'w');
try { for (;;) writeSync(fd, Buffer.alloc(1024, 120)); } catch (e) { if (e.code !== 'ENOSPC') throw e; }
try { for (;;) writeSync(fd, Buffer.alloc(1, 120)); } catch (e) { if (e.code !== 'ENOSPC') throw e; }
closeSync(fd);
let update;
try { checkGolden({ file, actual: { lines: ['hello', 'a much longer screen than before '.repeat(300)] }, update: 'all' }); update = 'no error'; }
catch (e) { update = (e instanceof GoldenFileError ? 'GoldenFileError: ' : 'other: ') + e.message; }
const after = readFileSync(file, 'utf8');
// A difference with updates off: the pictures (and the font cache, TMPDIR here) cannot be written.
const diff = checkGolden({ file, actual: { lines: ['hello', 'changed 中文'] }, update: 'none' });
console.log(JSON.stringify({ first: first.written, update, same: after === before, pass: diff.pass, message: diff.message, files: readdirSync(dir, { recursive: true }).sort() }));
`;

describe.skipIf(!fullDiskAvailable())('golden files on a full file system (ENOSPC)', () => {
  it('a failed update leaves the old golden whole and names the cause; no half file, no temporary', () => {
    const dir = path.join(root, 'fs');
    const script = path.join(root, 'child.mjs');
    mkdirSync(dir);
    writeFileSync(script, CHILD);
    const r = runOnTinyFs(dir, 64, process.execPath, [script, dir], { env: { ...process.env, TMPDIR: dir } });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(out.first).toBe('created');
    expect(out.update).toMatch(/^GoldenFileError: cannot write golden screen .*screen\.golden: no space left on the device \(ENOSPC\); the golden file was left as it was$/);
    expect(out.same).toBe(true);
    expect(out.pass).toBe(false);
    expect(out.message).toMatch(/no pictures: .*(no space left|ENOSPC)/i);
    // The font cache could not be filled: said once, and the picture was still drawn (boxes for CJK).
    expect(r.stderr).toMatch(/font cache failed: .*ENOSPC/);
    // The golden and the filler; the font cache's directory at most, without its `complete` marker; no .tmp, no .png.
    expect(out.files.filter((f: string) => !f.startsWith('termpool-fonts-'))).toEqual(['filler', 'screen.golden']);
    expect(out.files.filter((f: string) => /\.tmp$|\.png$|complete$/.test(f))).toEqual([]);
  }, 60_000);
});
