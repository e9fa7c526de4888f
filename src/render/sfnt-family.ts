/**
 * A TrueType/OpenType font file with its family renamed, so that resvg can be asked for that one
 * file by name (font-cache.ts renames each Noto Sans SC/KR slice to `Noto Sans SC 57` and so on).
 *
 * Why: the CJK fonts come as ~200 unicode-range slices that all call themselves "Noto Sans SC"
 * (or KR). resvg takes the first face of a family for a <text> and looks for every glyph it
 * lacks in every face loaded, re-reading each font file as it goes: an 80×24 screen of CJK took
 * 780 ms a render that way. With one family a slice, each wide glyph names the slice that has it.
 *
 * Only the `name` table changes: the records of name IDs 1 (family) and 16 (typographic family)
 * point at new strings appended to the table's storage, and the new table is appended to the
 * file with its directory entry (offset, length, checksum) updated. Nothing is moved or dropped,
 * so every other table (glyphs, variation axes, layout) is byte for byte the original. The old
 * name table stays behind as unused bytes; head.checkSumAdjustment is left stale (no renderer
 * checks it; ttf-parser, resvg's parser, never reads it).
 */

const FAMILY = 1;
const TYPOGRAPHIC_FAMILY = 16;
/** Platform whose strings are single-byte (Macintosh, Roman); the others (Unicode, Windows) are UTF-16BE. */
const MACINTOSH = 1;

/** A font file this module cannot rename (not an sfnt, or no room in its name table). */
export class FontRenameError extends Error {
  override readonly name = 'FontRenameError';
}

/** `font` (a single-font .ttf/.otf, not a collection) with its family names set to `family` (ASCII). */
export function renameFamily(font: Uint8Array, family: string): Buffer {
  if (!/^[\x20-\x7e]+$/.test(family)) throw new FontRenameError(`family name must be printable ASCII: ${JSON.stringify(family)}`);
  const file = Buffer.from(font.buffer, font.byteOffset, font.byteLength);
  if (file.length < 12) throw new FontRenameError('not a font file: too short');
  const version = file.readUInt32BE(0);
  if (version !== 0x00010000 && version !== 0x4f54544f /* OTTO */ && version !== 0x74727565 /* true */) {
    throw new FontRenameError(`not a single TrueType/OpenType font (sfnt version 0x${version.toString(16)})`);
  }
  const entry = tableEntry(file, 'name');
  const offset = file.readUInt32BE(entry + 8);
  const length = file.readUInt32BE(entry + 12);
  if (offset + length > file.length || length < 6) throw new FontRenameError('name table out of bounds');

  const table = Buffer.from(file.subarray(offset, offset + length)); // a copy: records are rewritten
  const count = table.readUInt16BE(2);
  const storage = table.readUInt16BE(4);
  if (6 + 12 * count > length || storage > length) throw new FontRenameError('name table records out of bounds');
  const strings = { mac: Buffer.from(family, 'latin1'), utf16: Buffer.from(family, 'utf16le').swap16() };
  const added: Buffer[] = [];
  let at = length - storage; // where the next added string starts, from the storage's start
  const placed = new Map<Buffer, number>();
  let renamed = 0;
  for (let i = 0; i < count; i++) {
    const rec = 6 + 12 * i;
    const id = table.readUInt16BE(rec + 6);
    if (id !== FAMILY && id !== TYPOGRAPHIC_FAMILY) continue;
    const s = table.readUInt16BE(rec) === MACINTOSH ? strings.mac : strings.utf16;
    let where = placed.get(s);
    if (where === undefined) {
      where = at;
      placed.set(s, at);
      added.push(s);
      at += s.length;
    }
    if (at > 0xffff) throw new FontRenameError('name table too large to extend (16-bit string offsets)');
    table.writeUInt16BE(s.length, rec + 8);
    table.writeUInt16BE(where, rec + 10);
    renamed++;
  }
  if (renamed === 0) throw new FontRenameError('the font has no family name to rename');

  const newTable = Buffer.concat([table, ...added]);
  const start = align4(file.length);
  const out = Buffer.alloc(start + align4(newTable.length));
  file.copy(out, 0);
  newTable.copy(out, start);
  out.writeUInt32BE(checksum(out.subarray(start, start + align4(newTable.length))), entry + 4);
  out.writeUInt32BE(start, entry + 8);
  out.writeUInt32BE(newTable.length, entry + 12);
  return out;
}

/** Offset of the table directory entry for `tag` (16 bytes: tag, checksum, offset, length). */
function tableEntry(file: Buffer, tag: string): number {
  const n = file.readUInt16BE(4);
  if (12 + 16 * n > file.length) throw new FontRenameError('table directory out of bounds');
  for (let i = 0; i < n; i++) {
    const e = 12 + 16 * i;
    if (file.toString('latin1', e, e + 4) === tag) return e;
  }
  throw new FontRenameError(`the font has no ${tag} table`);
}

const align4 = (n: number): number => (n + 3) & ~3;

/** The sfnt table checksum: the sum of its big-endian 32-bit words (zero-padded), mod 2^32. */
function checksum(padded: Buffer): number {
  let sum = 0;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}
