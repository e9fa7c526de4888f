/**
 * `termpool tape`: VHS tapes run headless through the real CLI (bin shim → dist/), a real bash
 * under a pty. The golden tape's .txt is compared byte for byte with a hand-checked file in
 * VHS's layout (test/fixtures/tapes/golden.expected.txt); its .cast replays (termpool render) to
 * the last frame; its Screenshot is a PNG of the tape's size with the prompt drawn. Errors:
 * Wait timeout (exit 1, the line named), Require of a missing program and syntax errors
 * (exit 2, file:line:column, nothing run).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng, pixel } from '../render/png-decode.js';
import { decodeGif } from '../render/gif-decode.js';

const BIN = fileURLToPath(new URL('../../bin/termpool.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/tapes/', import.meta.url));
const SEPARATOR = '─'.repeat(80);

let dir: string;

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  if (res.error) throw res.error;
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

function tape(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'termpool-tape-test-'));
  cpSync(FIXTURES, dir, { recursive: true });
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('termpool tape: a golden-file tape', () => {
  let run: ReturnType<typeof cli>;
  beforeAll(() => { run = cli(['tape', 'golden.tape']); }, 90_000);

  it('writes the .txt frames VHS writes: every row trimmed, 80 ─ between frames, none while hidden', () => {
    expect(run.stderr).toContain('golden.tape:11:1: Set FontFamily only changes how VHS\'s video looks: ignored');
    expect(run.status).toBe(0);
    const got = readFileSync(join(dir, 'golden.txt'), 'utf8');
    expect(got).toBe(readFileSync(join(FIXTURES, 'golden.expected.txt'), 'utf8'));
    // Env, Wait, Show, Show, Show (sourced), Screenshot: the hidden Type/Enter/Ctrl+L/Waits took none.
    expect(got.split(`${SEPARATOR}\n`).length - 1).toBe(6);
    // The sourced tape's Output was dropped, as VHS drops it.
    expect(existsSync(join(dir, 'ignored.txt'))).toBe(false);
  });

  it('writes a .cast that termpool render replays to the last frame', () => {
    const cast = readFileSync(join(dir, 'golden.cast'), 'utf8').split('\n');
    const header = JSON.parse(cast[0]!) as { version: number; width: number; height: number };
    expect(header).toMatchObject({ version: 2, width: 50, height: 5 });
    for (const line of cast.slice(1).filter(Boolean)) expect(JSON.parse(line)).toHaveLength(3);
    // What the hidden commands echoed is not in it: the Show redraws the screen instead.
    const events = cast.slice(1).filter(Boolean).map((l) => JSON.parse(l) as [number, string, string]);
    const withPrintf = events.filter(([, , data]) => data.includes('printf'));
    expect(withPrintf.length).toBeGreaterThan(0);
    for (const [, , data] of withPrintf) expect(data.startsWith('\x1b[H\x1b[2J')).toBe(true);
    const r = cli(['render', 'golden.cast']);
    expect(r.status).toBe(0);
    const frames = readFileSync(join(dir, 'golden.txt'), 'utf8').split(`${SEPARATOR}\n`);
    expect(r.stdout).toBe(frames[frames.length - 2]);
  });

  it('writes a .gif drawn from the same recording: the animation encoder\'s GIF of golden.cast, frame by frame', async () => {
    const { renderAnimation } = await import('../../src/render/animation/index.js');
    const gif = readFileSync(join(dir, 'golden.gif'));
    const again = renderAnimation(readFileSync(join(dir, 'golden.cast'), 'utf8'), { format: 'gif', fontSize: 20, theme: 'xterm', fps: 50, maxCols: 1000, maxRows: 1000 });
    expect(Buffer.from(again.body as Uint8Array).equals(gif)).toBe(true);
    const d = decodeGif(gif);
    expect(d.frames.length).toBeGreaterThanOrEqual(2);
    expect([d.width, d.height]).toEqual([again.width, again.height]);
  });

  it('Screenshot writes a PNG of the tape\'s size (cols×12 + 2×20 by rows×28 + 2×20) with text drawn', () => {
    const png = decodePng(readFileSync(join(dir, 'shot.png')));
    expect([png.width, png.height]).toEqual([50 * 12 + 40, 5 * 28 + 40]);
    const bg = pixel(png, 1, 1);
    let drawn = 0;
    for (let y = 0; y < png.height; y++) for (let x = 0; x < png.width; x++) if (pixel(png, x, y) !== bg) drawn++;
    expect(drawn).toBeGreaterThan(500);
  });
});

describe('termpool tape: keys', () => {
  it('Backspace, Left@5ms 2, Alt+x, Tab, Space, Ctrl+A, Shift+q and Copy/Paste send the bytes xterm sends', () => {
    const r = cli(['tape', 'keys.tape']);
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'keys.txt'), 'utf8')).toBe(
      '> stty -icanon -echo; cat -vT\nab^?^[[D^[[D^[x^I ^AQfrom the clipboard\n\n>\n\n' + SEPARATOR + '\n');
  }, 60_000);
});

describe('termpool tape: Hide first, HOME, late Set', () => {
  it('a tape starting hidden takes no frame until Show; the shell\'s HOME is a fresh temp dir, removed after; a late Set is ignored with a note', () => {
    const r = cli(['tape', tape('home.tape', 'Output h.txt\nSet TypingSpeed 1ms\nHide\nType \'echo "home=$HOME"\' Enter\nWait\nShow\nSet Width 100\n')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('home.tape:7:1: Set Width after the first command is ignored (VHS too): move it to the top');
    const frames = readFileSync(join(dir, 'h.txt'), 'utf8').split(`${SEPARATOR}\n`);
    expect(frames).toHaveLength(2); // one frame (Show), then the empty rest after its separator
    const home = /^home=(\S+)$/m.exec(frames[0]!)?.[1];
    expect(home).toMatch(/termpool-tape-home-/);
    expect(home!.startsWith(tmpdir())).toBe(true);
    expect(existsSync(home!)).toBe(false);
  }, 60_000);
});

describe('termpool tape: errors', () => {
  it('a Wait that never matches fails after its timeout, naming its line; the frames so far are written', () => {
    const r = cli(['tape', tape('timeout.tape', 'Output t.txt\nSet TypingSpeed 1ms\nWait\nWait+Screen@300ms /never-shown/\nType "not reached"\n')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('timeout.tape:4:1: Wait+Screen timed out after 300 ms: /never-shown/ did not match the screen');
    // The first Wait (default pattern />$/ on the prompt's line) succeeded and took a frame.
    expect(readFileSync(join(dir, 't.txt'), 'utf8')).toMatch(new RegExp(`^>\\n(\\n)+${SEPARATOR}\\n$`));
  }, 60_000);

  it('Require of a missing program fails before anything runs (exit 2, the line named)', () => {
    const r = cli(['tape', tape('require.tape', 'Output r.txt\nRequire bash\nRequire termpool-no-such-program\nType "x"\n')]);
    expect(r).toMatchObject({ status: 2, stderr: "termpool: tape: require.tape:3:1: Require: 'termpool-no-such-program' was not found in PATH\n" });
    expect(existsSync(join(dir, 'r.txt'))).toBe(false);
  });

  it('syntax errors are all reported with line:column, exit 2, and nothing runs', () => {
    const r = cli(['tape', tape('bad.tape', 'Output b.txt\nType "ok"\nSleep\nWait+Foo /x/\n  Ctrl+\nSet Nope 3\nOutput movie.mp4\nType "unterminated\nScrollUp 3\n')]);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'termpool: tape: bad.tape:3:1: expected a time after Sleep (500ms, 2s, 1m)',
      'termpool: tape: bad.tape:4:6: Wait+ expects Line or Screen',
      'termpool: tape: bad.tape:5:3: expected Ctrl+<key>',
      'termpool: tape: bad.tape:6:5: unknown setting: Nope',
      'termpool: tape: bad.tape:7:8: Output .mp4 is not supported by termpool tape (.txt, .ascii, .cast, .gif, or a directory/ for PNG frames)',
      'termpool: tape: bad.tape:8:6: unterminated string (closing quote missing on this line)',
      'termpool: tape: bad.tape:9:1: ScrollUp is not supported by termpool tape',
    ]);
    expect(existsSync(join(dir, 'b.txt'))).toBe(false);
  });

  it('PNG frames: Output dir/ gets numbered frames of the same size', () => {
    const r = cli(['tape', tape('frames.tape', 'Output frames/\nSet Framerate 10\nSet Width 400\nSet Height 150\nSet Padding 10\nWait\nSleep 300ms\n')]);
    expect(r.status).toBe(0);
    const files = readdirSync(join(dir, 'frames')).sort();
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(files[0]).toBe('frame-00001.png');
    const png = decodePng(readFileSync(join(dir, 'frames', files[files.length - 1]!)));
    expect([png.width, png.height]).toEqual([Math.floor(380 / 13.2) * 13 + 20, Math.floor(130 / 30.8) * 31 + 20]);
  }, 60_000);
});

describe('tape parser (VHS syntax)', async () => {
  const { parseTape } = await import('../../src/tape/parser.js');
  const body = (text: string): unknown[] => {
    const p = parseTape(text, 't.tape');
    expect(p.errors.map((e) => e.message)).toEqual([]);
    return p.commands.map(({ loc: _loc, ...c }) => c);
  };

  it('reads commands with VHS\'s defaults and forms', () => {
    expect(body([
      '# comment', 'Type@120ms "a b" c \'d\'', 'Backspace', 'Enter@1s 3', 'Sleep 2', 'Sleep .5s', 'Sleep 1m', 'Sleep 250ms',
      'Ctrl+Alt+Shift+P', 'Ctrl+[', 'Alt+Enter', 'Shift+Tab', 'Wait', 'Wait+Screen@2s /a b/', 'Set TypingSpeed 10ms',
      'Set Theme { "background": "#000000" }', 'Env FOO bar', 'Paste',
    ].join('\n'))).toEqual([
      { kind: 'type', text: 'a b c d', delayMs: 120 },
      { kind: 'key', key: 'Backspace', repeat: 1 },
      { kind: 'key', key: 'Enter', repeat: 3, delayMs: 1000 },
      { kind: 'sleep', ms: 2000 },
      { kind: 'sleep', ms: 500 },
      { kind: 'sleep', ms: 60_000 },
      { kind: 'sleep', ms: 250 },
      { kind: 'chord', keys: ['C-M-S-p'], source: 'Ctrl+Alt+Shift+P' },
      { kind: 'chord', keys: ['C-['], source: 'Ctrl+[' },
      { kind: 'chord', keys: ['M-Enter'], source: 'Alt+Enter' },
      { kind: 'chord', keys: ['S-Tab'], source: 'Shift+Tab' },
      { kind: 'wait', scope: 'Line' },
      { kind: 'wait', scope: 'Screen', timeoutMs: 2000, regex: /a b/ },
      { kind: 'set', name: 'TypingSpeed', value: '10ms' },
      { kind: 'set', name: 'Theme', value: '{ "background": "#000000" }' },
      { kind: 'env', name: 'FOO', value: 'bar' },
      { kind: 'paste' },
    ]);
  });

  it('names the line and column of what it cannot take', () => {
    const p = parseTape('Type "x"\n\nHome\nSet Theme "Nope"\nWait /(/\nSet Width 3\nOutput frames', 't.tape');
    expect(p.errors.map((e) => e.message)).toEqual([
      't.tape:3:1: invalid command: Home',
      expect.stringMatching(/^t\.tape:4:11: unknown theme "Nope"/),
      expect.stringMatching(/^t\.tape:5:6: invalid regular expression \/\(\/: /),
      't.tape:6:11: Width must be an integer from 50 to 20000, got 3',
      't.tape:7:8: Output without an extension must be a directory ending in / (PNG frames)',
    ]);
  });
});
