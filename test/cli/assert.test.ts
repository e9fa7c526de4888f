/**
 * `termpool assert` through the real binary (bin shim → dist/): against a session of a real
 * server and against a cast that server recorded, exit 0 on a match, 1 on a difference (the diff
 * on stderr, both PNGs beside the golden) or a missing golden, 2 for usage and input errors;
 * --update and TERMPOOL_UPDATE_GOLDEN write the golden; --help lists every flag. --wait: the
 * check waits (the server's /wait, then ETag reads) for a screen that is not there yet, and
 * times out with the diff.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG_SIGNATURE } from '../render/png-decode.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

const BIN = fileURLToPath(new URL('../../bin/termpool.js', import.meta.url));

/** Runs the CLI without blocking the event loop (the server it talks to is a child of ours too). */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'assert', ...args], {
      env: { ...process.env, TERMPOOL_URL: '', TERMPOOL_TOKEN: '', TERMPOOL_UPDATE_GOLDEN: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('error', reject);
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

let sp: ServerProcess;
let dir: string;
let session: string;
let cast: string;
const p = (name: string): string => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'termpool-assert-'));
  // Request logs (debug): the --wait test sees when the CLI's /wait has reached the server.
  sp = await spawnServer({ TERMPOOL_LOG_LEVEL: 'debug' });
  const s = await sp.client.createSession({
    command: 'sh', args: ['-c', "printf 'one\\n\\033[1;32mtwo\\033[0m\\n'; sleep 2; printf 'three\\n'; exec sleep 60"], cols: 20, rows: 4, record: true,
  });
  session = s.id;
  expect((await sp.client.wait(session, { text: 'three', stableMs: 100 })).satisfied).toBe(true);
  const res = await fetch(`${sp.url}/v1/sessions/${session}/recording`, { headers: { authorization: `Bearer ${sp.token}` } });
  expect(res.status).toBe(200);
  cast = p('session.cast');
  writeFileSync(cast, await res.text());
});

afterAll(async () => {
  await sp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const server = (): string[] => ['--url', sp.url, '--token', sp.token];

describe('CLI: termpool assert --session', () => {
  it('exit 0 on a match, 1 with a row diff and both PNGs on a difference; a later match removes them', async () => {
    writeFileSync(p('s.txt'), 'one\ntwo\nthree\n');
    const ok = await cli(['--golden', p('s.txt'), '--session', session, ...server()]);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    writeFileSync(p('s.txt'), 'one\n2\nthree\n');
    const bad = await cli(['--golden', p('s.txt'), '--session', session], { TERMPOOL_URL: sp.url, TERMPOOL_TOKEN: sp.token });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('  row 1 | one\n- row 2 | 2\n+ row 2 | two\n  row 3 | three\n');
    for (const f of ['s.expected.png', 's.actual.png']) expect(readFileSync(p(f)).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    writeFileSync(p('s.txt'), 'one\ntwo\nthree\n');
    expect((await cli(['--golden', p('s.txt'), '--session', session, ...server()])).status).toBe(0);
    expect(existsSync(p('s.expected.png')) || existsSync(p('s.actual.png'))).toBe(false);
  });

  it('--styles compares colours; --update and TERMPOOL_UPDATE_GOLDEN write; a missing golden is 1 and not written', async () => {
    const missing = await cli(['--golden', p('st.txt'), '--session', session, '--styles', ...server()]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('does not exist');
    expect(existsSync(p('st.txt'))).toBe(false);
    expect((await cli(['--golden', p('st.txt'), '--session', session, '--styles', '--update', ...server()])).status).toBe(0);
    expect(readFileSync(p('st.txt'), 'utf8')).toContain('\n2:1-3 bold fg=green "two"\n');
    writeFileSync(p('st.txt'), readFileSync(p('st.txt'), 'utf8').replace('fg=green', 'fg=red'));
    const bad = await cli(['--golden', p('st.txt'), '--session', session, '--styles', ...server()]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('- ');
    expect(bad.stderr).toContain('| 2:1-3 bold fg=red "two"');
    expect((await cli(['--golden', p('st.txt'), '--session', session, ...server()])).status).toBe(1);
    const env = await cli(['--golden', p('st.txt'), '--session', session, '--styles', ...server()], { TERMPOOL_UPDATE_GOLDEN: '1' });
    expect(env.status).toBe(0);
    expect(readFileSync(p('st.txt'), 'utf8')).toContain('fg=green');
  });

  it('exit 2 for an unknown session, no server, and bad flags', async () => {
    const unknown = await cli(['--golden', p('s.txt'), '--session', 'nope', ...server()]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^termpool: assert: session nope: /);
    expect((await cli(['--golden', p('s.txt'), '--session', session])).stderr).toContain('--session needs --url');
    expect((await cli(['--golden', p('s.txt'), '--session', session])).status).toBe(2);
    const down = await cli(['--golden', p('s.txt'), '--session', session, '--url', 'http://127.0.0.1:1']);
    expect(down.status).toBe(2);
    expect(down.stderr).toContain('assert: cannot reach http://127.0.0.1:1');
    expect((await cli(['--golden', p('s.txt')])).status).toBe(2);
    expect((await cli(['--session', session, ...server()])).status).toBe(2);
    expect((await cli(['--golden', p('s.txt'), '--cast', cast, '--session', session])).status).toBe(2);
    expect((await cli(['--golden', p('s.txt'), '--cast', cast, '--at', 'soon'])).status).toBe(2);
    expect((await cli(['--golden', p('s.txt'), '--cast', cast, '--frobnicate'])).status).toBe(2);
    expect((await cli(['--golden', dir, '--cast', cast])).status).toBe(2);
  });
});

describe('CLI: termpool assert --session --wait', () => {
  /** How many requests for `path` the server has logged (the log holds each twice: incoming, completed). */
  const requests = (path: string): number => sp.log().split('\n').filter((l) => l.includes('"incoming request"') && l.includes(`"${path}`)).length;
  const until = async (pred: () => boolean, what: string): Promise<void> => {
    for (const end = Date.now() + 20_000; !pred();) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; server log tail: ${sp.log().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it('waits for the text (server-side /wait), then for what text does not show (the cursor, by ETag); exit 0 once it matches', async () => {
    // Prints its lines only when told to, then moves the cursor home when told again.
    const s = await sp.client.createSession({
      command: 'sh', args: ['-c', "read x; printf 'ready\\n\\033[7mnow\\033[0m\\n'; read y; printf '\\033[1;1H'; exec sleep 60"], cols: 20, rows: 6,
    });
    const golden = p('w.txt');
    writeFileSync(golden, 'go\nready\nnow\n~~~ termpool screen attributes (rows and columns count from 1)\n3:1-3 inverse "now"\ncursor 1:1\n');
    expect((await cli(['--golden', golden, '--session', s.id, '--styles', '--cursor', ...server()])).status).toBe(1); // not there yet
    const waits = requests(`/v1/sessions/${s.id}/wait`);
    const running = cli(['--golden', golden, '--session', s.id, '--styles', '--cursor', '--wait', '30000', ...server()]);
    let ended = false;
    void running.then(() => { ended = true; });
    // The CLI's /wait for the text has reached the server: now the text comes.
    await until(() => requests(`/v1/sessions/${s.id}/wait`) > waits || ended, 'the CLI\'s /wait');
    expect(ended).toBe(false);
    await sp.client.sendText(s.id, 'go\r');
    // Text and style are there, the cursor is not: the CLI reads the screen by ETag until it is.
    expect((await sp.client.wait(s.id, { text: 'now', stableMs: 100 })).satisfied).toBe(true);
    const screens = requests(`/v1/sessions/${s.id}/screen`);
    await until(() => requests(`/v1/sessions/${s.id}/screen`) > screens + 1 || ended, 'the CLI reading the screen again');
    expect(ended).toBe(false);
    await sp.client.sendText(s.id, '\r');
    const r = await running;
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    await sp.client.deleteSession(s.id);
  }, 60_000);

  it('a screen that never matches: exit 1 with the diff once --wait has passed; --wait goes with --session only', async () => {
    writeFileSync(p('never.txt'), 'one\ntwo\nfour\n');
    const r = await cli(['--golden', p('never.txt'), '--session', session, '--wait', '1500', ...server()]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('- row 3 | four\n+ row 3 | three\n');
    const cast1 = await cli(['--golden', p('never.txt'), '--cast', cast, '--wait', '100']);
    expect(cast1.status).toBe(2);
    expect(cast1.stderr).toContain('--wait goes with --session');
    const bad = await cli(['--golden', p('never.txt'), '--session', session, '--wait', 'soon', ...server()]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--wait must be milliseconds');
    // Updating does not wait: the golden is written from the screen as it is.
    expect((await cli(['--golden', p('never.txt'), '--session', session, '--wait', '60000', '--update', ...server()])).status).toBe(0);
    expect(readFileSync(p('never.txt'), 'utf8')).toBe('one\ntwo\nthree\n');
  });
});

describe('CLI: termpool assert --cast', () => {
  it('replays a recorded session to the end, or to --at', async () => {
    writeFileSync(p('c.txt'), 'one\ntwo\nthree\n');
    const end = await cli(['--golden', p('c.txt'), '--cast', cast]);
    expect(end.stderr).toBe('');
    expect(end.status).toBe(0);
    const early = await cli(['--golden', p('c.txt'), '--cast', cast, '--at', '1']);
    expect(early.status).toBe(1);
    expect(early.stderr).toContain('- row 3 | three');
    writeFileSync(p('early.txt'), 'one\ntwo\n');
    expect((await cli(['--golden', p('early.txt'), '--cast', cast, '--at', '1'])).status).toBe(0);
    const broken = p('broken.cast');
    writeFileSync(broken, 'not a cast\n');
    const r = await cli(['--golden', p('c.txt'), '--cast', broken]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^termpool: assert: /);
  });

  it('--help lists every flag and the exit codes', async () => {
    const r = await cli(['--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--golden', '--session', '--url', '--token', '--cast', '--at', '--wait', '--styles', '--cursor', '--update', 'TERMPOOL_UPDATE_GOLDEN', 'exit status: 0']) {
      expect(r.stdout).toContain(flag);
    }
  });
});
