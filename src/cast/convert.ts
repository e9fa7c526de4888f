/**
 * A whole cast rewritten in the other asciicast version (v2 ↔ v3): header mapped as asciinema 3
 * maps it (header.ts), every event kept — codes it does not know included — with its time as the
 * target writes it (from the start in v2, the interval since the previous event in v3), in whole
 * microseconds, so a v2 → v3 → v2 round trip gives the same times back.
 *
 * Owns nothing but the loop: reading is reader.ts's (errors name the line), formats header.ts's.
 */
import { formatV2Time, formatV3Interval, toMicros, toV2Header, toV3Header, type CastFormat } from './header.js';
import { CastReader } from './reader.js';

/** Lines per yielded chunk: a 30 MB cast is never held twice. */
const BATCH = 512;

/**
 * `text` (a v2 or v3 cast) as `format`, in chunks of whole lines. `title`, when given, replaces
 * the header's. Throws CastError (naming the line) for a malformed cast.
 */
export function* convertCast(text: string, format: CastFormat, title?: string): Generator<string> {
  const reader = new CastReader();
  let start = 0;
  let prev = 0;
  let out = '';
  let n = 0;
  let headerDone = false;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end);
    start = end + 1;
    const e = reader.read(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    if (!headerDone && reader.header !== null) {
      headerDone = true;
      const h = format === 'v3' ? toV3Header(reader.header) : toV2Header(reader.header);
      yield JSON.stringify(title ? { ...h, title } : h) + '\n';
    }
    if (e === null) continue;
    const us = toMicros(e.time);
    out += `[${format === 'v3' ? formatV3Interval(us - prev) : formatV2Time(us)}, ${JSON.stringify(e.code)}, ${JSON.stringify(e.data)}]\n`;
    prev = us;
    if (++n % BATCH === 0) {
      yield out;
      out = '';
    }
  }
  reader.finish();
  if (out !== '') yield out;
}
