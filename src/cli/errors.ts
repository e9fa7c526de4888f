/**
 * CLI error type and I/O seam shared by every subcommand.
 *
 * A `CliError` is a user mistake (bad flag, missing file): main prints its one-line message
 * and exits with its code. Any other exception is treated as an internal error.
 */
import type { Readable, Writable } from 'node:stream';

/** Usage or input error: the user can fix it by changing the command line. */
export const EXIT_USAGE = 2;

export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_USAGE) {
    super(message);
    this.name = 'CliError';
  }
}

/** Streams a command talks to; injectable so the logic is testable without a child process. */
export interface Io {
  stdin: Readable;
  stdout: Writable;
  /** `isTTY` decides whether progress is shown (process.stderr has it; plain streams don't). */
  stderr: Writable & { isTTY?: boolean };
}
