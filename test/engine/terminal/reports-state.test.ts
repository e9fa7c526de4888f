/**
 * Window and state reports as xterm answers them with its default resources: XTWINOPS sizes
 * (8×16-pixel cells, the renderers' default), no title reports (20/21, disallowed by xterm's
 * default disallowedWindowOps), the title stack (22/23), DECID, the DEC DSR variants, DECRQM
 * for modes xterm knows, and the per-write reply budget. Checked against @xterm/headless and
 * Ghostty (ghostty-web) where they answer the same.
 */
import { describe, expect, it } from 'vitest';
import { term, xtermReplies } from '../../helpers/term.js';
import { createGhostty } from '../../helpers/ghostty-oracle.js';
import { REPLY_BYTES_PER_WRITE } from '../../../src/engine/terminal/reply-budget.js';
import { TITLE_STACK_DEPTH } from '../../../src/engine/terminal/title-stack.js';

const CSI = '\x1b[';

async function ghosttyReplies(bytes: string, cols: number, rows: number): Promise<string> {
  const g = await createGhostty(cols, rows);
  try {
    g.write(bytes);
    let out = '';
    for (let r = g.readResponse(); r !== null; r = g.readResponse()) out += r;
    return out;
  } finally {
    g.free();
  }
}

describe('XTWINOPS reports', () => {
  it.each([
    ['11', '\x1b[1t'],
    ['13', '\x1b[3;0;0t'],
    ['13;2', '\x1b[3;0;0t'],
    ['14', '\x1b[4;80;96t'],
    ['14;2', '\x1b[4;80;96t'],
    ['15', '\x1b[5;80;96t'],
    ['16', '\x1b[6;16;8t'],
    ['18', '\x1b[8;5;12t'],
    ['19', '\x1b[9;5;12t'],
  ])('CSI %s t → %j', (op, answer) => {
    const t = term({ cols: 12, rows: 5 }).write(`${CSI}${op}t`);
    expect(t.takeReplies()).toBe(answer);
  });

  it('sizes follow a resize', () => {
    const t = term({ cols: 12, rows: 5 });
    t.resize(30, 7);
    t.write(`${CSI}14t${CSI}18t`);
    expect(t.takeReplies()).toBe('\x1b[4;112;240t\x1b[8;7;30t');
  });

  it('the title and icon-label reports (20, 21) are not answered: xterm disallows them by default', () => {
    // The attack they allow: set the title to a command, ask for it, and the answer lands in
    // the program's input as if typed (OSC l … ST ends in a newline-free string, but a shell
    // with a keyboard macro or a program reading raw input takes it).
    const t = term().write(`\x1b]2;rm -rf ~\x07${CSI}21t${CSI}20t`);
    expect(t.replies).toEqual([]);
  });

  it('window changes (move, resize, iconify, DECSLPP) do nothing', () => {
    const t = term({ cols: 12, rows: 5 }).write(`${CSI}8;50;100t${CSI}4;1000;1000t${CSI}2t${CSI}30t`);
    expect([t.cols, t.rows, t.replies]).toEqual([12, 5, []]);
  });
});

describe('XTPUSHTITLE / XTPOPTITLE', () => {
  it('push, change, pop restores the title', () => {
    const titles: string[] = [];
    const t = term();
    t.onTitle = (s) => titles.push(s);
    t.write(`\x1b]2;first\x07${CSI}22;0t\x1b]2;second\x07${CSI}23;0t`);
    expect(t.title).toBe('first');
    expect(titles).toEqual(['first', 'second', 'first']);
  });

  it('22;2 / 23;2 (title only) and 22;1 / 23;1 (icon only: no title to restore) stay paired', () => {
    const t = term().write(`\x1b]2;a\x07${CSI}22;2t${CSI}22;1t\x1b]2;b\x07${CSI}23;1t`);
    expect(t.title).toBe('b');
    t.write(`${CSI}23;2t`);
    expect(t.title).toBe('a');
  });

  it(`is bounded at ${TITLE_STACK_DEPTH} entries: a push onto a full stack drops the oldest`, () => {
    const t = term();
    for (let i = 0; i < 1000; i++) t.write(`\x1b]2;t${i}\x07${CSI}22t`);
    expect(t.titles.depth).toBe(TITLE_STACK_DEPTH);
    for (let i = 0; i < TITLE_STACK_DEPTH; i++) t.write(`${CSI}23t`);
    expect(t.title).toBe(`t${1000 - TITLE_STACK_DEPTH}`);
    t.write('\x1b]2;last\x07' + `${CSI}23t`);
    expect(t.title).toBe('last');
  });
});

describe('DECID, DSR', () => {
  it('DECID (ESC Z) answers as DA1', () => {
    const t = term().write('\x1bZ');
    expect(t.takeReplies()).toBe(term().write(`${CSI}c`).takeReplies());
  });

  it.each([
    ['?15', '\x1b[?13n'],
    ['?25', '\x1b[?20n'],
    ['?26', '\x1b[?27;1;0;0n'],
    ['?53', '\x1b[?53n'],
    ['?55', '\x1b[?53n'],
    ['?56', '\x1b[?57;0n'],
    ['?62', '\x1b[0*{'],
    ['?75', '\x1b[?70n'],
    ['?85', '\x1b[?83n'],
  ])('CSI %s n → %j', (code, answer) => {
    expect(term().write(`${CSI}${code}n`).takeReplies()).toBe(answer);
  });

  it('codes xterm does not answer get nothing (?5 n, 7 n, ?99 n)', () => {
    expect(term().write(`${CSI}?5n${CSI}7n${CSI}?99n`).replies).toEqual([]);
  });

  it('DSR 5 and CPR agree with xterm.js and Ghostty', async () => {
    const bytes = `${CSI}5n${CSI}3;7H${CSI}6n`;
    const ours = term({ cols: 10, rows: 5 }).write(bytes).takeReplies();
    expect(ours).toBe('\x1b[0n\x1b[3;7R');
    expect(await xtermReplies(bytes, 10, 5)).toBe(ours);
    expect(await ghosttyReplies(bytes, 10, 5)).toBe(ours);
  });
});

describe('DECRQM for the modes xterm knows', () => {
  it.each([
    // xterm's own permanent answers
    ['1', 4], ['3', 2], ['5', 4], ['7', 4], ['10', 4], ['11', 4], ['13', 4], ['19', 4],
    // termpool: the keyboard never locks, there is never local echo
    ['2', 4], ['12', 3],
    ['?8', 4],
    // modes xterm can change and termpool cannot: permanently reset
    ['?3', 4], ['?4', 4], ['?40', 4], ['?67', 4], ['?1034', 4], ['?2005', 4],
    ['?2', 3], ['?1046', 3],
    // unknown to xterm too
    ['99', 0], ['?9999', 0], ['?1', 2],
  ])('CSI %s $ p → %i', (mode, state) => {
    const ansi = !mode.startsWith('?');
    const m = ansi ? mode : mode.slice(1);
    expect(term().write(`${CSI}${mode}$p`).takeReplies()).toBe(`\x1b[${ansi ? '' : '?'}${m};${state}$y`);
  });

  it('?1048 tells whether a cursor is saved', () => {
    const t = term().write(`${CSI}?1048$p\x1b7${CSI}?1048$p`);
    expect(t.takeReplies()).toBe('\x1b[?1048;2$y\x1b[?1048;1$y');
  });

  it('agrees with xterm.js where xterm and it agree (KAM, SRM, IRM, LNM, DECCKM, DECAWM, DECTCEM, 1049)', async () => {
    for (const q of ['2', '12', '4', '20', '?1', '?7', '?25', '?1049']) {
      const bytes = `${CSI}${q}$p`;
      expect(term().write(bytes).takeReplies()).toBe(await xtermReplies(bytes));
    }
  });
});

describe('reply budget', () => {
  it(`one write produces at most ${REPLY_BYTES_PER_WRITE} bytes of replies, whatever it asks`, () => {
    const t = term();
    // 4 bytes of query, 26 of answer: 1 MB of queries would answer 6.5 MB.
    const flood = '\x1b]4;' + '0;?;'.repeat(250_000) + '\x07';
    t.write(flood);
    const bytes = t.replies.reduce((n, r) => n + r.length, 0);
    expect(bytes).toBeLessThanOrEqual(REPLY_BYTES_PER_WRITE);
    expect(bytes).toBeGreaterThan(REPLY_BYTES_PER_WRITE - 100);
    expect(t.replyBudget.refused).toBe(250_000 - t.replies.length);
  });

  it('the next write has a full allowance again', () => {
    const t = term();
    t.write(`${CSI}6n`.repeat(20_000));
    const first = t.replies.length;
    t.replies.length = 0;
    t.write(`${CSI}6n`);
    expect(first).toBeLessThan(20_000);
    expect(t.replies).toEqual(['\x1b[1;1R']);
  });
});
