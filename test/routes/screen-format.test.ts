/** The screen-format error mapping: a rendering too big to build is the client's 422, other errors pass through. */
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/errors.js';
import { ImageTooLargeError } from '../../src/render/index.js';
import { tooLarge } from '../../src/routes/screen-format.js';

const thrown = (f: () => unknown): unknown => { try { f(); } catch (e) { return e; } return undefined; };

describe('tooLarge', () => {
  it("maps V8's string-length RangeError to SNAPSHOT_TOO_LARGE naming the format", () => {
    const e = thrown(() => tooLarge(new RangeError('Invalid string length'), 'html'));
    expect(e).toBeInstanceOf(ServiceError);
    expect(e).toMatchObject({ code: 'SNAPSHOT_TOO_LARGE', statusCode: 422, message: expect.stringContaining('html rendering') });
  });

  it('keeps the pixel-limit message of an oversized PNG', () => {
    const e = thrown(() => tooLarge(new ImageTooLargeError('PNG of 1×2 px is over'), 'png'));
    expect(e).toMatchObject({ code: 'SNAPSHOT_TOO_LARGE', message: 'PNG of 1×2 px is over' });
  });

  it('rethrows anything else unchanged', () => {
    const other = new RangeError('cellWidth must be positive');
    expect(thrown(() => tooLarge(other, 'svg'))).toBe(other);
    const err = new Error('boom');
    expect(thrown(() => tooLarge(err, 'svg'))).toBe(err);
  });
});
