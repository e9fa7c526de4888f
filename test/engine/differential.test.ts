/**
 * Differential test: our engine against @xterm/headless on real recordings.
 *
 * Every recording in test/fixtures/recordings (bytes a real program wrote
 * under node-pty, see test/fixtures/record.ts) is replayed into both
 * engines; the visible screens are compared line by line at each checkpoint
 * (an offset where the program sat idle showing something worth comparing)
 * and at the end. Overall at least 99% of lines must match. Intentional
 * differences are listed in recordings/DIFFERENCES.md and excluded here by
 * the explicit ALLOWED list, each entry with its reason.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Terminal } from '../../src/engine/index.js';
import { renderWithXtermAt } from '../helpers/xterm-oracle.js';

const DIR = fileURLToPath(new URL('../fixtures/recordings/', import.meta.url));
const THRESHOLD = 0.99;

interface Meta {
  name: string;
  command: string;
  cols: number;
  rows: number;
  description: string;
  checkpoints?: { label: string; offset: number }[];
}

/**
 * Lines excluded from the comparison. Keep in sync with DIFFERENCES.md.
 * `screen` is a checkpoint label or 'final'; `line` is the 0-based row.
 */
const ALLOWED: { recording: string; screen: string; line: number; reason: string }[] = [
  // e.g. { recording: 'unicode-emoji-zwj', screen: 'final', line: 2,
  //        reason: 'xterm (unicode11) sizes a ZWJ sequence per code point; we size the grapheme' },
];

const isAllowed = (recording: string, screen: string, line: number): boolean =>
  ALLOWED.some((a) => a.recording === recording && a.screen === screen && a.line === line);

function engineScreensAt(bytes: Uint8Array, cols: number, rows: number, offsets: readonly number[]): string[][] {
  const t = new Terminal({ cols, rows, scrollback: 1000 });
  const screens: string[][] = [];
  let done = 0;
  try {
    for (const offset of offsets) {
      if (offset > done) t.write(bytes.subarray(done, offset));
      done = offset;
      screens.push(t.screenLines());
    }
  } finally {
    t.dispose();
  }
  return screens;
}

const recordings: Meta[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Meta);

interface Result { name: string; total: number; equal: number; report: string[] }
const results: Result[] = [];

describe('differential: engine vs @xterm/headless', () => {
  for (const meta of recordings) {
    it(`replays ${meta.name} (${meta.cols}x${meta.rows})`, async () => {
      const bytes = new Uint8Array(readFileSync(join(DIR, `${meta.name}.vt`)));
      const marks = [...(meta.checkpoints ?? []), { label: 'final', offset: bytes.length }];
      const offsets = marks.map((m) => m.offset);
      const expected = await renderWithXtermAt(bytes, meta.cols, meta.rows, offsets);
      const actual = engineScreensAt(bytes, meta.cols, meta.rows, offsets);
      const result: Result = { name: meta.name, total: 0, equal: 0, report: [] };
      marks.forEach((mark, i) => {
        const want = expected[i]!;
        const got = actual[i]!;
        expect(got, `${meta.name}@${mark.label}: screenLines() must return exactly rows lines`).toHaveLength(meta.rows);
        for (let y = 0; y < meta.rows; y++) {
          if (isAllowed(meta.name, mark.label, y)) continue;
          result.total++;
          if (want[y] === got[y]) result.equal++;
          else result.report.push(`  ${mark.label} row ${y}:\n    xterm : ${JSON.stringify(want[y])}\n    engine: ${JSON.stringify(got[y])}`);
        }
      });
      results.push(result);
    });
  }

  it(`matches at least ${THRESHOLD * 100}% of lines overall`, () => {
    expect(results.length, 'every recording must have replayed').toBe(recordings.length);
    const total = results.reduce((n, r) => n + r.total, 0);
    const equal = results.reduce((n, r) => n + r.equal, 0);
    const report = results
      .filter((r) => r.report.length > 0)
      .map((r) => `${r.name}: ${r.equal}/${r.total} lines equal\n${r.report.join('\n')}`)
      .join('\n\n');
    console.log(`differential: ${equal}/${total} lines equal across ${results.length} recordings${report ? `\n\n${report}` : ''}`);
    expect(equal / total, `only ${equal}/${total} lines equal:\n\n${report}`).toBeGreaterThanOrEqual(THRESHOLD);
  });
});
