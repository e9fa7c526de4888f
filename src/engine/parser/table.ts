/**
 * The DEC ANSI parser state machine as a transition table.
 *
 * Owns the states, the action codes and the immutable TRANSITION_TABLE. The machine is Paul
 * Williams' "A parser for DEC's ANSI-compatible video terminals"
 * (https://vt100.net/emu/dec_ansi_parser), built table-driven like xterm.js's
 * VT500_TRANSITION_TABLE, with these deliberate deviations (all shared with xterm.js):
 *  - `:` is a parameter byte (colon sub-parameters, ITU T.416) instead of leading to *_ignore;
 *  - BEL ends an OSC string (xterm extension);
 *  - DEL (0x7f) is ignored in ground instead of printed;
 *  - every code point >= U+00A0 is one input class (CLASS_NON_ASCII): printed in ground,
 *    part of the payload in OSC/DCS strings, ignored in ignore states, and it aborts an
 *    unfinished ESC/CSI sequence (printing itself) rather than being silently lost.
 *
 * Entry layout (Uint16):  bit 8 TRANSITION | bits 4..7 action | bits 0..3 next state.
 * TRANSITION marks a real state change (including vt100.net's "anywhere" re-entries such as
 * ESC while in escape): only then do the exit actions (osc_end, unhook) of the old state and
 * the entry actions (clear, osc_start, hook) of the new state run. In-state events
 * (param, collect, put) leave it unset.
 */

// States (vt100.net names).
export const S_GROUND = 0;
export const S_ESCAPE = 1;
export const S_ESCAPE_INTERMEDIATE = 2;
export const S_CSI_ENTRY = 3;
export const S_CSI_PARAM = 4;
export const S_CSI_INTERMEDIATE = 5;
export const S_CSI_IGNORE = 6;
export const S_SOS_PM_APC_STRING = 7;
export const S_OSC_STRING = 8;
export const S_DCS_ENTRY = 9;
export const S_DCS_PARAM = 10;
export const S_DCS_INTERMEDIATE = 11;
export const S_DCS_IGNORE = 12;
export const S_DCS_PASSTHROUGH = 13;
export const NUM_STATES = 14;

// Transition actions. Entry/exit actions are implied by TRANSITION + the states involved.
export const A_IGNORE = 0;
export const A_PRINT = 1;
export const A_EXECUTE = 2;
/** Intermediate byte 0x20..0x2f. */
export const A_COLLECT = 3;
/** Private marker 0x3c..0x3f right after CSI/DCS (vt100.net folds this into collect). */
export const A_PREFIX = 4;
/** 0x30..0x3b: digit, `:` or `;`. */
export const A_PARAM = 5;
export const A_ESC_DISPATCH = 6;
export const A_CSI_DISPATCH = 7;
export const A_DCS_PUT = 8;
export const A_OSC_PUT = 9;

export const TRANSITION = 0x100;

/** Code points >= U+00A0 all map to this column. */
export const CLASS_NON_ASCII = 0xa0;
/** Columns per state: 0x00..0x9f individually, plus CLASS_NON_ASCII. */
export const NUM_CLASSES = 0xa1;

function range(from: number, to: number): number[] {
  const r: number[] = [];
  for (let c = from; c <= to; c++) r.push(c);
  return r;
}

function build(): Uint16Array {
  const t = new Uint16Array(NUM_STATES * NUM_CLASSES);
  const set = (codes: number[], state: number, action: number, next: number): void => {
    const flag = next !== state ? TRANSITION : 0;
    for (const c of codes) t[state * NUM_CLASSES + c] = flag | (action << 4) | next;
  };
  // A re-entry of the same state (ESC in escape, CSI in csi_entry, OSC in osc_string) is
  // still a transition per vt100.net: exit and entry actions run again.
  const anywhere = (codes: number[], state: number, action: number, next: number): void => {
    for (const c of codes) t[state * NUM_CLASSES + c] = TRANSITION | (action << 4) | next;
  };

  const C0_EXEC = [...range(0x00, 0x17), 0x19, ...range(0x1c, 0x1f)];
  const ALL_STATES = range(0, NUM_STATES - 1);

  // Default: ignore in place.
  for (const s of ALL_STATES) set(range(0, NUM_CLASSES - 1), s, A_IGNORE, s);

  // "Anywhere" transitions (vt100.net diagram, top left).
  for (const s of ALL_STATES) {
    anywhere([0x18, 0x1a], s, A_EXECUTE, S_GROUND);
    anywhere([0x1b], s, A_IGNORE, S_ESCAPE);
    anywhere([...range(0x80, 0x8f), ...range(0x91, 0x97), 0x99, 0x9a], s, A_EXECUTE, S_GROUND);
    anywhere([0x9c], s, A_IGNORE, S_GROUND); // ST
    anywhere([0x90], s, A_IGNORE, S_DCS_ENTRY);
    anywhere([0x98, 0x9e, 0x9f], s, A_IGNORE, S_SOS_PM_APC_STRING);
    anywhere([0x9b], s, A_IGNORE, S_CSI_ENTRY);
    anywhere([0x9d], s, A_IGNORE, S_OSC_STRING);
  }

  // ground
  set(C0_EXEC, S_GROUND, A_EXECUTE, S_GROUND);
  set(range(0x20, 0x7e), S_GROUND, A_PRINT, S_GROUND);
  set([CLASS_NON_ASCII], S_GROUND, A_PRINT, S_GROUND);

  // Unfinished ESC/CSI: a non-ASCII character aborts the sequence and is printed.
  for (const s of [S_ESCAPE, S_ESCAPE_INTERMEDIATE, S_CSI_ENTRY, S_CSI_PARAM, S_CSI_INTERMEDIATE]) {
    set([CLASS_NON_ASCII], s, A_PRINT, S_GROUND);
  }

  // escape
  set(C0_EXEC, S_ESCAPE, A_EXECUTE, S_ESCAPE);
  set(range(0x20, 0x2f), S_ESCAPE, A_COLLECT, S_ESCAPE_INTERMEDIATE);
  set([...range(0x30, 0x4f), ...range(0x51, 0x57), 0x59, 0x5a, 0x5c, ...range(0x60, 0x7e)], S_ESCAPE, A_ESC_DISPATCH, S_GROUND);
  set([0x50], S_ESCAPE, A_IGNORE, S_DCS_ENTRY); // ESC P = DCS
  set([0x58, 0x5e, 0x5f], S_ESCAPE, A_IGNORE, S_SOS_PM_APC_STRING); // ESC X / ^ / _
  set([0x5b], S_ESCAPE, A_IGNORE, S_CSI_ENTRY); // ESC [
  set([0x5d], S_ESCAPE, A_IGNORE, S_OSC_STRING); // ESC ]

  // escape_intermediate
  set(C0_EXEC, S_ESCAPE_INTERMEDIATE, A_EXECUTE, S_ESCAPE_INTERMEDIATE);
  set(range(0x20, 0x2f), S_ESCAPE_INTERMEDIATE, A_COLLECT, S_ESCAPE_INTERMEDIATE);
  set(range(0x30, 0x7e), S_ESCAPE_INTERMEDIATE, A_ESC_DISPATCH, S_GROUND);

  // csi_entry
  set(C0_EXEC, S_CSI_ENTRY, A_EXECUTE, S_CSI_ENTRY);
  set(range(0x20, 0x2f), S_CSI_ENTRY, A_COLLECT, S_CSI_INTERMEDIATE);
  set(range(0x30, 0x3b), S_CSI_ENTRY, A_PARAM, S_CSI_PARAM);
  set(range(0x3c, 0x3f), S_CSI_ENTRY, A_PREFIX, S_CSI_PARAM);
  set(range(0x40, 0x7e), S_CSI_ENTRY, A_CSI_DISPATCH, S_GROUND);

  // csi_param
  set(C0_EXEC, S_CSI_PARAM, A_EXECUTE, S_CSI_PARAM);
  set(range(0x30, 0x3b), S_CSI_PARAM, A_PARAM, S_CSI_PARAM);
  set(range(0x3c, 0x3f), S_CSI_PARAM, A_IGNORE, S_CSI_IGNORE);
  set(range(0x20, 0x2f), S_CSI_PARAM, A_COLLECT, S_CSI_INTERMEDIATE);
  set(range(0x40, 0x7e), S_CSI_PARAM, A_CSI_DISPATCH, S_GROUND);

  // csi_intermediate
  set(C0_EXEC, S_CSI_INTERMEDIATE, A_EXECUTE, S_CSI_INTERMEDIATE);
  set(range(0x20, 0x2f), S_CSI_INTERMEDIATE, A_COLLECT, S_CSI_INTERMEDIATE);
  set(range(0x30, 0x3f), S_CSI_INTERMEDIATE, A_IGNORE, S_CSI_IGNORE);
  set(range(0x40, 0x7e), S_CSI_INTERMEDIATE, A_CSI_DISPATCH, S_GROUND);

  // csi_ignore
  set(C0_EXEC, S_CSI_IGNORE, A_EXECUTE, S_CSI_IGNORE);
  set(range(0x40, 0x7e), S_CSI_IGNORE, A_IGNORE, S_GROUND);

  // sos_pm_apc_string: everything but the anywhere transitions is swallowed (defaults).

  // osc_string: C0 other than BEL is ignored (default); BEL terminates (xterm).
  set(range(0x20, 0x7f), S_OSC_STRING, A_OSC_PUT, S_OSC_STRING);
  set([CLASS_NON_ASCII], S_OSC_STRING, A_OSC_PUT, S_OSC_STRING);
  set([0x07], S_OSC_STRING, A_IGNORE, S_GROUND);

  // dcs_entry (C0 ignored)
  set(range(0x20, 0x2f), S_DCS_ENTRY, A_COLLECT, S_DCS_INTERMEDIATE);
  set(range(0x30, 0x3b), S_DCS_ENTRY, A_PARAM, S_DCS_PARAM);
  set(range(0x3c, 0x3f), S_DCS_ENTRY, A_PREFIX, S_DCS_PARAM);
  set(range(0x40, 0x7e), S_DCS_ENTRY, A_IGNORE, S_DCS_PASSTHROUGH);
  set([CLASS_NON_ASCII], S_DCS_ENTRY, A_IGNORE, S_DCS_IGNORE);

  // dcs_param
  set(range(0x30, 0x3b), S_DCS_PARAM, A_PARAM, S_DCS_PARAM);
  set(range(0x3c, 0x3f), S_DCS_PARAM, A_IGNORE, S_DCS_IGNORE);
  set(range(0x20, 0x2f), S_DCS_PARAM, A_COLLECT, S_DCS_INTERMEDIATE);
  set(range(0x40, 0x7e), S_DCS_PARAM, A_IGNORE, S_DCS_PASSTHROUGH);
  set([CLASS_NON_ASCII], S_DCS_PARAM, A_IGNORE, S_DCS_IGNORE);

  // dcs_intermediate
  set(range(0x20, 0x2f), S_DCS_INTERMEDIATE, A_COLLECT, S_DCS_INTERMEDIATE);
  set(range(0x30, 0x3f), S_DCS_INTERMEDIATE, A_IGNORE, S_DCS_IGNORE);
  set(range(0x40, 0x7e), S_DCS_INTERMEDIATE, A_IGNORE, S_DCS_PASSTHROUGH);
  set([CLASS_NON_ASCII], S_DCS_INTERMEDIATE, A_IGNORE, S_DCS_IGNORE);

  // dcs_passthrough: C0 (minus CAN/SUB/ESC) and printables are payload; DEL ignored.
  set([...C0_EXEC, ...range(0x20, 0x7e), CLASS_NON_ASCII], S_DCS_PASSTHROUGH, A_DCS_PUT, S_DCS_PASSTHROUGH);

  // dcs_ignore: defaults (ignore until ST / anywhere transition).
  return t;
}

/** `TRANSITION_TABLE[state * NUM_CLASSES + cls]`, cls = min(codePoint, CLASS_NON_ASCII). */
export const TRANSITION_TABLE: Uint16Array = build();
