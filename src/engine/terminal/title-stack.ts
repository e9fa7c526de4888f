/**
 * XTPUSHTITLE / XTPOPTITLE (`CSI 22 ; Ps t` / `CSI 23 ; Ps t`): the window title stack.
 *
 * Owns the saved titles. Bounded like xterm's (MAX_SAVED_TITLES, 10 entries): a push onto a full
 * stack drops the oldest entry, so a program pushing in a loop cannot grow memory. Each entry
 * also bounds its text (TITLE_MAX): xterm refuses titles of 1,024 bytes or more, so nothing
 * longer ever reaches the stack there either.
 *
 * Ps: 0 both the icon name and the title, 1 the icon name, 2 the title. termpool has a title only
 * (OSC 1, the icon name alone, is ignored), so an entry keeps the title when Ps is 0 or 2 and a pop
 * restores it when Ps is 0 or 2; `22;1` still pushes an entry (holding no title), as it does in
 * xterm, so pushes and pops stay paired.
 */

/** Entries the stack keeps (xterm's MAX_SAVED_TITLES). */
export const TITLE_STACK_DEPTH = 10;
/** Longest title kept on the stack, in UTF-16 code units. */
export const TITLE_MAX = 4096;

export class TitleStack {
  private readonly entries: (string | null)[] = [];

  get depth(): number { return this.entries.length; }

  /** Push: `which` is Ps (0 icon+title, 1 icon, 2 title); `title` the current title. */
  push(which: number, title: string): void {
    if (which !== 0 && which !== 1 && which !== 2) return;
    if (this.entries.length === TITLE_STACK_DEPTH) this.entries.shift();
    this.entries.push(which === 1 ? null : title.slice(0, TITLE_MAX));
  }

  /** Pop: the title to restore, or null when there is none to restore (empty stack, Ps 1, icon-only entry). */
  pop(which: number): string | null {
    if (which !== 0 && which !== 1 && which !== 2) return null;
    const top = this.entries.pop();
    if (top === undefined || top === null || which === 1) return null;
    return top;
  }

  clear(): void { this.entries.length = 0; }
}
