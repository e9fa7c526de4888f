/**
 * A recording as an archive attachment: the cast file, in the format recorded, gzip-compressed.
 *
 * Owns the two ways of making it. A recording of up to SYNC_RECORDING_BYTES is compressed at
 * once, inside the exit's archive write (milliseconds). A bigger one — up to the 32 MiB cap,
 * whose serialising and compressing took 2.5 s of the event loop on a busy 2-core machine — is
 * compressed off the loop: the cast is fed to a zlib stream (which works on libuv's thread pool)
 * one batch of events at a time, so other sessions keep being served meanwhile; the archive
 * writes it beside the session when done, or at once, synchronously, when the server shuts down
 * first (session-archive.ts).
 */
import { once } from 'node:events';
import { createGzip, gzipSync } from 'node:zlib';
import type { CastWriter } from '../cast/index.js';

/** Recordings up to this size (event bytes) are compressed synchronously at exit. */
export const SYNC_RECORDING_BYTES = 1 << 20;
/** zlib level: terminal output compresses about 9x at 6 (a 32 MiB cast of `ls -lR` to 3.6 MiB). */
export const GZIP_LEVEL = 6;

export interface CompressedRecording {
  /** The gzip bytes. */
  data: Buffer;
  /** The cast's size uncompressed. */
  bytes: number;
}

/** The whole cast compressed now (small recordings; shutdown). */
export function compressRecordingSync(rec: CastWriter, title: string | undefined): CompressedRecording {
  const cast = Buffer.from(rec.toString(title), 'utf8');
  return { data: gzipSync(cast, { level: GZIP_LEVEL }), bytes: cast.byteLength };
}

/** The cast compressed a batch of events at a time, yielding to the event loop between batches. */
export async function compressRecording(rec: CastWriter, title: string | undefined): Promise<CompressedRecording> {
  const gz = createGzip({ level: GZIP_LEVEL });
  const parts: Buffer[] = [];
  gz.on('data', (b: Buffer) => parts.push(b));
  const ended = once(gz, 'end');
  let bytes = 0;
  for (const chunk of rec.chunks(title)) {
    bytes += Buffer.byteLength(chunk, 'utf8');
    if (!gz.write(chunk)) await once(gz, 'drain');
    else await new Promise((resolve) => setImmediate(resolve));
  }
  gz.end();
  await ended;
  return { data: Buffer.concat(parts), bytes };
}
