/**
 * A page's own style table: ref-counted style records stored inside the page's buffer, so a
 * page can be compressed or moved on its own. Cells refer to styles by a 16-bit id; id 0 is
 * the default style and is never stored or counted.
 *
 * Record layout (STYLE_WORDS Uint32 per id): fg, bg, underline colour, flags.
 * Flags: bit 0 bold, 1 faint, 2 italic, 3 blink, 4 inverse, 5 invisible, 6 strikethrough,
 *        7 overline, bits 8..10 underline style (0 none .. 5 dashed), 11 protected (DECSCA /
 *        SPA: not a rendition, but carried with the cell like one; selective erases skip it).
 * Lookup is an open-addressing hash (linear probing, backward-shift deletion) over a Uint16
 * bucket array, also inside the buffer: interning costs no allocation.
 *
 * Counts are exact except after clears: a clear does not release the styles it blanks (walking
 * the cleared cells for their style runs was ~12% of a redraw-heavy run), so counts may be high
 * until the table fills and the page recounts them from its cells (Page.recountStyles,
 * resetCounts here). A count is never below the cells that hold the id.
 */
export const STYLE_WORDS = 4;

export const ATTR_BOLD = 1 << 0;
export const ATTR_FAINT = 1 << 1;
export const ATTR_ITALIC = 1 << 2;
export const ATTR_BLINK = 1 << 3;
export const ATTR_INVERSE = 1 << 4;
export const ATTR_INVISIBLE = 1 << 5;
export const ATTR_STRIKE = 1 << 6;
export const ATTR_OVERLINE = 1 << 7;
export const UNDERLINE_SHIFT = 8;
export const UNDERLINE_MASK = 0x7 << UNDERLINE_SHIFT;
export const ATTR_PROTECTED = 1 << 11;

/** A style by value. The Terminal's cursor owns one; pages intern it to get an id. */
export class StyleValue {
  fg = 0;
  bg = 0;
  ul = 0;
  flags = 0;

  isDefault(): boolean {
    return (this.fg | this.bg | this.ul | this.flags) === 0;
  }

  set(o: StyleValue): void {
    this.fg = o.fg; this.bg = o.bg; this.ul = o.ul; this.flags = o.flags;
  }

  equals(o: StyleValue): boolean {
    return this.fg === o.fg && this.bg === o.bg && this.ul === o.ul && this.flags === o.flags;
  }

  reset(): void {
    this.fg = 0; this.bg = 0; this.ul = 0; this.flags = 0;
  }

  /** SGR 0: every rendition off; protection (DECSCA, SPA) is not a rendition and stays. */
  resetRendition(): void {
    this.fg = 0; this.bg = 0; this.ul = 0; this.flags &= ATTR_PROTECTED;
  }
}

export function bucketCountFor(capacity: number): number {
  let n = 4;
  while (n < capacity * 2) n <<= 1;
  return n;
}

function hash4(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ b ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ c ^ (h >>> 16), 0x27d4eb2f);
  h = Math.imul(h ^ d ^ (h >>> 15), 0x165667b1);
  return (h ^ (h >>> 16)) >>> 0;
}

export class StyleTable {
  /** Live (non-default) styles. */
  count = 0;
  /** Ids 1..capacity-1 usable; id 0 is the default style. */
  readonly capacity: number;
  private readonly mask: number;
  private freeIds: number[] = [];
  private nextFresh = 1;

  constructor(
    readonly records: Uint32Array,
    readonly refs: Uint32Array,
    readonly buckets: Uint16Array,
  ) {
    this.capacity = refs.length;
    this.mask = buckets.length - 1;
  }

  /** Forget everything (page reused). The buffer regions are zeroed by the caller. */
  clear(): void {
    this.count = 0;
    this.freeIds.length = 0;
    this.nextFresh = 1;
    this.refs.fill(0);
    this.buckets.fill(0);
  }

  /**
   * Take over every style of `src` under the same ids (this table empty and at least as
   * large): a page that grows keeps its cells' style ids, so they are copied, not re-interned.
   */
  copyFrom(src: StyleTable): void {
    if (this.count !== 0 || this.capacity < src.capacity) throw new Error('style table copy needs an empty, larger table');
    this.records.set(src.records);
    this.refs.set(src.refs);
    this.count = src.count;
    this.nextFresh = src.nextFresh;
    this.freeIds = src.freeIds.slice();
    const rec = this.records;
    const b = this.buckets;
    const mask = this.mask;
    for (let id = 1; id < src.nextFresh; id++) {
      if (this.refs[id] === 0) continue;
      const o = id * STYLE_WORDS;
      let i = hash4(rec[o], rec[o + 1], rec[o + 2], rec[o + 3]) & mask;
      while (b[i] !== 0) i = (i + 1) & mask;
      b[i] = id;
    }
  }

  /** Id of `s` with one more reference, or -1 when the table is full. */
  intern(s: StyleValue): number {
    return this.internFields(s.fg, s.bg, s.ul, s.flags);
  }

  /** Look up without adding a reference (0 if absent or default). */
  find(fg: number, bg: number, ul: number, flags: number): number {
    if ((fg | bg | ul | flags) === 0) return 0;
    const rec = this.records;
    let i = hash4(fg, bg, ul, flags) & this.mask;
    for (;;) {
      const id = this.buckets[i];
      if (id === 0) return 0;
      const o = id * STYLE_WORDS;
      if (rec[o] === fg && rec[o + 1] === bg && rec[o + 2] === ul && rec[o + 3] === flags) return id;
      i = (i + 1) & this.mask;
    }
  }

  /** Add a reference to an id already in this table. */
  ref(id: number): void {
    if (id !== 0) this.refs[id]++;
  }

  /** Drop one reference; the slot is freed when the count reaches 0. */
  unref(id: number): void {
    if (id === 0) return;
    const r = this.refs[id] - 1;
    this.refs[id] = r;
    if (r === 0) this.remove(id);
  }

  /** Drop n references at once (a run of cells with the same style); a negative n adds -n. */
  unrefN(id: number, n: number): void {
    if (id === 0 || n === 0) return;
    const r = this.refs[id] - n;
    this.refs[id] = r;
    if (r <= 0) { this.refs[id] = 0; this.remove(id); }
  }

  /**
   * Set every stored style's count to `counts[id]` (the cells that use it) and free those at 0.
   * Returns how many were freed.
   */
  resetCounts(counts: Uint32Array): number {
    let freed = 0;
    for (let id = 1; id < this.nextFresh; id++) {
      if (this.refs[id] === 0) continue; // free slot
      const n = counts[id];
      if (n === 0) { this.refs[id] = 1; this.unref(id); freed++; } else this.refs[id] = n;
    }
    return freed;
  }

  /** Copy record `id` out into `out`. */
  read(id: number, out: StyleValue): void {
    if (id === 0) { out.reset(); return; }
    const o = id * STYLE_WORDS;
    out.fg = this.records[o]; out.bg = this.records[o + 1];
    out.ul = this.records[o + 2]; out.flags = this.records[o + 3];
  }

  /**
   * Intern by fields with one reference added; -1 when full.
   * One hash and one probe: a miss stops at the first empty bucket of the key's chain, which
   * is exactly the bucket an insert would take (linear probing, no tombstones).
   */
  internFields(fg: number, bg: number, ul: number, flags: number): number {
    if ((fg | bg | ul | flags) === 0) return 0;
    const rec = this.records;
    const b = this.buckets;
    const mask = this.mask;
    let i = hash4(fg, bg, ul, flags) & mask;
    for (;;) {
      const id = b[i];
      if (id === 0) return this.insertAt(i, fg, bg, ul, flags);
      const o = id * STYLE_WORDS;
      if (rec[o] === fg && rec[o + 1] === bg && rec[o + 2] === ul && rec[o + 3] === flags) {
        this.refs[id]++;
        return id;
      }
      i = (i + 1) & mask;
    }
  }

  /** A miss: store the style in empty bucket i with one reference; -1 when full. */
  private insertAt(i: number, fg: number, bg: number, ul: number, flags: number): number {
    let id: number;
    if (this.freeIds.length > 0) id = this.freeIds.pop()!;
    else if (this.nextFresh < this.capacity) id = this.nextFresh++;
    else return -1;
    const o = id * STYLE_WORDS;
    const rec = this.records;
    rec[o] = fg; rec[o + 1] = bg; rec[o + 2] = ul; rec[o + 3] = flags;
    this.refs[id] = 1;
    this.buckets[i] = id;
    this.count++;
    return id;
  }

  private remove(id: number): void {
    const rec = this.records;
    const o = id * STYLE_WORDS;
    const mask = this.mask;
    const b = this.buckets;
    let i = hash4(rec[o], rec[o + 1], rec[o + 2], rec[o + 3]) & mask;
    while (b[i] !== id) i = (i + 1) & mask;
    // Backward-shift deletion keeps probe chains intact without tombstones.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const jid = b[j];
      if (jid === 0) break;
      const jo = jid * STYLE_WORDS;
      const home = hash4(rec[jo], rec[jo + 1], rec[jo + 2], rec[jo + 3]) & mask;
      // Move jid into the hole at i when its home is not cyclically within (i, j].
      const inRange = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!inRange) {
        b[i] = jid;
        i = j;
      }
    }
    b[i] = 0;
    rec[o] = 0; rec[o + 1] = 0; rec[o + 2] = 0; rec[o + 3] = 0;
    this.freeIds.push(id);
    this.count--;
  }
}
