/**
 * xterm's special colours (ctlseqs OSC 5 / 105; misc.c ChangeAnsiColorRequest,
 * ReportAnsiColorRequest, ResetAnsiColorRequest): colorBD, colorUL, colorBL, colorRV, colorIT,
 * numbered 0..4 by OSC 5 and 256..260 by OSC 4, set and queried as OSC 4 colours are, reset by
 * OSC 105 (and by OSC 104 and RIS with the rest of the palette), kept by archives.
 */
import { describe, expect, it } from 'vitest';
import { term } from '../../helpers/term.js';
import { archiveTerminal, PagePool, restoreTerminal } from '../../../src/engine/index.js';

const BEL = '\x07';
const ST = '\x1b\\';
const osc = (body: string, t = ST): string => `\x1b]${body}${t}`;
/** The default: the text foreground (termpool draws 0xe5e5e5), as xterm's colorXX resources default to it. */
const FG = 'rgb:e5e5/e5e5/e5e5';

describe('OSC 5 / OSC 105: special colours', () => {
  it('a query answers OSC 5 ; c ; rgb:… with the query\'s terminator; the default is the text foreground', () => {
    const t = term().write(osc('5;0;?', BEL) + osc('5;4;?'));
    expect(t.replies).toEqual([`\x1b]5;0;${FG}${BEL}`, `\x1b]5;4;${FG}${ST}`]);
  });

  it('sets in every form OSC 4 takes; OSC 4 ; 256 + c is the same colour, answered in OSC 4\'s form', () => {
    const t = term().write(osc('5;0;#ff0000;1;rgb:0/80/ff;2;rgbi:0/1/0') + osc('4;259;#123456'));
    t.write(osc('5;0;?;1;?;2;?;3;?') + osc('4;256;?;259;?;260;?'));
    expect(t.replies).toEqual([
      `\x1b]5;0;rgb:ffff/0000/0000${ST}`, `\x1b]5;1;rgb:0000/8080/ffff${ST}`,
      `\x1b]5;2;rgb:0000/ffff/0000${ST}`, `\x1b]5;3;rgb:1212/3434/5656${ST}`,
      `\x1b]4;256;rgb:ffff/0000/0000${ST}`, `\x1b]4;259;rgb:1212/3434/5656${ST}`, `\x1b]4;260;${FG}${ST}`,
    ]);
  });

  it('does not touch the 256 colours (OSC 5 ; 1 is not OSC 4 ; 1)', () => {
    const t = term().write(osc('5;1;#010203') + osc('4;1;?'));
    expect(t.takeReplies()).toBe(`\x1b]4;1;rgb:cdcd/0000/0000${ST}`);
  });

  it('an index past the five stops the list (OSC 5 ; 5, OSC 4 ; 261)', () => {
    const t = term().write(osc('5;5;?;0;?') + osc('4;261;?;0;?'));
    expect(t.replies).toEqual([]);
  });

  it('OSC 105 resets the listed ones, or all five; OSC 104 without parameters resets them too', () => {
    const set = osc('5;0;#111;1;#222;2;#333') + osc('4;1;#444');
    const t = term().write(set + osc('105;1') + osc('5;0;?;1;?'));
    expect(t.replies).toEqual([`\x1b]5;0;rgb:1010/1010/1010${ST}`, `\x1b]5;1;${FG}${ST}`]);
    t.write(osc('105') + osc('5;0;?;2;?') + osc('4;1;?'));
    expect(t.replies.slice(2)).toEqual([`\x1b]5;0;${FG}${ST}`, `\x1b]5;2;${FG}${ST}`, `\x1b]4;1;rgb:4040/4040/4040${ST}`]);
    const u = term().write(set + osc('104') + osc('5;0;?') + osc('4;1;?'));
    expect(u.replies).toEqual([`\x1b]5;0;${FG}${ST}`, `\x1b]4;1;rgb:cdcd/0000/0000${ST}`]);
    const v = term().write(set + osc('104;258') + osc('5;2;?'));
    expect(v.replies).toEqual([`\x1b]5;2;${FG}${ST}`]);
  });

  it('RIS resets them', () => {
    const t = term().write(osc('5;3;#abc') + '\x1bc' + osc('5;3;?'));
    expect(t.replies).toEqual([`\x1b]5;3;${FG}${ST}`]);
  });

  it('an archive keeps them', () => {
    const pool = new PagePool();
    const t = term().write(osc('5;4;#0a0b0c'));
    const r = restoreTerminal(archiveTerminal(t), { pool, label: 'restored' });
    expect(r.paletteOverrides.get(260)).toBe('rgb:0a0a/0b0b/0c0c'); // colorIT, OSC 5 ; 4
  });
});
