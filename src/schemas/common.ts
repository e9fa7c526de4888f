/**
 * Shapes shared by every route: the error body and the session id path parameter. Schemas
 * registered with `z.globalRegistry` become named components in openapi.yaml.
 */
import { z } from 'zod';

export const ErrorBody = z
  .object({
    error: z.string().describe('stable error code, e.g. SESSION_NOT_FOUND or VALIDATION'),
    message: z.string().describe('what went wrong, for people'),
    details: z.unknown().optional().describe('validation issues, when the request did not match its schema'),
  })
  .meta({ id: 'Error' });

export const SessionParams = z.object({
  id: z.string().min(1).max(64).describe('session id'),
});

/** The error statuses routes that take a session id can answer with. */
export const sessionErrors = {
  400: ErrorBody,
  401: ErrorBody,
  404: ErrorBody,
} as const;
