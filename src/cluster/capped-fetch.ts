/**
 * A fetch whose answers stop at a size cap: what the cluster uses to talk to peers (the list's
 * fan-out, ./cluster-list.ts, and MCP tool calls forwarded to the pod holding a session,
 * ./cluster-backend.ts). A peer — broken, compromised, or something else listening at its
 * address — that answers with a huge or endless body would otherwise be buffered whole by
 * `res.json()`/`text()` for as long as the time limit lets it stream (gigabytes on a LAN in 3 s).
 *
 * Owns the counting: the body is passed through as it arrives, and the stream errors with
 * PeerAnswerTooLarge (the connection cancelled) at the first chunk past the cap, or before
 * reading anything when Content-Length already says so. Callers report it like any peer failure.
 */

/** A peer's answer was larger than the cap; nothing past the cap was kept. */
export class PeerAnswerTooLarge extends Error {
  override readonly name = 'PeerAnswerTooLarge';
  constructor(readonly maxBytes: number) {
    super(`answer larger than ${maxBytes} bytes (the cap on a peer's answer); cut off`);
  }
}

/** Statuses whose Response cannot carry a body (new Response refuses one). */
const NULL_BODY = new Set([101, 204, 205, 304]);

/** `base` with each answer's body cut off (errored) past `maxBytes`. */
export function cappedFetch(maxBytes: number, base: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const res = await base(input, init);
    if (res.body === null || NULL_BODY.has(res.status)) return res;
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      await res.body.cancel().catch(() => undefined);
      throw new PeerAnswerTooLarge(maxBytes);
    }
    const reader = res.body.getReader();
    let seen = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(ctrl) {
        const { done, value } = await reader.read();
        if (done) { ctrl.close(); return; }
        seen += value.byteLength;
        if (seen > maxBytes) {
          await reader.cancel().catch(() => undefined);
          ctrl.error(new PeerAnswerTooLarge(maxBytes));
          return;
        }
        ctrl.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    }, { highWaterMark: 0 });
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/** Whether `err` (or the cause a fetch body error wraps it in) is PeerAnswerTooLarge. */
export function tooLarge(err: unknown): PeerAnswerTooLarge | null {
  for (let e = err, i = 0; e instanceof Error && i < 4; e = (e as Error & { cause?: unknown }).cause, i++) {
    if (e instanceof PeerAnswerTooLarge) return e;
  }
  return null;
}
