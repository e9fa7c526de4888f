/**
 * Which code points a TrueType/OpenType font maps to a glyph, read from its `cmap` table, so that
 * fonts.ts can name the font that has a glyph instead of leaving resvg to search for it.
 *
 * Why: for a glyph its font lacks, resvg tries every other font it was given in turn, reading
 * each file again for each glyph. A screen of braille (btop's graphs) or of ⏻ took 1.1-1.5 s a
 * render that way; naming the font that has them makes it a lookup.
 *
 * Reads the subtables that cover Unicode: format 12 (all planes) when there is one, else
 * format 4 (the BMP). Code points mapped to glyph 0 (.notdef) do not count.
 */

/** Sorted, disjoint inclusive ranges of code points, searched by bisection. */
export class Coverage {
  constructor(private readonly starts: Uint32Array, private readonly ends: Uint32Array) {}

  has(cp: number): boolean {
    let lo = 0, hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] > cp) hi = mid - 1;
      else if (this.ends[mid] < cp) lo = mid + 1;
      else return true;
    }
    return false;
  }

  get ranges(): number { return this.starts.length; }
}

/** The code points `font` (a single .ttf/.otf) has glyphs for; throws on a file it cannot read. */
export function fontCoverage(font: Uint8Array): Coverage {
  const b = Buffer.from(font.buffer, font.byteOffset, font.byteLength);
  const cmap = tableOffset(b, 'cmap');
  const n = b.readUInt16BE(cmap + 2);
  let best = -1, bestRank = 0;
  for (let i = 0; i < n; i++) {
    const rec = cmap + 4 + 8 * i;
    const platform = b.readUInt16BE(rec), encoding = b.readUInt16BE(rec + 2);
    const sub = cmap + b.readUInt32BE(rec + 4);
    const format = b.readUInt16BE(sub);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    const rank = !unicode ? 0 : format === 12 ? 2 : format === 4 ? 1 : 0;
    if (rank > bestRank) { best = sub; bestRank = rank; }
  }
  if (best < 0) throw new Error('the font has no Unicode cmap subtable of format 4 or 12');
  const ranges = bestRank === 2 ? format12(b, best) : format4(b, best);
  return new Coverage(Uint32Array.from(ranges, (r) => r[0]), Uint32Array.from(ranges, (r) => r[1]));
}

function tableOffset(b: Buffer, tag: string): number {
  const n = b.readUInt16BE(4);
  for (let i = 0; i < n; i++) {
    const e = 12 + 16 * i;
    if (b.toString('latin1', e, e + 4) === tag) return b.readUInt32BE(e + 8);
  }
  throw new Error(`the font has no ${tag} table`);
}

/** Groups of (first, last, first glyph): 12 bytes each after a 16-byte header. */
function format12(b: Buffer, at: number): [number, number][] {
  const groups = b.readUInt32BE(at + 12);
  const out: [number, number][] = [];
  for (let i = 0; i < groups; i++) {
    const g = at + 16 + 12 * i;
    let first = b.readUInt32BE(g);
    const last = b.readUInt32BE(g + 4);
    if (b.readUInt32BE(g + 8) === 0) first++; // the group's first code point maps to .notdef
    if (first <= last) push(out, first, last);
  }
  return out;
}

/** Segments (end, start, delta, range offset), each code point's glyph worked out as the format says. */
function format4(b: Buffer, at: number): [number, number][] {
  const segs = b.readUInt16BE(at + 6) / 2;
  const ends = at + 14, starts = ends + 2 * segs + 2, deltas = starts + 2 * segs, offsets = deltas + 2 * segs;
  const out: [number, number][] = [];
  for (let s = 0; s < segs; s++) {
    const end = b.readUInt16BE(ends + 2 * s), start = b.readUInt16BE(starts + 2 * s);
    const delta = b.readUInt16BE(deltas + 2 * s), ro = b.readUInt16BE(offsets + 2 * s);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (ro === 0) glyph = (c + delta) & 0xffff;
      else {
        const g = b.readUInt16BE(offsets + 2 * s + ro + 2 * (c - start));
        glyph = g === 0 ? 0 : (g + delta) & 0xffff;
      }
      if (glyph !== 0) push(out, c, c);
    }
  }
  return out.sort((x, y) => x[0] - y[0]);
}

/** Appends [first, last], merged into the previous range when they touch. */
function push(out: [number, number][], first: number, last: number): void {
  const prev = out[out.length - 1];
  if (prev !== undefined && prev[1] + 1 === first) prev[1] = last;
  else out.push([first, last]);
}
