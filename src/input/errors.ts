/**
 * The input encoders' one error type. Everything a client can get wrong about input (a key
 * name we do not know, a mouse event while the program has mouse reporting off, a malformed
 * mouse event) is an `InputError` with a stable `code` and the HTTP status it should map to,
 * so the service can turn it into a reply without parsing messages.
 */

export type InputErrorCode =
  /** A key name that is not a tmux key name or a single character. */
  | 'TP_BAD_KEY'
  /** A mouse event that is malformed (bad button for the action, negative cell…). */
  | 'TP_BAD_MOUSE'
  /** A mouse event while the program has no mouse tracking mode enabled. */
  | 'TP_MOUSE_OFF';

const STATUS: Record<InputErrorCode, number> = {
  TP_BAD_KEY: 400,
  TP_BAD_MOUSE: 400,
  TP_MOUSE_OFF: 409,
};

export class InputError extends Error {
  override readonly name = 'InputError';
  readonly statusCode: number;

  constructor(
    readonly code: InputErrorCode,
    message: string,
    /** For TP_BAD_KEY: the offending key name and its position in the `keys` array. */
    readonly details?: { key: string; index?: number },
  ) {
    super(message);
    this.statusCode = STATUS[code];
  }
}
