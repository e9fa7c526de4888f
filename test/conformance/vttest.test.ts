/**
 * vttest end to end: Debian's vttest driven through termpool's HTTP API (a real server, a real
 * session under a pty: POST input, /wait, GET /screen) and, with the same keystrokes, in a tmux
 * pane of the same size; every screen of the walk in vttest-screens.ts is compared as text. A
 * difference fails unless ALLOWED_SCREENS lists that screen with who is right (by xterm's
 * docs), and a listed screen that no longer differs fails too.
 *
 * Needs vttest and tmux (scripts/test-prereqs.sh installs vttest); skipped, with the reason, where
 * vttest cannot be installed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProgram, startTestServer, type TestServer } from '../helpers/service.js';
import { teardown } from '../helpers/suite.js';
import { TmuxPane, findDescendant, readCount, waitReadBlocked } from './vttest-drive.js';
import { ALLOWED_SCREENS, STEPS, TERMPOOL_LEVEL_1 } from './vttest-screens.js';

const missing = ['vttest', 'tmux'].filter((p) => findProgram(p) === null);
const skip = missing.length
  ? `${missing.join(' and ')} not installed (apt-get install ${missing.join(' ')}; scripts/test-prereqs.sh installs vttest)`
  : null;

const COLS = 80;
const ROWS = 24;

interface Compared { screen: string; termpool: string[]; tmux: string[] }

// The pretest installs vttest (and tmux is in the image): missing, it is a failure, not a skip.
describe('vttest: termpool (HTTP API) vs tmux, screen by screen', () => {
  it('vttest and tmux are installed', () => { expect(skip).toBeNull(); });

  let dir = '';
  let srv: TestServer | undefined;
  let pane: TmuxPane | undefined;
  let sessionId = '';
  let ourPid = 0;
  let tmuxPid = 0;
  const compared: Compared[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tp-vttest-'));
    srv = await startTestServer();
    const created = await srv.api('POST', '/v1/sessions', { command: 'vttest', cols: COLS, rows: ROWS, cwd: dir });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    sessionId = created.body.id;
    ourPid = created.body.pid;
    pane = await TmuxPane.start(join(dir, 'tmux.sock'), 'vttest', COLS, ROWS);
    const found = findDescendant(await pane.panePid(), 'vttest');
    expect(found, 'vttest under tmux').not.toBeNull();
    tmuxPid = found!;
    // Both at the main menu before the first step: vttest asks the terminal things as it starts
    // (a line typed before it has its answers would be read as one), so the menu must be drawn.
    const menu = await srv.api('POST', `/v1/sessions/${sessionId}/wait`, { text: 'Enter choice number', stableMs: 100, timeoutMs: 20_000 });
    expect(menu.status, JSON.stringify(menu.body)).toBe(200);
    for (let i = 0; i < 400 && !(await pane.settledCapture()).join('\n').includes('Enter choice number'); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await Promise.all([waitReadBlocked(ourPid, -1), waitReadBlocked(tmuxPid, -1)]);
  });

  afterAll(async () => {
    await teardown(
      () => sessionId && srv?.api('DELETE', `/v1/sessions/${sessionId}`),
      () => srv?.close(),
      () => pane?.kill(),
      () => dir && rmSync(dir, { recursive: true, force: true }),
    );
  });

  async function termpoolStep(type: string): Promise<string[]> {
    const before = readCount(ourPid);
    const input = await srv!.api('POST', `/v1/sessions/${sessionId}/input`, { text: `${type}\r` });
    expect(input.status, JSON.stringify(input.body)).toBe(200);
    await waitReadBlocked(ourPid, before);
    // vttest is blocked reading: what it wrote is in the pty; wait until termpool has taken it in.
    const wait = await srv!.api('POST', `/v1/sessions/${sessionId}/wait`, { stableMs: 100, timeoutMs: 20_000 });
    expect(wait.status, JSON.stringify(wait.body)).toBe(200);
    const screen = await srv!.api('GET', `/v1/sessions/${sessionId}/screen`);
    expect(screen.status).toBe(200);
    const lines = String(screen.body).replace(/\n$/, '').split('\n').map((l) => l.replace(/ +$/, ''));
    while (lines.length < ROWS) lines.push('');
    return lines.slice(0, ROWS);
  }

  async function tmuxStep(type: string): Promise<string[]> {
    const before = readCount(tmuxPid);
    await pane!.typeLine(type);
    await waitReadBlocked(tmuxPid, before);
    return pane!.settledCapture();
  }

  it('termpool\'s vttest is set to operating level 1 (VT100), as tmux\'s is', async () => {
    let screen = (await termpoolStep(TERMPOOL_LEVEL_1.menu)).join('\n');
    for (let i = 0; i < 4 && !TERMPOOL_LEVEL_1.shows.test(screen); i++) {
      screen = (await termpoolStep(TERMPOOL_LEVEL_1.item)).join('\n');
    }
    expect(screen).toMatch(TERMPOOL_LEVEL_1.shows);
    expect((await termpoolStep(TERMPOOL_LEVEL_1.exit)).join('\n')).toMatch(/Enter choice number \(0 - 12\)/);
  });

  it(`walks ${STEPS.length} screens of menus 1, 2, 3, 8 and 11 in both`, async () => {
    for (const step of STEPS) {
      const [ours, theirs] = await Promise.all([termpoolStep(step.type), tmuxStep(step.type)]);
      // tmux must be on the screen the walk expects (a lost walk fails here, not as a diff), and
      // termpool at one of vttest's prompts (its screen may differ: that is what is compared).
      expect(theirs.join('\n'), `tmux, step "${step.type}" → ${step.screen}`).toMatch(step.shows);
      expect(ours.join('\n'), `termpool, step "${step.type}" → ${step.screen}`).toMatch(/Push <RETURN>|Enter choice number/);
      compared.push({ screen: step.screen, termpool: ours, tmux: theirs });
    }
    expect(compared).toHaveLength(STEPS.length);
  }, 120_000);

  it('every screen equals tmux\'s, or is allow-listed with a reason and still differs', () => {
    expect(compared, 'the walk must have run').toHaveLength(STEPS.length);
    const failures: string[] = [];
    for (const c of compared) {
      const rows: string[] = [];
      for (let y = 0; y < ROWS; y++) {
        if (c.termpool[y] !== c.tmux[y]) {
          rows.push(`  row ${y}:\n    termpool ${JSON.stringify(c.termpool[y])}\n    tmux     ${JSON.stringify(c.tmux[y])}`);
        }
      }
      const entry = ALLOWED_SCREENS.find((a) => a.screen === c.screen);
      if (rows.length && !entry) failures.push(`${c.screen}: differs\n${rows.join('\n')}`);
      if (!rows.length && entry) failures.push(`${c.screen}: allow-listed ("${entry.reason}") but no longer differs — remove the entry`);
    }
    for (const a of ALLOWED_SCREENS) {
      if (!STEPS.some((s) => s.screen === a.screen)) failures.push(`allow-list: no screen "${a.screen}"`);
    }
    expect(failures, failures.join('\n\n')).toEqual([]);
  });
});
