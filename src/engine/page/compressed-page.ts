/**
 * A cold page in compressed form, and the two conversions (page → record, record → page).
 *
 * Owns the codec choice: LZ4 (lz4-napi, a prebuilt napi build of lz4_flex). Measured on 80-column
 * scrollback pages after the pre-transform of page-codec.ts, LZ4 compresses a page in 2–30 µs and
 * restores it in 2–15 µs; deflate level 1 is 1.6× smaller but 2–3× slower to compress, and the
 * transform already puts LZ4 far below a byte per cell, so speed wins (figures in BENCHMARKS.md).
 *
 * A `CompressedPage` holds no page buffer: the page it came from went back through
 * `PagePool.release` (standard pages to the free list, oversized pages freed), and restoring
 * takes a fresh page of the recorded kind and capacity from the pool.
 */
import { compressSync, uncompressSync } from 'lz4-napi';
import type { Capacity } from './capacity.js';
import { decodePage, encodePage } from './page-codec.js';
import type { Page } from './page.js';

export class CompressedPage {
  /** Discriminates list nodes: `node.kind === 'compressed'`. */
  readonly kind = 'compressed' as const;

  constructor(
    /** LZ4 block (with its raw size prepended), in an ArrayBuffer of exactly this length. */
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

/** Encode and compress `page`. The page is left intact apart from grapheme compaction. */
export function compressPage(page: Page): CompressedPage {
  const { raw, links } = encodePage(page);
  const packed = compressSync(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
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
  const raw = uncompressSync(rec.bytes);
  decodePage(page, raw, rec.links);
  if (page.size !== rec.size) throw new Error(`restored ${page.size} rows, expected ${rec.size}`);
}
