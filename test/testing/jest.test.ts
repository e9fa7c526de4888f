/**
 * `termpool/testing`'s toMatchScreen under real Jest (not only Vitest): a temp project whose
 * plain ESM `.test.mjs` imports the package's `termpool/testing` and `termpool/client` exports
 * (node_modules/termpool linked to this checkout's built dist/), registers the matcher with
 * Jest's own `expect.extend`, and checks a session of a real server. Jest runs as a child
 * process (`node --experimental-vm-modules node_modules/jest/bin/jest.js`), its per-test
 * results read from its --json report: a matching golden passes, a different one fails with the
 * line diff (pictures written), a missing one is written on a local run and fails under --ci,
 * `.not` never writes, and `-u` or TERMPOOL_UPDATE_GOLDEN=1 rewrite goldens and pass.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { runRoot } from '../helpers/suite.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

const RIGHT = 'hello\ncolour\n';
const WRONG = 'hello\ncolor\n';
const STYLED = `${RIGHT}~~~ termpool screen attributes (rows and columns count from 1)\n2:1-6 fg=red "colour"\n`;

/** The test file Jest runs: plain ESM, the matcher from the package export, Jest's globals. */
const TEST_FILE = `
import { TermpoolClient } from 'termpool/client';
import { screenMatchers } from 'termpool/testing';

expect.extend(screenMatchers);
const screen = { client: new TermpoolClient({ url: process.env.TERMPOOL_URL, token: process.env.TERMPOOL_TOKEN }), session: process.env.SESSION_ID };

test('matches', async () => { await expect(screen).toMatchScreen('__screens__/match.txt'); });
test('differs', async () => { await expect(screen).toMatchScreen('__screens__/differ.txt'); });
test('new', async () => { await expect(screen).toMatchScreen('__screens__/new.txt'); });
test('not', async () => { await expect(screen).not.toMatchScreen('__screens__/not.txt'); });
test('styles', async () => { await expect(screen).toMatchScreen('__screens__/styles.txt', { styles: true }); });
`;

interface JestRun {
  code: number | null;
  output: string;
  /** Test title → status ('passed' / 'failed') and failure message. */
  results: Map<string, { status: string; message: string }>;
}

let sp: ServerProcess;
let project: string;
let sessionId: string;
const screens = (name: string): string => path.join(project, '__screens__', name);

beforeAll(async () => {
  project = mkdtempSync(path.join(runRoot() ?? tmpdir(), 'jest-project-'));
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'jest-project', private: true, type: 'module' }));
  mkdirSync(path.join(project, 'node_modules'));
  symlinkSync(ROOT, path.join(project, 'node_modules', 'termpool'), 'dir');
  writeFileSync(path.join(project, 'screen.test.mjs'), TEST_FILE);
  mkdirSync(path.join(project, '__screens__'));
  sp = await spawnServer();
  const s = await sp.client.createSession({ command: 'sh', args: ['-c', "printf 'hello\\n\\033[31mcolour\\033[0m\\n'; exec sleep 60"], cols: 30, rows: 5 });
  sessionId = s.id;
  expect((await sp.client.wait(sessionId, { text: 'colour', stableMs: 100 })).satisfied).toBe(true);
}, 60_000);

afterAll(async () => {
  await sp?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

/** Goldens as each run starts from: match, styles right; differ, not wrong; new missing. */
function resetGoldens(): void {
  writeFileSync(screens('match.txt'), RIGHT);
  writeFileSync(screens('styles.txt'), STYLED);
  writeFileSync(screens('differ.txt'), WRONG);
  writeFileSync(screens('not.txt'), WRONG);
  rmSync(screens('new.txt'), { force: true });
}

function jest(args: string[], env: Record<string, string> = {}): Promise<JestRun> {
  const report = path.join(project, `report-${Math.random().toString(36).slice(2)}.json`);
  const childEnv: Record<string, string> = {
    ...process.env as Record<string, string>,
    TERMPOOL_URL: sp.url, TERMPOOL_TOKEN: sp.token, SESSION_ID: sessionId, ...env,
  };
  // The runner's own idea of CI comes from the flags each run passes, not from this machine.
  delete childEnv['CI'];
  if (env['TERMPOOL_UPDATE_GOLDEN'] === undefined) delete childEnv['TERMPOOL_UPDATE_GOLDEN'];
  const config = JSON.stringify({ rootDir: project, testMatch: ['**/*.test.mjs'], transform: {}, testEnvironment: 'node', cache: false, watchman: false,
    cacheDirectory: path.join(project, '.jest-cache') }); // not /tmp/jest_<uid>: nothing outside the project
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--experimental-vm-modules', '--no-warnings', JEST, '--config', config, '--json', `--outputFile=${report}`, '--runInBand', ...args], {
      cwd: project, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const results = new Map<string, { status: string; message: string }>();
      if (existsSync(report)) {
        const j = JSON.parse(readFileSync(report, 'utf8')) as { testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[] };
        for (const a of j.testResults.flatMap((t) => t.assertionResults)) results.set(a.title, { status: a.status, message: a.failureMessages.join('\n') });
        rmSync(report);
      }
      resolve({ code, output, results });
    });
  });
}

const statuses = (r: JestRun): Record<string, string> => Object.fromEntries([...r.results].map(([t, v]) => [t, v.status]));

describe('toMatchScreen under real Jest', () => {
  it('a local run: match passes, a difference fails with the line diff and pictures, a missing golden is written, .not only compares', async () => {
    resetGoldens();
    const r = await jest(['--ci=false']);
    expect(statuses(r), r.output).toEqual({ matches: 'passed', differs: 'failed', new: 'passed', not: 'passed', styles: 'passed' });
    expect(r.code).toBe(1);
    const diff = r.results.get('differs')!.message;
    expect(diff).toContain(`screen differs from golden ${screens('differ.txt')} (- expected, + actual):`);
    expect(diff).toContain('  row 1 | hello\n- row 2 | color\n+ row 2 | colour');
    for (const f of ['differ.expected.png', 'differ.actual.png']) expect(existsSync(screens(f)), f).toBe(true);
    expect(readFileSync(screens('new.txt'), 'utf8')).toBe(RIGHT);
    expect(readFileSync(screens('not.txt'), 'utf8')).toBe(WRONG);
  }, 120_000);

  it('--ci: a missing golden fails and is not written', async () => {
    resetGoldens();
    const r = await jest(['--ci']);
    expect(statuses(r), r.output).toEqual({ matches: 'passed', differs: 'failed', new: 'failed', not: 'passed', styles: 'passed' });
    expect(r.results.get('new')!.message).toContain(`golden screen ${screens('new.txt')} does not exist`);
    expect(existsSync(screens('new.txt'))).toBe(false);
  }, 120_000);

  it('-u and TERMPOOL_UPDATE_GOLDEN=1 rewrite what differs or is missing, and pass; .not still never writes', async () => {
    for (const [args, env] of [[['--ci', '-u'], {}], [['--ci'], { TERMPOOL_UPDATE_GOLDEN: '1' }]] as const) {
      resetGoldens();
      const r = await jest([...args], env);
      expect(statuses(r), `${args.join(' ')} ${JSON.stringify(env)}\n${r.output}`).toEqual({ matches: 'passed', differs: 'passed', new: 'passed', not: 'passed', styles: 'passed' });
      expect(r.code).toBe(0);
      expect(readFileSync(screens('differ.txt'), 'utf8')).toBe(RIGHT);
      expect(readFileSync(screens('new.txt'), 'utf8')).toBe(RIGHT);
      expect(readFileSync(screens('not.txt'), 'utf8')).toBe(WRONG);
      expect(existsSync(screens('differ.actual.png'))).toBe(false);
    }
  }, 240_000);
});
