import { describe, expect, it } from 'vitest';
import { driver } from '../stream/recorder.js';
import { term } from '../../helpers/term.js';
import { MAX_KEPT_COMMANDS, type CommandEvent } from '../../../src/engine/index.js';
import { TestTerminal } from '../../helpers/term.js';

const A = '\x1b]133;A\x07';
const B = '\x1b]133;B\x07';
const C = '\x1b]133;C\x07';
const D = (code?: number): string => `\x1b]133;D${code === undefined ? '' : `;${code}`}\x07`;
const cwd = (path: string): string => `\x1b]7;file://host${path}\x1b\\`;

/** One shell round: prompt, typed command, Enter, output, finish with `code`. */
function round(cmd: string, output: string, code: number): string {
  return `${A}$ ${B}${cmd}\r\n${C}${output}${D(code)}`;
}

describe('Stream: OSC 133 and OSC 7', () => {
  const d = driver();

  it('decodes A/B/C/D, the exit status in D\'s first field, and ignores options', () => {
    expect(d.osc('133;A')).toEqual([['semanticMark', 0, null, null]]);
    expect(d.osc('133;A;aid=12;cl=m')).toEqual([['semanticMark', 0, null, null]]);
    expect(d.osc('133;N')).toEqual([['semanticMark', 0, null, null]]);
    expect(d.osc('133;P;k=i')).toEqual([['semanticMark', 0, null, null]]);
    expect(d.osc('133;P;k=s')).toEqual([]);
    expect(d.osc('133;B')).toEqual([['semanticMark', 1, null, null]]);
    expect(d.osc('133;C;')).toEqual([['semanticMark', 2, null, null]]);
    expect(d.osc('133;D;0')).toEqual([['semanticMark', 3, 0, null]]);
    expect(d.osc('133;D;130;aid=5')).toEqual([['semanticMark', 3, 130, null]]);
    expect(d.osc('133;D;-1')).toEqual([['semanticMark', 3, -1, null]]);
    expect(d.osc('133;D')).toEqual([['semanticMark', 3, null, null]]);
    expect(d.osc('133;D;aid=5')).toEqual([['semanticMark', 3, null, null]]);
    expect(d.osc('133;D;x1')).toEqual([['semanticMark', 3, null, null]]);
  });

  it('ignores unknown marks and a bare 133', () => {
    expect(d.osc('133;L')).toEqual([]);
    expect(d.osc('133;')).toEqual([]);
    expect(d.osc('133')).toEqual([]);
  });

  it('decodes OSC 7 file URIs, percent-decoded, and refuses others', () => {
    expect(d.osc('7;file://box/home/me')).toEqual([['setWorkingDirectory', '/home/me']]);
    expect(d.osc('7;file:///tmp/a%20b/%C3%A9')).toEqual([['setWorkingDirectory', '/tmp/a b/é']]);
    expect(d.osc('7;kitty-shell-cwd://h/x')).toEqual([['setWorkingDirectory', '/x']]);
    expect(d.osc('7;http://h/x')).toEqual([]);
    expect(d.osc('7;file://h')).toEqual([]);
    expect(d.osc('7;file:///%zz')).toEqual([]);
    expect(d.osc('7;file:///a%00b')).toEqual([]);
  });
});

describe('Terminal: semantic prompt marks signed with a nonce', () => {
  const n = 'f00d';
  const C_ = `\x1b]133;C;nonce=${n}\x07`;
  const D_ = (code: number, nonce = n): string => `\x1b]133;D;${code};nonce=${nonce}\x07`;

  it('decodes nonce= on any mark (after D\'s status)', () => {
    const d = driver();
    expect(d.osc('133;C;nonce=ab')).toEqual([['semanticMark', 2, null, 'ab']]);
    expect(d.osc('133;D;3;nonce=ab')).toEqual([['semanticMark', 3, 3, 'ab']]);
    expect(d.osc('133;D;nonce=ab')).toEqual([['semanticMark', 3, null, 'ab']]);
  });

  it('only marks carrying it start and end commands; a forged prompt during a command is ignored', () => {
    const t = new TestTerminal({ cols: 20, rows: 6 });
    t.semantic.requireNonce(n);
    t.write(`${A}$ ${B}make\r\n${C}`);
    expect(t.semantic.commands).toHaveLength(0);
    t.write(C_ + `out\r\n${D(0)}${A}$ ${B}${D_(0, 'bad')}${C}more\r\n`);
    expect(t.semantic.running).toMatchObject({ id: 1, command: 'make' });
    expect(t.semantic.state).toBe('running');
    t.write(D_(2) + A + '$ ' + B);
    expect(t.semantic.commands[0]).toMatchObject({ exitCode: 2 });
    expect(t.commandOutput(t.semantic.commands[0], 10).lines).toEqual(['out', '$ more']);
    expect(t.semantic.state).toBe('input');
    expect(t.semantic.untrustedMarks).toBe(6);
  });
});

describe('Terminal: semantic prompt marks', () => {
  it('records a command: typed text, output between C and D, exit status, cwd', () => {
    const events: CommandEvent[] = [];
    const t = new TestTerminal({ cols: 20, rows: 5, onCommand: (e) => events.push({ ...e, command: { ...e.command } }) });
    t.write(cwd('/home') + round('echo hi', 'hi\r\n', 0) + cwd('/tmp') + round('false', '', 1));
    const [a, b] = t.semantic.commands;
    expect(a).toMatchObject({ id: 1, command: 'echo hi', exitCode: 0, cwd: '/home', promptLine: 0 });
    expect(t.commandOutput(a, 100)).toEqual({ lines: ['hi'], truncated: false });
    expect(b).toMatchObject({ id: 2, command: 'false', exitCode: 1, cwd: '/tmp' });
    expect(t.commandOutput(b, 100).lines).toEqual([]);
    expect(events.map((e) => `${e.type}:${e.command.id}`)).toEqual(['start:1', 'finish:1', 'start:2', 'finish:2']);
    expect(t.semantic.running).toBeNull();
    t.write(A + '$ ' + B);
    expect(t.semantic.state).toBe('input');
  });

  it('output without a final newline ends at D\'s column; wrapped rows join into one line', () => {
    const t = term({ cols: 10, rows: 4 });
    t.write(round('x', 'abcdefghijklmn\r\nlast', 0));
    expect(t.commandOutput(t.semantic.commands[0], 10).lines).toEqual(['abcdefghijklmn', 'last']);
  });

  it('keeps output that scrolled into the scrollback, and the last maxLines lines of it', () => {
    const t = term({ cols: 10, rows: 3, scrollback: 100 });
    let out = '';
    for (let i = 1; i <= 50; i++) out += `l${i}\r\n`;
    t.write(round('seq', out, 0) + A + '$ ');
    const c = t.semantic.commands[0];
    const all = t.commandOutput(c, 1000);
    expect(all.lines).toHaveLength(50);
    expect(all.lines[0]).toBe('l1');
    expect(all.truncated).toBe(false);
    expect(t.commandOutput(c, 5)).toEqual({ lines: ['l46', 'l47', 'l48', 'l49', 'l50'], truncated: true });
  });

  it('line numbers survive pruning: output whose start was evicted is cut and flagged', () => {
    const t = term({ cols: 10, rows: 3, scrollback: 20 });
    let out = '';
    for (let i = 1; i <= 50; i++) out += `l${i}\r\n`;
    t.write(round('seq', out, 0));
    const r = t.commandOutput(t.semantic.commands[0], 1000);
    expect(r.truncated).toBe(true);
    expect(r.lines[r.lines.length - 1]).toBe('l50');
    expect(r.lines[0]).toBe(`l${50 - r.lines.length + 1}`);
    // What is kept is the scrollback plus the screen rows above D.
    expect(r.lines.length).toBe(t.scrollbackLength + t.cursor.y);
    expect(t.semantic.commands[0].outputStart.line).toBe(1);
    expect(t.firstLine).toBeGreaterThan(1);
  });

  it('marks on the alternate screen do not count; a TUI run as a command leaves its own output out', () => {
    const t = term({ cols: 10, rows: 4 });
    t.write(`${A}$ ${B}vim\r\n${C}\x1b[?1049h${A}${B}${C}${D(9)}tui\x1b[?1049l${D(0)}`);
    expect(t.semantic.commands).toHaveLength(1);
    expect(t.semantic.commands[0]).toMatchObject({ command: 'vim', exitCode: 0 });
    expect(t.commandOutput(t.semantic.commands[0], 10).lines).toEqual([]);
  });

  it('ignores D without a running command and a second C; A while running ends it without status', () => {
    const t = term({ cols: 10, rows: 4 });
    t.write(`${A}$ ${B}\r\n${D(0)}`);
    expect(t.semantic.commands).toHaveLength(0);
    t.write(`${A}$ ${B}x\r\n${C}1\r\n${C}2\r\n${A}`);
    expect(t.semantic.commands).toHaveLength(1);
    expect(t.semantic.commands[0]).toMatchObject({ exitCode: null });
    expect(t.semantic.commands[0].finishedAt).not.toBeNull();
    expect(t.commandOutput(t.semantic.commands[0], 10).lines).toEqual(['1', '2']);
  });

  it('RIS forgets the prompt and cwd, a running command goes on', () => {
    const t = term({ cols: 10, rows: 4 });
    t.write(`${cwd('/a')}${A}$ ${B}reset\r\n${C}\x1bc`);
    expect(t.semantic.cwd).toBeNull();
    expect(t.semantic.state).toBe('running');
    t.write(D(0));
    expect(t.semantic.commands[0]).toMatchObject({ exitCode: 0, command: 'reset' });
    t.write('\x1bc');
    expect(t.semantic.state).toBe('unknown');
  });

  it('keeps at most MAX_KEPT_COMMANDS commands, ids keep counting', () => {
    const t = term({ cols: 10, rows: 2, scrollback: 10 });
    let s = '';
    for (let i = 0; i < MAX_KEPT_COMMANDS + 5; i++) s += round('t', '', 0);
    t.write(s);
    expect(t.semantic.commands).toHaveLength(MAX_KEPT_COMMANDS);
    expect(t.semantic.commands[0].id).toBe(6);
    expect(t.semantic.finishedAfter(MAX_KEPT_COMMANDS + 4)?.id).toBe(MAX_KEPT_COMMANDS + 5);
    expect(t.semantic.finishedAfter(MAX_KEPT_COMMANDS + 5)).toBeNull();
  });

  it('a reflow moves the marks with their rows', () => {
    const t = term({ cols: 20, rows: 6, scrollback: 100 });
    t.write(round('one', 'aaaaaaaaaaaaaaa\r\nb\r\n', 0) + round('two', 'cccccccccccccccccc\r\nd\r\n', 3) + A + '$ ' + B);
    t.resize(6, 6);
    t.assertIntegrity();
    const [one, two] = t.semantic.commands;
    expect(t.commandOutput(one, 100).lines).toEqual(['aaaaaaaaaaaaaaa', 'b']);
    expect(t.commandOutput(two, 100).lines).toEqual(['cccccccccccccccccc', 'd']);
    t.resize(30, 6);
    expect(t.commandOutput(two, 100).lines).toEqual(['cccccccccccccccccc', 'd']);
    expect(t.commandOutput(one, 100).lines).toEqual(['aaaaaaaaaaaaaaa', 'b']);
  });

  it('leaves the screen alone: the marks print nothing (xterm ignores OSC 133)', () => {
    const t = term({ cols: 20, rows: 3 });
    t.write(cwd('/x') + round('echo hi', 'hi\r\n', 0) + A + '$ ' + B);
    expect(t.screenLines()).toEqual(['$ echo hi', 'hi', '$']);
  });
});
