/**
 * The tape's commands after parsing: what the runner executes, each with where it was written
 * (file:line:column) so that every error at run time can name it too.
 */

export interface Loc {
  file: string;
  line: number;
  column: number;
}

export function formatLoc(l: Loc): string {
  return `${l.file}:${l.line}:${l.column}`;
}

/** Keys VHS names as commands, repeatable and with a per-press delay (`Enter@100ms 3`). */
export const KEY_COMMANDS = ['Enter', 'Backspace', 'Delete', 'Insert', 'Tab', 'Space', 'Escape', 'Up', 'Down', 'Left', 'Right', 'PageUp', 'PageDown'] as const;
export type KeyCommand = (typeof KEY_COMMANDS)[number];

/** Output kinds by extension (VHS: a path without one must end in '/' and is a frames directory). */
export type OutputKind = 'txt' | 'cast' | 'png' | 'gif';

export type CommandBody =
  | { kind: 'key'; key: KeyCommand; repeat: number; delayMs?: number }
  | { kind: 'type'; text: string; delayMs?: number }
  /** Ctrl/Alt/Shift combinations, as src/input/keys.ts names them (`C-c`, `M-x`, `S-Tab`). */
  | { kind: 'chord'; keys: string[]; source: string }
  | { kind: 'sleep'; ms: number }
  | { kind: 'wait'; scope: 'Line' | 'Screen'; timeoutMs?: number; regex?: RegExp }
  | { kind: 'hide' }
  | { kind: 'show' }
  | { kind: 'screenshot'; path: string }
  | { kind: 'copy'; text: string }
  | { kind: 'paste' }
  | { kind: 'env'; name: string; value: string }
  | { kind: 'require'; program: string }
  | { kind: 'output'; path: string; output: OutputKind }
  | { kind: 'set'; name: string; value: string };

export type Command = CommandBody & { loc: Loc };

export class TapeError extends Error {
  constructor(readonly loc: Loc | null, message: string) {
    super(loc ? `${formatLoc(loc)}: ${message}` : message);
  }
}
