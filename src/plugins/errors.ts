/**
 * The one error handler: ServiceErrors keep their code and status, zod validation failures become
 * 400 {error: 'VALIDATION', message, details}, fastify's own client errors (body too large,
 * bad JSON, wrong content type) keep their 4xx status. Only our own bugs become 500, and those
 * are logged with their stack.
 */
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ServiceError, type ErrorCode } from '../errors.js';
import { InputError } from '../input/index.js';

/** fastify's client-error codes → our codes. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_INPUT',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION',
};

async function errorsPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((err: FastifyError | ServiceError | InputError, req, reply) => {
    if (err instanceof ServiceError) {
      return reply.code(err.statusCode).send({ error: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) });
    }
    if (err instanceof InputError) {
      return reply.code(err.statusCode).send({ error: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'request';
      const issues = err.validation.map((v) => ({
        path: v.instancePath,
        message: v.message ?? 'invalid',
      }));
      const first = issues[0];
      return reply.code(400).send({
        error: 'VALIDATION',
        message: `invalid ${where}${first ? `: ${first.path || '(root)'} ${first.message}` : ''}`,
        details: { context: where, issues },
      });
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code = (err.code && FASTIFY_CODES[err.code]) || (status === 413 ? 'BODY_TOO_LARGE' : 'BAD_INPUT');
      return reply.code(status).send({ error: code, message: clientErrorMessage(err, req.headers['content-type'], app.initialConfig.bodyLimit) });
    }
    req.log.error({ err }, 'internal error');
    return reply.code(500).send({ error: 'INTERNAL', message: 'internal server error' });
  });

  app.setNotFoundHandler((req, reply) => {
    return reply.code(404).send({ error: 'ROUTE_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });
}

/** fastify's own messages, made to name what was wrong (the content type, the limit). */
function clientErrorMessage(err: FastifyError, contentType: string | undefined, bodyLimit: number | undefined): string {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return contentType === undefined
        ? 'the request has a body but no content-type: send content-type: application/json'
        : `unsupported content-type '${contentType}': send application/json`;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `request body is too large: the limit is ${bodyLimit ?? '?'} bytes (TERMPOOL_BODY_LIMIT)`;
    default:
      return err.message;
  }
}

export default fp(errorsPlugin, { name: 'termpool-errors', fastify: '5.x' });
