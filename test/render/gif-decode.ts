/**
 * A minimal GIF89a decoder for tests: the logical screen, the global palette, and each image's
 * delay, rectangle and pixels (LZW decoded), composited in order (disposal "none", as the
 * animation writer uses) into RGBA frames. No interlace, no transparency: what gifenc writes.
 */
export interface GifFrame { delayCs: number; rect: { x: number; y: number; w: number; h: number }; rgba: Uint8Array }
export interface DecodedGif { width: number; height: number; loops: boolean; frames: GifFrame[] }

function lzw(data: Uint8Array, minCode: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  const clear = 1 << minCode, eoi = clear + 1;
  let size = minCode + 1, next = eoi + 1;
  const prefix = new Int32Array(4096), suffix = new Uint8Array(4096), len = new Uint16Array(4096);
  for (let i = 0; i < clear; i++) { prefix[i] = -1; suffix[i] = i; len[i] = 1; }
  let bits = 0, acc = 0, pos = 0, o = 0, prev = -1;
  const emit = (code: number): number => {
    const l = len[code];
    let c = code;
    for (let i = l - 1; i >= 0; i--) { if (o + i < count) out[o + i] = suffix[c]; c = prefix[c]; }
    o += l;
    let first = code; while (prefix[first] !== -1) first = prefix[first];
    return suffix[first];
  };
  while (pos < data.length || bits >= size) {
    while (bits < size && pos < data.length) { acc |= data[pos++] << bits; bits += 8; }
    if (bits < size) break;
    const code = acc & ((1 << size) - 1);
    acc >>>= size; bits -= size;
    if (code === clear) { size = minCode + 1; next = eoi + 1; prev = -1; continue; }
    if (code === eoi) break;
    if (prev === -1) { emit(code); prev = code; continue; }
    if (code < next) {
      const first = emit(code);
      if (next < 4096) { prefix[next] = prev; suffix[next] = first; len[next] = len[prev] + 1; next++; }
    } else {
      // KwKwK: the previous string plus its own first character.
      let f = prev; while (prefix[f] !== -1) f = prefix[f];
      prefix[next] = prev; suffix[next] = suffix[f]; len[next] = len[prev] + 1; next++;
      emit(code);
    }
    prev = code;
    if (next === 1 << size && size < 12) size++;
  }
  if (o < count) throw new Error(`LZW data ended after ${o} of ${count} pixels`);
  return out;
}

export function decodeGif(b: Uint8Array): DecodedGif {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (Buffer.from(b.subarray(0, 6)).toString('latin1') !== 'GIF89a') throw new Error('not a GIF89a');
  const width = dv.getUint16(6, true), height = dv.getUint16(8, true);
  const flags = b[10];
  let p = 13;
  let palette: Uint8Array = new Uint8Array(0);
  if (flags & 0x80) { const n = 3 * (1 << ((flags & 7) + 1)); palette = b.subarray(p, p + n); p += n; }
  const canvas = new Uint8Array(width * height * 4);
  const frames: GifFrame[] = [];
  let delay = 0, loops = false;
  const subBlocks = (): Uint8Array => {
    const parts: Uint8Array[] = [];
    while (b[p] !== 0) { parts.push(b.subarray(p + 1, p + 1 + b[p])); p += 1 + b[p]; }
    p++;
    return Buffer.concat(parts);
  };
  for (;;) {
    const t = b[p++];
    if (t === 0x3b) break;
    if (t === 0x21) {
      const label = b[p++];
      if (label === 0xf9) { delay = dv.getUint16(p + 2, true); p += 6; continue; }
      const data = subBlocks();
      if (label === 0xff && Buffer.from(data.subarray(0, 11)).toString('latin1') === 'NETSCAPE2.0') loops = true;
      continue;
    }
    if (t !== 0x2c) throw new Error(`unexpected GIF block 0x${t.toString(16)} at ${p - 1}`);
    const x = dv.getUint16(p, true), y = dv.getUint16(p + 2, true), w = dv.getUint16(p + 4, true), h = dv.getUint16(p + 6, true);
    const f = b[p + 8];
    p += 9;
    let pal = palette;
    if (f & 0x80) { const n = 3 * (1 << ((f & 7) + 1)); pal = b.subarray(p, p + n); p += n; }
    if (f & 0x40) throw new Error('interlaced GIF');
    const minCode = b[p++];
    const idx = lzw(subBlocks(), minCode, w * h);
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const i = idx[r * w + c], o = ((y + r) * width + x + c) * 4;
        canvas[o] = pal[3 * i]; canvas[o + 1] = pal[3 * i + 1]; canvas[o + 2] = pal[3 * i + 2]; canvas[o + 3] = 255;
      }
    }
    frames.push({ delayCs: delay, rect: { x, y, w, h }, rgba: canvas.slice() });
  }
  return { width, height, loops, frames };
}
