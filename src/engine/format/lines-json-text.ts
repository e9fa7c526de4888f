/**
 * Lines of a JSON snapshot written straight as JSON text (issue 27): the bytes of
 * `linesJson(...).map((l) => JSON.stringify(l)).join(',')` without a CellJson object per cell.
 * Building and stringifying those objects cost ~3 s for 10,000 lines of 80 columns (800,000
 * cells, 27 MB of JSON), most of it the garbage collector. A cell's JSON depends only on its
 * grapheme, width, style index and link, so the common cell (one code point below U+0080, no link)
 * is a cached fragment per (character, width, style).
 *
 * NOTE: key order and escaping must stay exactly JSON.stringify's of the LineJson/CellJson
 * objects text.ts builds: text, wrapped, cells, size; text, width, style, link.
 */
import { GRAPHEME_BIT, HYPERLINK_BIT, ROW_SIZE_MASK, ROW_SIZE_SHIFT, ROW_WRAPPED, Wide, WIDTH_MASK, WIDTH_SHIFT } from '../page/cell.js';
import type { PageList } from '../page/page-list.js';
import { StyleValue } from '../page/style-table.js';
import { rowText } from './row-text.js';
import type { SnapshotTables } from './text.js';

const LINE_SIZES = ['', 'double-width', 'double-height-top', 'double-height-bottom'];
const WIDTHS = [1, 2, 0, 1]; // by Wide: narrow, wide head, spacer tail, spacer head

/**
 * Fragments `{"text":"a","width":1,"style":N}` by ((style * 4 + width kind) * 128 + code point),
 * for code points below 0x80 and style indexes below CACHE_STYLES. NOTE: module cache: a fragment
 * is a function of those three numbers only, so it is valid for every read; at most 131,072.
 */
const fragments: (string | undefined)[] = [];
const CACHE_STYLES = 256;

function cellJson(text: string, width: number, style: number, link: number): string {
  return `{"text":${JSON.stringify(text)},"width":${width},"style":${style}${link >= 0 ? `,"link":${link}` : ''}}`;
}

const cpScratch: number[] = [];

/** JSON text of history lines [from, to) of `list`, comma-separated (no brackets). */
export function linesJsonText(list: PageList, from: number, to: number, tables: SnapshotTables): string {
  const sv = new StyleValue();
  let out = '';
  for (let a = from; a < to; a++) {
    const p = list.pinHistory(a);
    const r = list.pinRow;
    const base = p.rowStart(r);
    const content = p.content;
    const ids = p.styleIds;
    let lastId = -1;
    let lastStyle = 0;
    let cells = '';
    for (let x = 0; x < p.cols; x++) {
      const i = base + x;
      const w = content[i];
      const id = ids[i];
      if (id !== lastId) {
        p.styles.read(id, sv);
        lastStyle = tables.style(sv);
        lastId = id;
      }
      const wide = (w & WIDTH_MASK) >>> WIDTH_SHIFT;
      const sep = x === 0 ? '' : ',';
      if ((w & (GRAPHEME_BIT | HYPERLINK_BIT)) === 0 && (w & 0x1fffff) < 0x80 && lastStyle < CACHE_STYLES) {
        // Spacer cells have no text, whatever their code point bits.
        const cp = wide === Wide.SpacerTail || wide === Wide.SpacerHead ? 0 : w & 0x7f;
        const k = ((lastStyle * 4 + wide) << 7) + cp;
        let f = fragments[k];
        if (f === undefined) f = fragments[k] = cellJson(cp === 0 ? '' : String.fromCharCode(cp), WIDTHS[wide], lastStyle, -1);
        cells += sep + f;
        continue;
      }
      let text = '';
      if (wide !== Wide.SpacerTail && wide !== Wide.SpacerHead) {
        p.cellCodepoints(i, cpScratch);
        text = cpScratch.length ? String.fromCodePoint(...cpScratch) : '';
      }
      let link = -1;
      if ((w & HYPERLINK_BIT) !== 0) {
        const l = p.linkOf(i);
        if (l !== undefined) link = tables.link(l.uri);
      }
      cells += sep + cellJson(text, WIDTHS[wide], lastStyle, link);
    }
    const flags = p.rowFlags[r];
    const size = (flags & ROW_SIZE_MASK) >>> ROW_SIZE_SHIFT;
    out += `${a === from ? '' : ','}{"text":${JSON.stringify(rowText(p, r))},"wrapped":${(flags & ROW_WRAPPED) !== 0},"cells":[${cells}]${size !== 0 ? `,"size":"${LINE_SIZES[size]}"` : ''}}`;
  }
  return out;
}
