/**
 * asciicast v3 on its own (no pty, no server): the writer's header and interval times as
 * asciinema 3 writes them, the reader adding intervals up and skipping comments, the exit event,
 * markers, v2 ↔ v3 conversion both ways, and v3's own errors naming the line.
 */
import { describe, expect, it } from 'vitest';
import { CastError, CastWriter, convertCast, parseCast, playCastText, toV2Header, toV3Header } from '../../src/cast/index.js';

const clock = () => { let t = 0; return { now: () => t, advance: (ms: number) => { t += ms; } }; };

/** A v3 file as the spec's example writes it: comments, intervals, a marker, a resize, an exit. */
const SPEC_EXAMPLE = [
  '{"version": 3, "term": {"cols": 20, "rows": 3, "type": "xterm-256color"}, "timestamp": 1504467315, "title": "Demo", "env": {"SHELL": "/bin/zsh"}}',
  '# event stream follows the header',
  '[0.248, "o", "\\u001b[1;31mHello \\u001b[32mWorld!\\u001b[0m\\r\\n"]',
  '[1.001, "o", "That was ok\\rThis is better."]',
  '[3.500, "m", ""]',
  '[0.143, "o", " Now... "]',
  '# terminal window resized to 25 cols and 4 rows',
  '[2.050, "r", "25x4"]',
  '[1.541, "o", "Bye!"]',
  '[0.887, "x", "0"]',
  '',
].join('\n');

describe('CastWriter v3', () => {
  it('writes the term header and interval times as asciinema 3 does; events read back with times from the start', () => {
    const c = clock();
    const w = new CastWriter({ format: 'v3', width: 20, height: 3, command: 'bash', env: { TERM: 'xterm-256color', SHELL: '/bin/bash' }, maxBytes: 1 << 20, now: c.now, startedAt: new Date(1_700_000_000_500) });
    w.output(Buffer.from('$ '));
    c.advance(1500);
    w.input('ls\r');
    c.advance(250.0004);
    w.resize(30, 4);
    c.advance(12_300);
    expect(w.marker('chapter 1')).toBe(true);
    w.end(3);
    const text = w.toString('my title');
    const lines = text.split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({
      version: 3, term: { cols: 20, rows: 3, type: 'xterm-256color' }, timestamp: 1_700_000_000, command: 'bash', title: 'my title', env: { SHELL: '/bin/bash' },
    });
    // Intervals, trailing zeros dropped but one decimal kept (asciinema's format_time).
    expect(lines.slice(1)).toEqual([
      '[0.0, "o", "$ "]',
      '[1.5, "i", "ls\\r"]',
      '[0.25, "r", "30x4"]',
      '[12.3, "m", "chapter 1"]',
      '[0.0, "x", "3"]',
      '',
    ]);
    const { header, events } = parseCast(text);
    expect(header.version).toBe(3);
    expect(events.map((e) => [e.time, e.code, e.data])).toEqual([
      [0, 'o', '$ '], [1.5, 'i', 'ls\r'], [1.75, 'r', '30x4'], [14.05, 'm', 'chapter 1'], [14.05, 'x', '3'],
    ]);
    // The same events as v2: absolute times, the type back in env.TERM.
    const v2 = w.toString('my title', 'v2').split('\n');
    expect(JSON.parse(v2[0]!)).toEqual({ version: 2, width: 20, height: 3, timestamp: 1_700_000_000, command: 'bash', env: { TERM: 'xterm-256color', SHELL: '/bin/bash' }, title: 'my title' });
    expect(v2.slice(1, 6)).toEqual(['[0.000000, "o", "$ "]', '[1.500000, "i", "ls\\r"]', '[1.750000, "r", "30x4"]', '[14.050000, "m", "chapter 1"]', '[14.050000, "x", "3"]']);
  });

  it('counts the cap in v3 bytes and stops with one marker; nothing is recorded after the exit', () => {
    const w = new CastWriter({ format: 'v3', width: 10, height: 2, maxBytes: 2000 });
    for (let i = 0; i < 200; i++) w.output(Buffer.from(`line ${i}\r\n`));
    expect(w.truncated).toBe(true);
    expect(w.marker('late')).toBe(false);
    const text = w.toString();
    expect(Buffer.byteLength(text) - text.indexOf('\n') - 1).toBe(w.size);
    const { events } = parseCast(text);
    expect(events.filter((e) => e.code === 'm')).toHaveLength(1);
    const ended = new CastWriter({ format: 'v3', width: 10, height: 2, maxBytes: 1 << 20 });
    ended.output(Buffer.from('x'));
    ended.end(0);
    ended.output(Buffer.from('after'));
    expect(ended.marker('after')).toBe(false);
    expect(parseCast(ended.toString()).events.map((e) => e.code)).toEqual(['o', 'x']);
  });
});

describe('Cast reader v3', () => {
  it('reads the spec example: comments skipped, intervals added up, x kept', () => {
    const { header, events } = parseCast(SPEC_EXAMPLE);
    expect(header).toMatchObject({ version: 3, term: { cols: 20, rows: 3 } });
    expect(events.map((e) => e.code)).toEqual(['o', 'o', 'm', 'o', 'r', 'o', 'x']);
    expect(events.map((e) => Math.round(e.time * 1000))).toEqual([248, 1249, 4749, 4892, 6942, 8483, 9370]);
  });

  it('plays it: the screen at the end, and at a moment given in seconds from the start', () => {
    const at = (t?: number): string[] => {
      const p = playCastText(SPEC_EXAMPLE, { maxCols: 100, maxRows: 100, ...(t !== undefined && { at: t }) });
      try { return [`${p.terminal.cols}x${p.terminal.rows}`, ...p.terminal.screenLines()]; } finally { p.dispose(); }
    };
    expect(at(1.0)).toEqual(['20x3', 'Hello World!', '', '']);
    expect(at(5)).toEqual(['20x3', 'Hello World!', 'This is better. Now.', '..']);
    // Wider: the wrapped line is joined again (the reflow), and Bye! goes on from there.
    expect(at()).toEqual(['25x4', 'Hello World!', 'This is better. Now... By', 'e!', '']);
  });

  it.each([
    ['# comment\n{"version": 3, "term": {"cols": 8, "rows": 2}}\n', 'line 1: the first line must be the asciicast header, not a comment'],
    ['{"version": 3, "width": 8, "height": 2}\n', 'line 1: an asciicast v3 header needs a "term" object'],
    ['{"version": 3, "term": {"cols": 0, "rows": 2}}\n', 'line 1: the header\'s "term"."cols" must be a positive integer'],
    ['{"version": 3, "term": {"cols": 8, "rows": 2}, "tags": "demo"}\n', 'line 1: the header\'s "tags" must be an array of strings'],
    ['{"version": 3, "term": {"cols": 8, "rows": 2}}\n[0.1, "o", "a"]\n[-0.2, "o", "b"]\n', 'line 3: the event interval must be a number of seconds >= 0'],
    ['{"version": 3, "term": {"cols": 8, "rows": 2}}\n# ok\n[0.1, "o"]\n', 'line 3: an event must be a JSON array [interval, code, data]'],
  ])('%j → %s', (text, msg) => {
    let err: unknown;
    try { parseCast(text); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(CastError);
    expect((err as Error).message).toContain(msg);
  });
});

describe('v2 ↔ v3', () => {
  it('converts the spec example to v2 and back: same events, same times to the microsecond, header mapped', () => {
    const v2 = [...convertCast(SPEC_EXAMPLE, 'v2')].join('');
    const h2 = JSON.parse(v2.split('\n')[0]!);
    expect(h2).toEqual({ version: 2, width: 20, height: 3, timestamp: 1504467315, title: 'Demo', env: { SHELL: '/bin/zsh', TERM: 'xterm-256color' } });
    expect(v2.split('\n')[1]).toBe('[0.248000, "o", "\\u001b[1;31mHello \\u001b[32mWorld!\\u001b[0m\\r\\n"]');
    const back = [...convertCast(v2, 'v3')].join('');
    const a = parseCast(SPEC_EXAMPLE);
    const b = parseCast(back);
    expect(b.header).toEqual({ version: 3, term: { cols: 20, rows: 3, type: 'xterm-256color' }, timestamp: 1504467315, title: 'Demo', env: { SHELL: '/bin/zsh' } });
    expect(b.events).toEqual(a.events);
    expect(parseCast(v2).events).toEqual(a.events);
    // No drift over many small intervals (float sums would).
    const many = ['{"version": 3, "term": {"cols": 8, "rows": 2}}', ...Array.from({ length: 10_000 }, () => '[0.000001, "o", "."]'), ''].join('\n');
    const last = parseCast([...convertCast(many, 'v2')].join('')).events.at(-1)!;
    expect(last.time).toBe(0.01);
  });

  it('maps themes and unknown fields both ways', () => {
    const theme = { fg: '#d0d0d0', bg: '#212121', palette: '#151515:#ac4142:#7e8e50:#e5b567:#6c99bb:#9f4e85:#7dd6cf:#d0d0d0' };
    const v3 = toV3Header({ version: 2, width: 80, height: 24, theme, idle_time_limit: 2, env: { TERM: 'xterm', SHELL: '/bin/sh' }, extra: 1 });
    expect(v3).toEqual({ version: 3, term: { cols: 80, rows: 24, type: 'xterm', theme }, idle_time_limit: 2, env: { SHELL: '/bin/sh' }, extra: 1 });
    expect(toV2Header(v3)).toEqual({ version: 2, width: 80, height: 24, theme, idle_time_limit: 2, env: { TERM: 'xterm', SHELL: '/bin/sh' }, extra: 1 });
  });
});
