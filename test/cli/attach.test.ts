/**
 * `termpool attach` through the real binary, run inside a real pty (node-pty) so that its stdin
 * is a terminal, against a real server: the first screen shows what the session already printed,
 * output typed through the REST API streams in, a read-only attach never types into the session
 * (checked on the session's own screen), --write does, the detach key ends with exit 0 and
 * leaves the session running, the program's exit ends it, and the tty is back in cooked mode
 * afterwards (`stty -a` run by the same shell in the same pty). Usage errors exit 2. A session
 * printing clipboard/palette/title OSCs, DCS/APC strings and every kind of terminal query gets
 * none of them through to the attached terminal, while the text and colours around them arrive.
 */
import { spawn as spawnChild } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pty from 'node-pty';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { term } from '../helpers/term.js';
import { runRoot } from '../helpers/suite.js';
import { HOSTILE } from './hostile-output.js';

const BIN = fileURLToPath(new URL('../../bin/termpool.js', import.meta.url));
const DETACH = '\x1c'; // Ctrl-\

let sp: ServerProcess;
const ptys = new Set<pty.IPty>();

beforeAll(async () => {
  sp = await spawnServer({ TERMPOOL_TOKEN: 'attach-test-token' });
});

afterEach(() => {
  for (const p of ptys) { try { p.kill('SIGKILL'); } catch { /* gone */ } }
  ptys.clear();
});

afterAll(async () => {
  await sp?.stop();
});

const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** A bash session that has printed `marker`, at its prompt. */
async function bashSession(marker: string): Promise<string> {
  const s = await sp.client.createSession({ command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' }, cols: 80, rows: 24 });
  await sp.client.sendText(s.id, `echo ${marker}-$((40+2))\r`);
  expect((await sp.client.wait(s.id, { text: `${marker}-42`, timeoutMs: 10_000 })).satisfied).toBe(true);
  return s.id;
}

interface Attached {
  p: pty.IPty;
  output(): string;
  until(pred: (out: string) => boolean, what: string, ms?: number): Promise<void>;
  exited: Promise<number>;
}

/** `attach` inside a pty, under bash so that `rc=` and `stty -a` follow in the same terminal. */
function attach(args: string[], size = { cols: 80, rows: 24 }): Attached {
  const cmd = `node ${sq(BIN)} attach ${args.map(sq).join(' ')}; echo "rc=$?"; stty -a; echo STTY-END`;
  const p = pty.spawn('bash', ['--norc', '--noprofile', '-c', cmd], {
    ...size, cwd: process.cwd(),
    env: { ...process.env, TERMPOOL_URL: sp.url, TERMPOOL_TOKEN: sp.token } as Record<string, string>,
  });
  ptys.add(p);
  let out = '';
  p.onData((d) => { out += d; });
  const exited = new Promise<number>((resolve) => p.onExit(({ exitCode }) => { ptys.delete(p); resolve(exitCode); }));
  return {
    p,
    output: () => out,
    async until(pred, what, ms = 10_000) {
      for (const end = Date.now() + ms; !pred(out);) {
        if (Date.now() > end) throw new Error(`attach did not show ${what} in ${ms} ms; output: ${JSON.stringify(out)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    exited,
  };
}

/** The tty modes of `stty -a` (after the attach ended) say it is cooked again. */
function expectCooked(out: string): void {
  const stty = out.slice(out.lastIndexOf('rc='));
  expect(stty).toMatch(/(^|\s)icanon(\s|$)/);
  expect(stty).toMatch(/(^|\s)echo(\s|$)/);
  expect(stty).not.toMatch(/-icanon|-echo(\s|$)/);
}

describe('termpool attach', () => {
  it('read-only: shows the screen, streams output, sends no keys but the detach key, restores the tty', async () => {
    const id = await bashSession('EXISTING');
    const a = attach([id]);
    await a.until((o) => o.includes('EXISTING-42'), 'the existing screen');
    expect(a.output()).toContain('read-only');
    expect(a.output()).toContain('C-\\ detaches');

    await sp.client.sendText(id, 'echo STREAMED-$((1+1))\r');
    await a.until((o) => o.includes('STREAMED-2'), 'new output');

    // Typed into the attach terminal: must not reach the session. The bell says attach read them.
    const bells = a.output().split('\x07').length;
    a.p.write('echo LEAK-$((6*7))\r');
    await a.until((o) => o.split('\x07').length > bells, 'a bell for the refused keys');
    // Something typed afterwards through the API has arrived; the keys would have come before it.
    await sp.client.sendText(id, 'echo AFTER-$((3*3))\r');
    expect((await sp.client.wait(id, { text: 'AFTER-9', timeoutMs: 10_000 })).satisfied).toBe(true);
    expect(await sp.client.screen(id)).not.toContain('LEAK');

    a.p.write(DETACH);
    await a.until((o) => o.includes('STTY-END'), 'stty -a after the attach ended');
    expect(a.output()).toContain(`[detached from ${id}]`);
    expect(a.output()).toContain('rc=0');
    expectCooked(a.output());
    expect(await a.exited).toBe(0);
    expect((await sp.client.getSession(id)).state).toBe('running');
    await sp.client.deleteSession(id);
  });

  it('draws the session\'s screen as it is (text, colours, cursor); a taller terminal gets the notice below it', async () => {
    const id = await bashSession('DRAWN');
    await sp.client.sendText(id, "printf '\\033[31mRED\\033[0m plain\\n'\r");
    expect((await sp.client.wait(id, { regex: '^RED plain$', timeoutMs: 10_000 })).satisfied).toBe(true);
    expect((await sp.client.wait(id, { stableMs: 200, timeoutMs: 10_000 })).satisfied).toBe(true);
    const a = attach([id], { cols: 80, rows: 30 });
    await a.until((o) => o.includes('RED') && o.includes('\x1b8'), 'the first draw and its status line');
    const out = a.output();
    // The local terminal, replayed: the session's rows at the top, the notice under them.
    const local = term({ cols: 80, rows: 30 }).write(out);
    const snap = await sp.client.screen(id, { format: 'json' });
    expect(local.screenLines().slice(0, 24)).toEqual(snap.lines.map((l) => l.text));
    expect(local.screenLines()[24]).toBe(`[${id} read-only | C-\\ detaches | session 80x24, terminal 80x30]`);
    expect(out).toContain(`[attached to ${id}, read-only: keys are not sent (--write takes over); C-\\ detaches; session is 80x24, this terminal 80x30]`);
    expect(local.pos).toEqual([snap.cursor.row, snap.cursor.col]);
    expect(out.slice(out.lastIndexOf('\x1b[2J'))).toMatch(/\x1b\[[0-9;]*31m(\x1b\[[0-9;]*m)*RED/);
    expect(out).toContain('\x1b[1;24r');
    a.p.write(DETACH);
    await a.until((o) => o.includes('STTY-END'), 'stty -a after the attach ended');
    expect(a.output()).toContain('rc=0');
    await sp.client.deleteSession(id);
  });

  it('--write: keys reach the session; the program exiting ends attach with its exit code', async () => {
    const id = await bashSession('WRITER');
    const a = attach([id, '--write']);
    await a.until((o) => o.includes('WRITER-42'), 'the existing screen');
    a.p.write('echo TYPED-$((2+3))\r');
    expect((await sp.client.wait(id, { text: 'TYPED-5', timeoutMs: 10_000 })).satisfied).toBe(true);
    await a.until((o) => o.includes('TYPED-5'), 'the echo of typed keys');

    a.p.write('exit 7\r');
    await a.until((o) => o.includes('STTY-END'), 'stty -a after the attach ended');
    expect(a.output()).toContain(`[session ${id} exited with 7]`);
    expect(a.output()).toContain('rc=0');
    expectCooked(a.output());
    await sp.client.deleteSession(id);
  });

  it('--write --resize: the session takes this terminal\'s size, and follows it', async () => {
    const id = await bashSession('RESIZED');
    const a = attach([id, '--write', '--resize'], { cols: 100, rows: 30 });
    await a.until((o) => o.includes('RESIZED-42'), 'the existing screen');
    const size = async (): Promise<string> => { const s = await sp.client.getSession(id); return `${s.cols}x${s.rows}`; };
    for (const end = Date.now() + 10_000; await size() !== '100x30' && Date.now() < end;) await new Promise((r) => setTimeout(r, 25));
    expect(await size()).toBe('100x30');
    a.p.resize(90, 28);
    for (const end = Date.now() + 10_000; await size() !== '90x28' && Date.now() < end;) await new Promise((r) => setTimeout(r, 25));
    expect(await size()).toBe('90x28');
    a.p.write(DETACH);
    await a.until((o) => o.includes('STTY-END'), 'stty -a after the attach ended');
    expect(a.output()).toContain('rc=0');
    await sp.client.deleteSession(id);
  });

  it('--write on vim: the alternate screen and its key modes are set locally, typing edits, :q! ends attach', async () => {
    const s = await sp.client.createSession({ command: 'vim', args: ['-u', 'NONE', '-N', '-n'], cols: 80, rows: 24 });
    expect((await sp.client.wait(s.id, { regex: '^~', stableMs: 200, timeoutMs: 10_000 })).satisfied).toBe(true);
    const snap = await sp.client.screen(s.id, { format: 'json' });
    const a = attach([s.id, '--write']);
    // The first draw is one write, but may arrive in several pty reads: wait for its input modes too.
    await a.until((o) => o.includes('\x1b[2J') && o.includes('~') && o.includes('\x1b[?1h'), 'vim\'s screen and its key modes');
    expect(snap.modes.alternateScreen).toBe(true);
    expect(a.output()).toContain('\x1b[?1049h');
    expect(snap.modes.applicationCursorKeys).toBe(true);
    expect(a.output()).toContain('\x1b[?1h');
    a.p.write('iattached-edit\x1b');
    expect((await sp.client.wait(s.id, { text: 'attached-edit', timeoutMs: 10_000 })).satisfied).toBe(true);
    a.p.write(':q!\r');
    await a.until((o) => o.includes('STTY-END'), 'stty -a after the attach ended');
    expect(a.output()).toContain(`[session ${s.id} exited with 0]`);
    // The local terminal is back on its main screen, with keys in normal mode.
    const tail = a.output().slice(a.output().lastIndexOf('attached-edit'));
    expect(tail).toContain('\x1b[?1049l');
    expect(tail).toContain('\x1b[?1l');
    expectCooked(a.output());
    await sp.client.deleteSession(s.id);
  });

  it('--write: hostile sequences in the output never reach the local terminal; the text and SGR around them do', async () => {
    // What a program in the session prints: each sequence between coloured markers, from a file
    // (so the command line echoed before it holds none of the bytes).
    const dir = mkdtempSync(path.join(runRoot() ?? tmpdir(), 'attach-hostile-'));
    try {
      const file = path.join(dir, 'hostile.out');
      const line = (i: number, seq: string): string => `\x1b[3${i % 8}mH${i}[${seq}]H${i}\x1b[0m\r\n`;
      writeFileSync(file, HOSTILE.map(([, seq], i) => line(i, seq)).join('') + 'HOSTILE-DONE\r\n');
      const id = await bashSession('TAKEOVER');
      const a = attach([id, '--write']);
      await a.until((o) => o.includes('TAKEOVER-42'), 'the existing screen');
      const drawn = a.output().length;
      a.p.write(`cat ${file}\r`); // take-over mode: the command is typed through attach
      // Line ends arrive as \r\r+\n: both ptys (the session's, this one) turn \n into \r\n.
      await a.until((o) => /HOSTILE-DONE\r+\n/.test(o.slice(drawn)), 'the hostile output');
      const streamed = a.output().slice(drawn);
      HOSTILE.forEach(([name, seq], i) => {
        expect(streamed, name).toContain(`\x1b[3${i % 8}mH${i}[]H${i}\x1b[0m\r`);
        expect(streamed.includes(seq), `${name} reached the local terminal`).toBe(false);
      });
      for (const s of ['pwned', 'ZWNobyBwd25lZAo=', '\x1b]52', '\x1bP', '\x1b_', '\x1b^', '\x05']) {
        expect(streamed.includes(s), JSON.stringify(s)).toBe(false);
      }
      // The session did print them all: its own terminal parsed the same output.
      expect((await sp.client.wait(id, { text: 'HOSTILE-DONE', timeoutMs: 10_000 })).satisfied).toBe(true);
      a.p.write(DETACH);
      await a.until((o) => o.includes('STTY-END'), 'stty -a after the attach ended');
      expect(a.output()).toContain('rc=0');
      await sp.client.deleteSession(id);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SIGTERM detaches: exit 0, the tty restored, the session running', async () => {
    const id = await bashSession('SIGNALLED');
    const a = attach([id, '--write']);
    await a.until((o) => o.includes('SIGNALLED-42'), 'the existing screen');
    // The attach process: the only child of the pty's bash.
    const [pid] = readFileSync(`/proc/${a.p.pid}/task/${a.p.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    process.kill(pid!, 'SIGTERM');
    await a.until((o) => o.includes('STTY-END'), 'stty -a after the attach ended');
    expect(a.output()).toContain(`[detached from ${id}]`);
    expect(a.output()).toContain('rc=0');
    expectCooked(a.output());
    expect((await sp.client.getSession(id)).state).toBe('running');
    await sp.client.deleteSession(id);
  });

  it('--detach-key picks another key; keys before it in the same read still go to the session', async () => {
    const id = await bashSession('KEYED');
    const a = attach([id, '--write', '--detach-key', 'C-]']);
    await a.until((o) => o.includes('KEYED-42'), 'the existing screen');
    a.p.write(DETACH); // Ctrl-\ is an ordinary key now: bash ignores it (no tty signal in the session: raw mode here only)
    a.p.write('echo LAST-$((5+5))\r\x1d');
    await a.until((o) => o.includes('STTY-END'), 'stty -a after the attach ended');
    expect(a.output()).toContain(`[detached from ${id}]`);
    expect((await sp.client.wait(id, { text: 'LAST-10', timeoutMs: 10_000 })).satisfied).toBe(true);
    expectCooked(a.output());
    await sp.client.deleteSession(id);
  });
});

function cli(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(process.execPath, [BIN, 'attach', ...args], {
      env: { ...process.env, TERMPOOL_URL: '', TERMPOOL_TOKEN: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

describe('termpool attach: errors', () => {
  it('usage errors exit 2 with one line', async () => {
    for (const [args, msg] of [
      [[], 'missing session ID'],
      [['abc'], 'needs --url'],
      [['abc', '--url', 'http://127.0.0.1:1', '--bogus'], "Unknown option '--bogus'"],
      [['abc', '--url', 'http://127.0.0.1:1', '--resize'], '--resize goes with --write'],
      [['abc', '--url', 'http://127.0.0.1:1', '--detach-key', 'x'], '--detach-key must be'],
    ] as const) {
      const r = await cli([...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('--write without a terminal on stdin exits 2', async () => {
    const id = await bashSession('NOTTY');
    const r = await cli([id, '--write', '--url', sp.url, '--token', sp.token]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--write needs a terminal');
    await sp.client.deleteSession(id);
  });

  it('an unknown session or a bad token exits 2; a server that is not there exits 1', async () => {
    const unknown = await cli(['nosuchsession', '--url', sp.url, '--token', sp.token]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^termpool: attach: session nosuchsession: .*\n$/);
    const id = await bashSession('TOKEN');
    const bad = await cli([id, '--url', sp.url, '--token', 'wrong']);
    expect(bad.status).toBe(2);
    await sp.client.deleteSession(id);
    const gone = await cli(['abc', '--url', 'http://127.0.0.1:1']);
    expect(gone.status).toBe(1);
    expect(gone.stderr).toMatch(/^termpool: attach: cannot reach http:\/\/127\.0\.0\.1:1: .*\n$/);
  });

  it('a server that goes away ends attach with one line and exit 1, the tty restored', async () => {
    const other = await spawnServer();
    const s = await other.client.createSession({ command: 'sleep', args: ['60'] });
    const a = attach([s.id, '--url', other.url, '--token', other.token]);
    await a.until((o) => o.includes('\x1b[H\x1b[2J'), 'the first draw (connected)');
    other.child.kill('SIGKILL'); // no shutdown: the socket just drops
    await other.exited;
    try { process.kill(s.pid, 'SIGKILL'); } catch { /* contained and gone with the server */ }
    await a.until((o) => o.includes('STTY-END'), 'stty -a after the attach ended');
    expect(a.output()).toMatch(/termpool: attach: connection to http:\/\/127\.0\.0\.1:\d+ lost \(\d+[^)]*\)\r\n/);
    expect(a.output()).toContain('rc=1');
    expectCooked(a.output());
    const refused = await cli([s.id, '--url', other.url]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(`termpool: attach: cannot reach ${other.url}: ECONNREFUSED\n`);
  });

  it('read-only without a terminal watches; the program exiting ends it with exit 0', async () => {
    const id = await bashSession('PIPED');
    const child = cli([id, '--url', sp.url, '--token', sp.token]);
    await new Promise((r) => setTimeout(r, 500));
    await sp.client.sendText(id, 'exit 3\r');
    const r = await child;
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('PIPED-42');
    expect(r.stdout).toContain(`[session ${id} exited with 3]`);
    await sp.client.deleteSession(id);
  });
});
