/**
 * TermpoolApiError: a 4xx/5xx answer from termpool, carrying the HTTP status and the stable
 * `code` and `message` from its JSON error body (`{error, message, details?}`).
 */
import type { ApiErrorBody } from './types.js';

export class TermpoolApiError extends Error {
  override readonly name = 'TermpoolApiError';

  constructor(
    /** HTTP status, e.g. 404. */
    readonly status: number,
    /** The body's `error` code, e.g. SESSION_NOT_FOUND; `HTTP_<status>` when the body was not our JSON. */
    readonly code: string,
    message: string,
    /** Validation issues and the like, when the server sent them. */
    readonly details: unknown,
    /** The request that failed, e.g. "POST /v1/sessions". */
    readonly request: string,
  ) {
    super(message);
  }

  /** Builds the error from a response body (JSON error body or anything else). */
  static from(status: number, request: string, body: string): TermpoolApiError {
    let parsed: Partial<ApiErrorBody> | null = null;
    try {
      const v: unknown = JSON.parse(body);
      if (v !== null && typeof v === 'object') parsed = v as Partial<ApiErrorBody>;
    } catch { /* not JSON: a proxy's page, say */ }
    if (parsed && typeof parsed.error === 'string') {
      return new TermpoolApiError(status, parsed.error, typeof parsed.message === 'string' ? parsed.message : parsed.error, parsed.details, request);
    }
    const text = body.trim().slice(0, 200);
    return new TermpoolApiError(status, `HTTP_${status}`, `${request} answered ${status}${text ? `: ${text}` : ''}`, undefined, request);
  }
}
