/**
 * Differential test: our engine against @xterm/headless (xterm.js) and ghostty-web (Ghostty) on
 * real recordings.
 *
 * Every recording in test/fixtures/recordings (bytes a real program wrote under node-pty, see
 * test/fixtures/record.ts) is replayed into the three engines; at each checkpoint (an offset where
 * the program sat idle showing something worth comparing) and at the end, the screen text, the
 * cursor and the cells' attributes are compared with each oracle. Replies are not compared (the
 * recordings hold only what the program wrote; recordings/DIFFERENCES.md item 4). Every
 * difference must be on the allow-list (differential-allowed.ts, case `<recording>@<checkpoint>`)
 * with its reason, and every listed entry must still differ.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allowed, ALLOWED } from './differential-allowed.js';
import { ORACLES, differs, renderOracle, renderOurs, type Aspect } from './differential-render.js';

const DIR = fileURLToPath(new URL('../fixtures/recordings/', import.meta.url));
const ASPECTS: readonly Aspect[] = ['text', 'cursor', 'attrs'];

interface Meta {
  name: string;
  command: string;
  cols: number;
  rows: number;
  description: string;
  checkpoints?: { label: string; offset: number }[];
}

const recordings: Meta[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Meta);

describe('differential: recordings in termpool vs xterm.js and Ghostty', () => {
  it('allow-list entries for recordings name a recording and one of its checkpoints', () => {
    for (const a of ALLOWED.filter((e) => e.case.includes('@'))) {
      const [name, label] = a.case.split('@');
      const meta = recordings.find((m) => m.name === name);
      expect(meta, `allow-list: no recording ${name}`).toBeDefined();
      expect([...(meta!.checkpoints ?? []).map((c) => c.label), 'final']).toContain(label);
      expect(ASPECTS).toContain(a.aspect);
    }
  });

  for (const meta of recordings) {
    it(`replays ${meta.name} (${meta.cols}x${meta.rows})`, async () => {
      const bytes = new Uint8Array(readFileSync(join(DIR, `${meta.name}.vt`)));
      const marks = [...(meta.checkpoints ?? []), { label: 'final', offset: bytes.length }];
      const offsets = marks.map((m) => m.offset);
      const ours = renderOurs(bytes, meta.cols, meta.rows, offsets);
      const failures: string[] = [];
      for (const oracle of ORACLES) {
        const theirs = await renderOracle(oracle, bytes, meta.cols, meta.rows, offsets);
        marks.forEach((mark, i) => {
          expect(ours[i]!.lines, `${meta.name}@${mark.label}: screenLines() must return exactly rows lines`).toHaveLength(meta.rows);
          const name = `${meta.name}@${mark.label}`;
          for (const aspect of ASPECTS) {
            const diff = differs(aspect, ours[i]!, theirs[i]!, oracle);
            const entry = allowed(oracle, name, aspect);
            if (diff !== null && !entry) failures.push(`${name} ${oracle} ${aspect} differs:\n${diff}`);
            if (diff === null && entry) failures.push(`${name} ${oracle} ${aspect}: allow-listed ("${entry.reason}") but no longer differs — remove the entry`);
          }
        });
      }
      expect(failures, failures.join('\n')).toEqual([]);
    });
  }
});
