/**
 * Request bodies are JSON objects in UTF-8 and nothing else. Replaces fastify's default parsers
 * so that every refusal names its problem: the JSON syntax error (fastify's own message drops
 * it), a `__proto__` or `constructor.prototype` key (prototype poisoning), a charset other than
 * UTF-8 (415), and — with the text/plain parser removed — any content type but application/json
 * (415, see the error plugin). The body limit still applies (413 before parsing).
 *
 * A refused body still gets its answer. fastify answers 413 as soon as the declared length (or
 * the bytes so far) pass the limit and stops reading; Node then closes the connection while the
 * client is still sending, and a client that writes the whole body before it reads (Node's fetch,
 * so the typed client) sees EPIPE or "other side closed", never the 413. So the rest of a refused
 * body is read and thrown away first (nothing is kept), up to `drainBytes` in all
 * (TERMPOOL_BODY_DRAIN_BYTES); a declared length past that is answered at once, as before. Time is
 * bounded by Node's requestTimeout (TERMPOOL_BODY_TIMEOUT_MS): a body that stops arriving gets
 * 408 REQUEST_TIMEOUT and the connection closed.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ServiceError } from '../errors.js';

export interface JsonBodyOptions {
  /** Bytes of a refused body read and discarded before the 413 (0: answer at once). */
  drainBytes: number;
}

const tooLarge = (limit: number): ServiceError =>
  new ServiceError('BODY_TOO_LARGE', `request body is too large: the limit is ${limit} bytes (TERMPOOL_BODY_LIMIT)`);

/** Reads `stream` to its end, discarding it; false when more than `max` bytes come or it closes first. */
function discard(stream: Readable, max: number): Promise<boolean> {
  return new Promise((resolve) => {
    let seen = 0;
    const done = (ok: boolean): void => {
      stream.off('data', onData).off('end', onEnd).off('error', onFail).off('close', onFail);
      if (!ok) stream.pause();
      resolve(ok);
    };
    const onData = (c: Buffer): void => { seen += c.length; if (seen > max) done(false); };
    const onEnd = (): void => done(true);
    const onFail = (): void => done(false);
    stream.on('data', onData).on('end', onEnd).on('error', onFail).on('close', onFail);
    stream.resume();
  });
}

/**
 * A chunked body (no declared length) passed through until it passes `limit`; from then on the
 * rest is discarded, and the stream fails with 413 once it ends (or passes `drainBytes`).
 */
class LimitedBody extends Transform {
  private seen = 0;
  constructor(private readonly limit: number, private readonly drainBytes: number) { super(); }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen <= this.limit) { cb(null, chunk); return; }
    if (this.seen > this.drainBytes) { cb(tooLarge(this.limit)); return; }
    cb();
  }

  override _flush(cb: TransformCallback): void {
    cb(this.seen > this.limit ? tooLarge(this.limit) : null);
  }
}

/** JSON.parse reviver refusing keys that could poison a prototype if a body were ever merged. */
function noPoison(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new ServiceError('VALIDATION', 'invalid JSON body: a "__proto__" key is not allowed (prototype poisoning)');
  if (key === 'constructor' && value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype')) {
    throw new ServiceError('VALIDATION', 'invalid JSON body: a "constructor" key holding "prototype" is not allowed (prototype poisoning)');
  }
  return value;
}

async function jsonBodyPlugin(app: FastifyInstance, opts: JsonBodyOptions): Promise<void> {
  const drainBytes = opts.drainBytes;
  const limitOf = (req: FastifyRequest): number => req.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 1 << 20;
  if (drainBytes > 0) {
    app.addHook('preParsing', async (req, _reply, payload) => {
      // fastify reads no body of a GET or HEAD (it stays as it was: not parsed, not limited).
      if (req.method === 'GET' || req.method === 'HEAD') return payload;
      const limit = limitOf(req);
      const declared = Number(req.headers['content-length']);
      if (declared > limit) {
        // fastify would refuse this without reading a byte; read it first (when it is not too much).
        if (declared <= drainBytes) await discard(payload, drainBytes);
        throw tooLarge(limit);
      }
      if (Number.isNaN(declared) && req.headers['transfer-encoding'] !== undefined) {
        const body = new LimitedBody(limit, Math.max(limit, drainBytes));
        // A client that goes away mid-body fails the parse instead of leaving it waiting.
        payload.once('error', (err) => body.destroy(err));
        payload.once('close', () => { if (!payload.readableEnded) body.destroy(new Error('the request body was cut short')); });
        return payload.pipe(body);
      }
      return payload;
    });
  }
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1];
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
      done(new ServiceError('UNSUPPORTED_MEDIA_TYPE', `content-type charset '${charset}' is not supported: send UTF-8 JSON`), undefined);
      return;
    }
    const text = body as string;
    if (text.trim() === '') {
      done(new ServiceError('VALIDATION', 'the request body is empty: send a JSON object'), undefined);
      return;
    }
    try {
      // The reviver costs a call per value; only bodies that could carry the keys pay it.
      done(null, text.includes('__proto__') || text.includes('constructor') ? JSON.parse(text, noPoison) : JSON.parse(text));
    } catch (err) {
      if (err instanceof ServiceError) done(err, undefined);
      else done(new ServiceError('VALIDATION', `invalid JSON body: ${err instanceof Error ? err.message : String(err)}`), undefined);
    }
  });
}

export default fp(jsonBodyPlugin, { name: 'termpool-json-body', fastify: '5.x', dependencies: ['termpool-errors'] });
