/**
 * Request bodies are JSON objects in UTF-8 and nothing else. Replaces fastify's default parsers
 * so that every refusal names its problem: the JSON syntax error (fastify's own message drops
 * it), a `__proto__` or `constructor.prototype` key (prototype poisoning), a charset other than
 * UTF-8 (415), and — with the text/plain parser removed — any content type but application/json
 * (415, see the error plugin). The body limit still applies (413 before parsing).
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { ServiceError } from '../errors.js';

/** JSON.parse reviver refusing keys that could poison a prototype if a body were ever merged. */
function noPoison(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new ServiceError('VALIDATION', 'invalid JSON body: a "__proto__" key is not allowed (prototype poisoning)');
  if (key === 'constructor' && value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype')) {
    throw new ServiceError('VALIDATION', 'invalid JSON body: a "constructor" key holding "prototype" is not allowed (prototype poisoning)');
  }
  return value;
}

async function jsonBodyPlugin(app: FastifyInstance): Promise<void> {
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
