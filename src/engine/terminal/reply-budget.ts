/**
 * The budget on what the terminal answers. Replies (DA, CPR, DECRQSS, XTGETTCAP, colour queries,
 * checksums) are written back into the program's input; a few bytes of query can ask for many
 * more bytes of answer (`ESC ] 4 ; 0 ; ? ; 1 ; ? …` answers 26 bytes for every 4, XTGETTCAP echoes
 * names with values), so a program — or a cast being replayed into a live session — could make
 * the terminal flood its own input.
 *
 * Owns the per-write allowance: each `Terminal.write` may produce at most REPLY_BYTES_PER_WRITE
 * bytes of replies (a pty read is at most 64 KiB, so replies stay within the input's own size);
 * replies past it are dropped whole and counted in `refused`. An ordinary program's queries are
 * tens of bytes, far below it.
 */

/** Reply bytes (UTF-16 code units; replies are ASCII) one write may produce. */
export const REPLY_BYTES_PER_WRITE = 64 * 1024;

export class ReplyBudget {
  private remaining = REPLY_BYTES_PER_WRITE;
  /** Replies dropped since the terminal was built (count of replies, not bytes). */
  refused = 0;

  /** A write begins: the allowance is full again. */
  refill(): void { this.remaining = REPLY_BYTES_PER_WRITE; }

  /** Whether a reply of `length` fits (taken if so). */
  take(length: number): boolean {
    if (length > this.remaining) {
      this.refused++;
      return false;
    }
    this.remaining -= length;
    return true;
  }
}
