/**
 * A cold page in compressed form, and the two conversions (page → record, record → page).
 *
 * Owns the codec choice: raw deflate at level 1 (node:zlib). LZ4 (lz4-napi) was 2–3× faster per
 * page, but compression runs in a quiet-time sweep, never on the write path, so speed matters
 * less than two other things we measured: deflate output is 1.6× smaller after the pre-transform
 * of page-codec.ts, and the 2,500-lifecycle leak soak kept RSS within +5.6% with deflate against
 * +91% with lz4-napi (its native allocations kept growing while the V8 heap and external memory
 * stayed flat). zlib is part of Node: no native package to build or trust.
 *
 * A `CompressedPage` holds no page buffer: the page it came from went back through
 * `PagePool.release` (standard pages to the free list, oversized pages freed), and restoring
 * takes a fresh page of the recorded kind and capacity from the pool.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Capacity } from './capacity.js';
import { decodePage, encodePage } from './page-codec.js';
import type { Page } from './page.js';

export class CompressedPage {
  /** Discriminates list nodes: `node.kind === 'compressed'`. */
  readonly kind = 'compressed' as const;

  constructor(
    /** Raw deflate stream of the encoded page, in an ArrayBuffer of exactly this length. */
    readonly bytes: Uint8Array,
    /** Capacity of the page it came from; the restored page has exactly this capacity. */
    readonly capacity: Capacity,
    /** Kind of the page it came from: a restore takes the same kind from the pool. */
    readonly pageKind: Page['kind'],
    /** Rows in use, as in the page (the list walks sizes without restoring). */
    readonly size: number,
    /** Hyperlinks (page-codec.ts `EncodedLinks` JSON), or null: they are JS-side, not in the buffer. */
    readonly links: string | null,
  ) {}

  get cols(): number { return this.capacity.cols; }

  /** Bytes this record holds in buffers (what the leak audit and the pool ledger count). */
  get byteLength(): number { return this.bytes.byteLength; }
}

/**
 * Encode and compress `page`. The page is left intact apart from grapheme compaction and a
 * style recount (styles only cleared cells held are not stored, and the counts stored are exact).
 */
export function compressPage(page: Page): CompressedPage {
  page.recountStyles();
  const { raw, links } = encodePage(page);
  const packed = deflateRawSync(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), { level: 1 });
  // NOTE: a copy into its own ArrayBuffer: a small Buffer may be a slice of a shared 8 KiB
  // slab, which would keep the whole slab alive and make the audited size a lie.
  const bytes = new Uint8Array(packed.byteLength);
  bytes.set(packed);
  return new CompressedPage(bytes, page.capacity, page.kind, page.size, links);
}

/** Fill `page` (fresh from the pool, same kind and capacity as `rec`) with `rec`'s rows. */
export function restoreInto(page: Page, rec: CompressedPage): void {
  if (page.kind !== rec.pageKind || page.capacity.rows !== rec.capacity.rows || page.cols !== rec.cols) {
    throw new Error('restore target does not match the compressed page');
  }
  const raw = inflateRawSync(rec.bytes);
  decodePage(page, raw, rec.links);
  if (page.size !== rec.size) throw new Error(`restored ${page.size} rows, expected ${rec.size}`);
}
