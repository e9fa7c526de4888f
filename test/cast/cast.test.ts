/**
 * The asciicast writer, reader and player on their own (no pty, no server): UTF-8 split across
 * chunks, the size cap, and the reader's error messages with line numbers.
 */
import { describe, expect, it } from 'vitest';
import { CastError, CastWriter, RecordingBudget, TOTAL_TRUNCATED_MARKER, TRUNCATED_MARKER, commandLine, parseCast, playCastText } from '../../src/cast/index.js';

const clock = () => { let t = 0; return { now: () => t, advance: (ms: number) => { t += ms; } }; };

describe('CastWriter', () => {
  it('writes a v2 header and timed o/i/r events that read back', () => {
    const c = clock();
    const w = new CastWriter({ width: 20, height: 3, command: 'bash', env: { TERM: 'xterm-256color' }, maxBytes: 1 << 20, now: c.now, startedAt: new Date(1_700_000_000_500) });
    w.output(Buffer.from('$ '));
    c.advance(1500);
    w.input('ls\r');
    c.advance(250);
    w.resize(30, 4);
    const { header, events } = parseCast(w.toString('my title'));
    expect(header).toEqual({ version: 2, width: 20, height: 3, timestamp: 1_700_000_000, command: 'bash', env: { TERM: 'xterm-256color' }, title: 'my title' });
    expect(events).toEqual([
      { time: 0, code: 'o', data: '$ ' },
      { time: 1.5, code: 'i', data: 'ls\r' },
      { time: 1.75, code: 'r', data: '30x4' },
    ]);
  });

  it('carries a multi-byte character split across chunks to the next event', () => {
    const w = new CastWriter({ width: 10, height: 2, maxBytes: 1 << 20 });
    const bytes = Buffer.from('aé中😀b', 'utf8');
    // Split inside é (2 bytes), inside 中 (3 bytes) and inside 😀 (4 bytes).
    const cuts = [2, 5, 9, bytes.length];
    let from = 0;
    for (const to of cuts) { w.output(bytes.subarray(from, to)); from = to; }
    const { events } = parseCast(w.toString());
    expect(events.map((e) => e.data)).toEqual(['a', 'é', '中', '😀b']);
    expect(events.map((e) => e.data).join('')).not.toContain('\uFFFD');
  });

  it('stops at the cap with one marker event and says so', () => {
    const w = new CastWriter({ width: 10, height: 2, maxBytes: 2000 });
    for (let i = 0; i < 200; i++) w.output(Buffer.from(`line ${i}\r\n`));
    expect(w.truncated).toBe(true);
    const text = w.toString();
    const { events } = parseCast(text);
    const last = events[events.length - 1]!;
    expect(last.code).toBe('m');
    expect(last.data).toContain(TRUNCATED_MARKER);
    expect(events.filter((e) => e.code === 'm')).toHaveLength(1);
    expect(w.size).toBeLessThanOrEqual(2000 + 120);
    expect(events.length).toBeLessThan(200);
  });

  it('shares one total budget: the recording that would pass it stops, marked; a released one gives its bytes back', () => {
    const budget = new RecordingBudget(3000);
    const a = new CastWriter({ width: 10, height: 2, maxBytes: 1 << 20, budget });
    const b = new CastWriter({ width: 10, height: 2, maxBytes: 1 << 20, budget });
    for (let i = 0; i < 40; i++) a.output(Buffer.from(`a line ${i}\r\n`));
    expect(a.truncated).toBe(false);
    const aBytes = a.size;
    expect(budget.bytes).toBe(aBytes);
    for (let i = 0; i < 200; i++) b.output(Buffer.from(`b line ${i}\r\n`));
    expect(b.truncated).toBe(true);
    const last = parseCast(b.toString()).events.at(-1)!;
    expect(last.code).toBe('m');
    expect(last.data).toContain(TOTAL_TRUNCATED_MARKER);
    // Both together stay at the total plus one marker.
    expect(budget.bytes).toBe(a.size + b.size);
    expect(budget.bytes).toBeLessThanOrEqual(3000 + 150);
    // a keeps recording only what still fits; once b is dropped, its bytes are free again.
    b.release();
    b.release();
    expect(budget.bytes).toBe(a.size);
    const c = new CastWriter({ width: 10, height: 2, maxBytes: 1 << 20, budget });
    c.output(Buffer.from('fits now\r\n'));
    expect(c.truncated).toBe(false);
    a.release(); c.release();
    expect(budget.bytes).toBe(0);
  });

  it('quotes the command line for the header', () => {
    expect(commandLine('bash', ['-c', "echo 'hi' there"])).toBe(`bash -c 'echo '\\''hi'\\'' there'`);
    expect(commandLine('vim', ['-u', 'NONE'])).toBe('vim -u NONE');
  });
});

describe('Cast reader: errors name the line', () => {
  const bad = (text: string): CastError => {
    try { parseCast(text); } catch (err) { return err as CastError; }
    throw new Error('parsed');
  };
  it.each([
    ['', 'empty'],
    ['not json\n', 'line 1: the header is not valid JSON'],
    ['{"version": 1, "width": 80, "height": 24}\n', 'line 1: unsupported asciicast version 1'],
    ['{"version": 4, "term": {"cols": 80, "rows": 24}}\n', 'line 1: unsupported asciicast version 4: versions 2 and 3 are supported'],
    ['{"version": 2, "width": 0, "height": 24}\n', `line 1: the header's "width" must be a positive integer`],
    ['{"version": 2, "width": 8, "height": 2}\n[0.1, "o", "a"]\n[0.2, "o"]\n', 'line 3: an event must be a JSON array'],
    ['{"version": 2, "width": 8, "height": 2}\n[0.1, "o", "a"]\n{"x": 1\n', 'line 3: not valid JSON'],
    ['{"version": 2, "width": 8, "height": 2}\n["0.1", "o", "a"]\n', 'line 2: the event time must be a number'],
    ['{"version": 2, "width": 8, "height": 2}\n[0.5, "o", "a"]\n[0.1, "o", "b"]\n', 'line 3: the event time 0.1 is before'],
    ['{"version": 2, "width": 8, "height": 2}\n[0.5, "o", 7]\n', 'line 2: the event data must be a string'],
  ])('%j → %s', (text, msg) => {
    const e = bad(text);
    expect(e).toBeInstanceOf(CastError);
    expect(e.message).toContain(msg);
  });

  it('a bad resize event is reported by the player with its line', () => {
    const text = '{"version": 2, "width": 8, "height": 2}\n\n[0.1, "o", "a"]\n[0.2, "r", "wide"]\n';
    expect(() => playCastText(text, { maxCols: 100, maxRows: 100 })).toThrow(/line 4: a resize event's data must be "COLSxROWS"/);
    const big = '{"version": 2, "width": 8, "height": 2}\n[0.2, "r", "1000x2"]\n';
    expect(() => playCastText(big, { maxCols: 100, maxRows: 100 })).toThrow(/line 2: resize 1000x2 is outside the limits/);
  });
});

describe('CastPlayer', () => {
  const cast = [
    '{"version": 2, "width": 10, "height": 2}',
    '[0.5, "o", "one\\r\\n"]',
    '[1.0, "i", "ignored"]',
    '[1.5, "o", "two"]',
    '[2.0, "r", "5x2"]',
    '[2.5, "m", "note"]',
    '',
  ].join('\n');
  it('replays output up to `at`, and resizes', () => {
    const lines = (at?: number): string[] => {
      const p = playCastText(cast, { maxCols: 100, maxRows: 100, ...(at !== undefined && { at }) });
      try { return [`${p.terminal.cols}x${p.terminal.rows}`, ...p.terminal.screenLines()]; } finally { p.dispose(); }
    };
    expect(lines(0.1)).toEqual(['10x2', '', '']);
    expect(lines(0.5)).toEqual(['10x2', 'one', '']);
    expect(lines(1.9)).toEqual(['10x2', 'one', 'two']);
    expect(lines()).toEqual(['5x2', 'one', 'two']);
  });
});
