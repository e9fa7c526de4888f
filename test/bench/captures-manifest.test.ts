/**
 * The committed corpus of real pty captures (bench/captures/) is what its manifest says: every
 * file's raw bytes have the manifest's length and sha256, every file is listed, the corpus stays
 * within its size budget, and no capture holds a home-directory path, the host name or a package
 * mirror's host. The bench's own loader (loadCapture) is used, so this also proves that the bench
 * refuses bytes that do not match.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  CAPTURE_DIR, captureFiles, forbiddenNeedles, loadCapture, privacyFindings, readManifest, verifyCapture,
} from '../../bench/capture-files.js';

const manifest = readManifest();

describe('bench/captures manifest', () => {
  it('lists every committed capture, and only those, within 4 MiB compressed', () => {
    expect(manifest.captures.map((c) => c.name).sort()).toEqual(captureFiles());
    // The issue asks for these programs; each is one capture.
    expect(captureFiles()).toEqual(['gcc', 'git-log', 'grep', 'htop', 'ls', 'progress', 'vim']);
    const gz = manifest.captures.reduce((a, c) => a + readFileSync(`${CAPTURE_DIR}/${c.name}.vt.gz`).length, 0);
    expect(gz).toBe(manifest.captures.reduce((a, c) => a + c.gzipBytes, 0));
    expect(gz).toBeLessThanOrEqual(4 * 1024 * 1024);
  });

  it("each capture's raw bytes match the manifest's sha256 and length, and hold nothing private", () => {
    const needles = forbiddenNeedles();
    for (const entry of manifest.captures) {
      const raw = loadCapture(entry); // throws on a mismatch
      expect(raw.length).toBe(entry.bytes);
      expect(privacyFindings(raw, needles), entry.name).toEqual([]);
    }
  });

  it('a capture with one byte changed is refused by the loader check', () => {
    const entry = manifest.captures.find((c) => c.name === 'gcc')!;
    const raw = new Uint8Array(gunzipSync(readFileSync(`${CAPTURE_DIR}/gcc.vt.gz`)));
    expect(verifyCapture(entry, raw)).toBeNull();
    raw[1000] ^= 1;
    expect(verifyCapture(entry, raw)).toMatch(/^gcc: sha256 [0-9a-f]{64}, manifest says/);
    expect(verifyCapture(entry, raw.subarray(1))).toMatch(/bytes, manifest says/);
  });

  it('the privacy check finds a home path and the host name where they start a path or a prompt', () => {
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
    const needles: [string, string][] = [['home', '/root/'], ['host', '@box']];
    expect(privacyFindings(enc('x \x1b[32m/root/.cache y'), needles)).toEqual(['home at byte 7']);
    expect(privacyFindings(enc('rec@box:~$ '), needles)).toEqual(['host at byte 3']);
    expect(privacyFindings(enc('modules/demo.d/root/images'), needles)).toEqual([]);
  });
});
