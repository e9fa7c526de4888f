/**
 * Input encoding: what a user does (keys, a paste, a mouse event) → the bytes xterm would send
 * the program, given the terminal's current modes. Pure functions; no I/O, no state.
 */
export { InputError, type InputErrorCode } from './errors.js';
export { DEFAULT_INPUT_MODES, type InputModes, type MouseTrackingName, type MouseEncodingName } from './modes.js';
export { encodeKey, encodeKeys, type KeyModes } from './keys.js';
export { encodePaste, stripPasteMarkers } from './paste.js';
export {
  encodeMouse, CELL_PIXEL_WIDTH, CELL_PIXEL_HEIGHT,
  type MouseInput, type MouseAction, type MouseButton, type MouseModes,
} from './mouse.js';
export { encodeInput, inputByteLength, type InputRequest } from './encode-input.js';
