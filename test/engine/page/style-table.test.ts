/**
 * StyleTable interning (one hash, one probe; a miss inserts where the probe stopped) against
 * a Map model, through inserts, lookups, frees with backward-shift deletion and id reuse.
 */
import { describe, expect, it } from 'vitest';
import { bucketCountFor, STYLE_WORDS, StyleTable, StyleValue } from '../../../src/engine/page/style-table.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function table(capacity: number): StyleTable {
  return new StyleTable(
    new Uint32Array(capacity * STYLE_WORDS), new Uint32Array(capacity), new Uint16Array(bucketCountFor(capacity)),
  );
}

describe('StyleTable: intern', () => {
  it('agrees with a model through random intern/unref (small key space forces collisions)', () => {
    const r = rng(5);
    const t = table(64);
    const model = new Map<string, { id: number; refs: number }>();
    const s = new StyleValue();
    for (let step = 0; step < 20000; step++) {
      s.fg = Math.floor(r() * 12); s.bg = Math.floor(r() * 6); s.ul = 0; s.flags = Math.floor(r() * 2);
      const key = `${s.fg},${s.bg},${s.flags}`;
      const m = model.get(key);
      if (r() < 0.55) {
        const id = t.intern(s);
        if (s.isDefault()) { expect(id).toBe(0); continue; }
        if (m !== undefined) { expect(id).toBe(m.id); m.refs++; continue; }
        if (model.size >= 63) { expect(id).toBe(-1); continue; }
        expect(id).toBeGreaterThan(0);
        for (const v of model.values()) expect(v.id).not.toBe(id);
        model.set(key, { id, refs: 1 });
      } else if (m !== undefined) {
        t.unref(m.id);
        if (--m.refs === 0) model.delete(key);
      }
      expect(t.count).toBe(model.size);
    }
    for (const [key, v] of model) {
      const [fg, bg, flags] = key.split(',').map(Number) as [number, number, number];
      expect(t.find(fg, bg, 0, flags)).toBe(v.id);
      expect(t.refs[v.id]).toBe(v.refs);
    }
  });
});
