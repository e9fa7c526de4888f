/**
 * Protection: DECSCA with DECSED/DECSEL/DECSERA (selective erases skip protected cells), ISO
 * protection SPA/EPA (ESC V / ESC W), which ED, EL and ECH honour too — xterm's
 * do_erase_line/do_erase_display and ClearInLine. Checked against Ghostty, which agrees with
 * xterm throughout, and @xterm/headless where it implements them (DECSCA with the selective
 * erases; it lacks SPA/EPA and ends protection on SGR 0).
 */
import { describe, expect, it } from 'vitest';
import { applyTerminal, decodeTerminal, encodeTerminal } from '../../../src/engine/archive/terminal-codec.js';
import { ATTR_PROTECTED } from '../../../src/engine/page/style-table.js';
import { Terminal } from '../../../src/engine/index.js';
import { createGhostty, ghosttyScreenLines } from '../../helpers/ghostty-oracle.js';
import { both, term } from '../../helpers/term.js';

const E = '\x1b';

/** Ghostty's screen after `bytes` at 10×3 (one WebAssembly instance per terminal). */
async function ghosttyLines(bytes: string): Promise<string[]> {
  const g = await createGhostty(10, 3);
  try {
    g.write(bytes);
    return ghosttyScreenLines(g);
  } finally {
    g.free();
  }
}

function lines(bytes: string, cols = 10, rows = 3): string[] {
  const t = term({ cols, rows }).write(bytes);
  t.assertIntegrity();
  const l = t.screenLines();
  t.dispose();
  return l;
}

describe('Terminal: DECSCA and the selective erases', () => {
  it('DECSEL and DECSED leave protected characters, EL and ED do not (DEC protection)', async () => {
    const cases: [string, string[]][] = [
      [`${E}[1"qAB${E}[0"qCD${E}[H${E}[?2K`, ['AB', '', '']],
      [`${E}[1"qAB${E}[0"qCD${E}[H${E}[2K`, ['', '', '']],
      [`xy${E}[1"qAB${E}[2"qCD\r\nEF${E}[H${E}[?J`, ['  AB', '', '']],
      [`${E}[1"qAB${E}[0"qCD${E}[H${E}[J`, ['', '', '']],
    ];
    for (const [bytes, want] of cases) {
      expect(lines(bytes)).toEqual(want);
      const { ours, xterm } = await both(bytes, 10, 3);
      expect(ours).toEqual(xterm);
      expect(await ghosttyLines(bytes)).toEqual(want);
    }
  });

  it('SGR 0 does not end DECSCA protection (xterm, DEC STD 070, Ghostty; @xterm/headless ends it)', async () => {
    const bytes = `${E}[1"qAB${E}[0mCD${E}[0"qEF${E}[H${E}[?K`;
    expect(lines(bytes)).toEqual(['ABCD', '', '']);
    expect(await ghosttyLines(bytes)).toEqual(['ABCD', '', '']);
  });

  it('ECH does not honour DEC protection; DECSERA does, DECERA does not', async () => {
    expect(lines(`${E}[1"qAB${E}[0"qCD${E}[H${E}[4X`)).toEqual(['', '', '']);
    expect(await ghosttyLines(`${E}[1"qAB${E}[0"qCD${E}[H${E}[4X`)).toEqual(['', '', '']);
    expect(lines(`${E}[1"qAB${E}[0"qCD${E}[1;1;1;10\${`)).toEqual(['AB', '', '']);
    expect(lines(`${E}[1"qAB${E}[0"qCD${E}[1;1;1;10$z`)).toEqual(['', '', '']);
  });

  it('SGR 0 keeps protection, DECSTR and RIS drop it, DECSC/DECRC carry it', () => {
    const t = term({ cols: 10, rows: 3 }).write(`${E}[1"q${E}[0m`);
    expect(t.cursor.style.flags & ATTR_PROTECTED).toBe(ATTR_PROTECTED);
    t.write(`${E}7${E}[0"q${E}8`);
    expect(t.cursor.style.flags & ATTR_PROTECTED).toBe(ATTR_PROTECTED);
    t.write(`${E}[!p`);
    expect(t.cursor.style.flags & ATTR_PROTECTED).toBe(0);
    t.write(`${E}[1"q${E}c`);
    expect(t.cursor.style.flags & ATTR_PROTECTED).toBe(0);
  });
});

describe('Terminal: ISO protection (SPA / EPA)', () => {
  it('ED, EL and ECH skip what SPA…EPA wrote', async () => {
    for (const bytes of [`${E}VAB${E}WCD${E}[H${E}[2K`, `${E}VAB${E}WCD${E}[H${E}[4X`]) {
      expect(lines(bytes)).toEqual(['AB', '', '']);
      expect(await ghosttyLines(bytes)).toEqual(['AB', '', '']);
    }
    expect(lines(`xx${E}VAB${E}WCD\r\nzz${E}[2;2H${E}[1J`)).toEqual(['  AB', '', '']);
    expect(lines(`${E}VAB${E}WCD${E}[H${E}[J`)).toEqual(['AB', '', '']);
  });

  it('ED 2 that meets no protected cell forgets ISO protection', () => {
    const t = term({ cols: 10, rows: 3 }).write(`${E}VA${E}W${E}[1"q${E}[0"q`);
    expect(t.protectMode).toBe(2);
    t.write(`${E}VB${E}W${E}[2J${E}[H${E}[K`);
    expect(t.screenLines()[0]).toBe('AB');
    expect(t.protectMode).toBe(1);
    t.write(`${E}[1;1;1;10$z${E}[2J`);
    expect(t.protectMode).toBe(0);
  });
});

describe('Terminal: the protected flag survives compression and archives', () => {
  it('an archived and restored terminal keeps protected cells', () => {
    const t = term({ cols: 10, rows: 3, scrollback: 50 }).write(`${E}[1"qAB${E}[0"qCD\r\n`);
    for (let i = 0; i < 200; i++) t.write(`line ${i}\r\n`);
    t.active.list.compressCold(true);
    t.write(`${E}[1"qP${E}[0"q`);
    const restored = new Terminal({ cols: 10, rows: 3, scrollback: 50 });
    applyTerminal(restored, decodeTerminal(encodeTerminal(t)));
    const list = restored.active.list;
    const p = list.pinActive(2);
    const id = p.styleAt(p.rowStart(list.pinRow));
    expect(p.styles.records[id * 4 + 3]! & ATTR_PROTECTED).toBe(ATTR_PROTECTED);
    restored.dispose();
    t.dispose();
  });
});
