/**
 * A screen (primary or alternate): its rows (PageList), its cursor and its saved cursor.
 * The Terminal owns modes, margins and tab stops; the Screen owns where the cursor is and
 * what it writes with.
 */
import { Charset } from '../stream/actions.js';
import { PageList } from '../page/page-list.js';
import { StyleValue } from '../page/style-table.js';
import type { PagePool } from '../pool/page-pool.js';

export interface ActiveLink {
  id: string;
  uri: string;
}

export class Cursor {
  /** 0-based column and active row. */
  x = 0;
  y = 0;
  /** Set after printing into the last column: the next printable wraps first (DEC "pending wrap"). */
  pendingWrap = false;
  readonly style = new StyleValue();
  link: ActiveLink | null = null;
  /** G0..G3 designations and which one is invoked into GL (SO/SI). */
  charsets: Charset[] = [Charset.Ascii, Charset.Ascii, Charset.Ascii, Charset.Ascii];
  gl = 0;
  /** DECSC'd origin mode travels with the cursor. */
  originMode = false;

  copyFrom(o: Cursor): void {
    this.x = o.x; this.y = o.y; this.pendingWrap = o.pendingWrap;
    this.style.set(o.style); this.link = o.link;
    // Element by element: DECSC/DECRC come once per frame from many TUIs; no allocation.
    const cs = this.charsets;
    for (let g = 0; g < 4; g++) cs[g] = o.charsets[g]!;
    this.gl = o.gl; this.originMode = o.originMode;
  }
}

export class Screen {
  readonly cursor = new Cursor();
  saved: Cursor | null = null;
  list: PageList;

  constructor(pool: PagePool, label: string, cols: number, rows: number, maxScrollback: number) {
    this.list = new PageList(pool, label, cols, rows, maxScrollback);
  }

  get cols(): number { return this.list.cols; }
  get rows(): number { return this.list.rows; }

  dispose(): void { this.list.dispose(); }
}
