/**
 * The slice of terminal state the encoders need. Field names and values match the engine's
 * snapshot `ModesJson`, so `terminal.snapshot().modes` can be passed as is.
 */

/** DECSET 9 / 1000 / 1002 / 1003, or none. */
export type MouseTrackingName = 'none' | 'x10' | 'normal' | 'button' | 'any';
/** DECSET 1005 / 1006 / 1015 / 1016, or the X10 byte encoding. */
export type MouseEncodingName = 'default' | 'utf8' | 'sgr' | 'urxvt' | 'sgr-pixels';

export interface InputModes {
  /** DECCKM (?1): unmodified cursor keys and Home/End send SS3 instead of CSI. */
  applicationCursorKeys: boolean;
  /** DECKPAM / DECNKM (?66): keypad keys send SS3 sequences instead of characters. */
  applicationKeypad: boolean;
  /** ?2004: pastes are wrapped in CSI 200~ … CSI 201~. */
  bracketedPaste: boolean;
  /**
   * One of {@link MouseTrackingName}. Typed `string` so the engine's `ModesJson` (which
   * uses plain strings) is assignable; an unknown value is a programming error and throws.
   */
  mouseTracking: string;
  /** One of {@link MouseEncodingName}; see `mouseTracking` for why it is a string. */
  mouseEncoding: string;
}

/** A freshly reset xterm: every input mode off. */
export const DEFAULT_INPUT_MODES: Readonly<InputModes> = Object.freeze({
  applicationCursorKeys: false,
  applicationKeypad: false,
  bracketedPaste: false,
  mouseTracking: 'none',
  mouseEncoding: 'default',
});
