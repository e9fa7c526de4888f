/**
 * An archive written before standard pages were packed (test/fixtures/archive/pre-pack-v1.tpta,
 * made by termpool 2db674d with make-pre-pack.mjs) still restores: its 256-row standard and
 * 330-row large pages are no longer either class's capacity, so they come back as oversized
 * pages of exactly that capacity (capacity.ts isLegacyPooledCapacity), and the terminal reads
 * exactly like one fed the same bytes today.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditPool, PagePool, restoreTerminal, Terminal } from '../../../src/engine/index.js';
// @ts-expect-error: a plain .mjs helper shared with the fixture's generator (no types)
import { prePackInput } from '../../fixtures/archive/pre-pack-input.mjs';

const blob = new Uint8Array(readFileSync(new URL('../../fixtures/archive/pre-pack-v1.tpta', import.meta.url)));

function view(t: Terminal): unknown {
  const n = t.scrollbackLength;
  return { snap: t.snapshot(n), screen: t.screenLines(), scrollback: t.scrollbackLines(0, n), cursor: [t.cursor.x, t.cursor.y] };
}

/** The archive's page list as written: [kind, rows] per page of the primary screen. */
function archivedPages(bytes: Uint8Array): [string, number][] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = b.readUInt32LE(16);
  const meta = JSON.parse(b.subarray(20, 20 + len).toString('utf8')) as { primary: { pages: { kind: string; cap: number[] }[] } };
  return meta.primary.pages.map((p) => [p.kind, p.cap[0]!]);
}

describe('terminal codec: archives written before packed pages', () => {
  it('restores the standard and large pages of the old classes exactly, as oversized pages', () => {
    // The fixture really is of the old classes (a regenerated one would not be).
    const pages = archivedPages(blob);
    expect(pages.filter(([k, rows]) => k === 'standard' && rows === 256).length).toBeGreaterThanOrEqual(2);
    expect(pages.filter(([k, rows]) => k === 'large' && rows === 330).length).toBeGreaterThanOrEqual(2);

    const pool = new PagePool();
    const fresh = new Terminal({ cols: 80, rows: 24, scrollback: 2000, pool });
    fresh.write(prePackInput() as string);
    const r = restoreTerminal(blob, { pool, label: 'old' });
    expect(r.title).toBe('pre-pack archive');
    expect(view(r)).toEqual(view(fresh));
    r.assertIntegrity();
    // Every page was restored by the reads: none of them as a pooled class.
    const kinds = r.primary.list.pages.map((p) => p.kind === 'compressed' ? p.pageKind : p.kind);
    expect(new Set(kinds)).toEqual(new Set(['oversized']));
    const a = auditPool(pool);
    expect(a.leakedBytes).toBe(0);
    expect(a.strandedBytes).toBe(0);
    expect(a.ledgerDriftBytes).toBe(0);
    r.dispose();
    fresh.dispose();
    const s = pool.stats();
    expect(s.oversizedPages).toBe(0);
    expect(s.bytesLent).toBe(0);
    expect(s.compressedPages).toBe(0);
  });
});
