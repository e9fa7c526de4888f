/**
 * `Output out.txt` / `.ascii` / `.test`: VHS's golden-file layout (testing.go SaveOutput), byte
 * for byte. After every command run while recording (not hidden), VHS writes each row of the
 * visible screen — all `term.rows` of them, blank ones included — with trailing whitespace
 * removed by JavaScript's trimEnd, each followed by `\n`, then a separator line of exactly 80
 * `─` (U+2500) whatever the terminal's width, then `\n`.
 */

export const FRAME_SEPARATOR = '─'.repeat(80);

export class TextFrames {
  private readonly parts: string[] = [];

  /** Appends one frame: the visible rows, top to bottom. */
  add(rows: readonly string[]): void {
    let s = '';
    for (const r of rows) s += r.trimEnd() + '\n';
    this.parts.push(s + FRAME_SEPARATOR + '\n');
  }

  get count(): number { return this.parts.length; }

  toString(): string { return this.parts.join(''); }
}
