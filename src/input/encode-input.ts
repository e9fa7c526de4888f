/**
 * One input request (the REST body, a WebSocket message or an MCP call: exactly one of text,
 * keys, paste or mouse) → the bytes for the pty, given the terminal's current modes.
 */
import { encodeKeys } from './keys.js';
import type { InputModes } from './modes.js';
import { encodeMouse, type MouseInput } from './mouse.js';
import { encodePaste } from './paste.js';

export interface InputRequest {
  text?: string | undefined;
  keys?: readonly string[] | undefined;
  /** With keys: items that are not key names are typed as text (src/input/keys.ts). */
  literal?: boolean | undefined;
  paste?: string | undefined;
  mouse?: MouseInput | undefined;
}

export function encodeInput(req: InputRequest, modes: InputModes): string | Buffer {
  if (req.keys !== undefined) return encodeKeys(req.keys, modes, req.literal === true);
  if (req.paste !== undefined) return encodePaste(req.paste, modes.bracketedPaste);
  if (req.mouse !== undefined) return encodeMouse(req.mouse, modes);
  return req.text ?? '';
}

/** Bytes a written input takes (what the input route answers). */
export function inputByteLength(data: string | Buffer): number {
  return typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.length;
}
