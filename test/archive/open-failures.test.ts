/**
 * The archive when it cannot be opened, on real servers (separate processes) and real failures:
 * a full file system (a tmpfs filled up), an immutable file (`chattr +i`: root passes mode bits,
 * not this), a read-only mount of the archive's directory, a file the server's user may not read
 * (the server run as `nobody`), a directory at the path, another program's SQLite database, a
 * text file. Each time: the thing at the path is byte for byte as it was, /healthz says
 * `unavailable` with the reason (a code, and a text naming the path), sessions still run; and once the condition is fixed, the next
 * start opens the archive with every session it had. Real corruption (bytes flipped in a
 * termpool archive's pages) is still moved aside, and every later start reports the moved-aside
 * file until the operator removes it. A changed exit time is caught by the row checksum.
 *
 * Needs root in a container that allows mount (tmpfs, bind) and chattr; where a probe finds one
 * missing, that case is skipped with the reason (printed in the run's summary).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

const root = mkdtempSync(path.join(tmpdir(), 'termpool-open-failures-'));
// Traversable by `nobody` (the unreadable-file case); every case dir below sets its own mode.
chmodSync(root, 0o755);
const servers: ServerProcess[] = [];
/** Undone in reverse order at the end, whether or not the case got that far. */
const undo: (() => void)[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  for (const u of undo.reverse()) {
    try { u(); } catch { /* best effort: the next undo (and rmSync) still run */ }
  }
  rmSync(root, { recursive: true, force: true });
});

const NOBODY = 65534;

function sh(cmd: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** Whether this machine lets the test mount (tmpfs, bind) and set immutable files. */
const probe = ((): { mount: boolean; chattr: boolean; why: string } => {
  const d = path.join(root, 'probe');
  mkdirSync(d);
  const m = sh('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', d]);
  if (m.ok) sh('umount', [d]);
  const f = path.join(d, 'f');
  writeFileSync(f, 'x');
  const c = sh('chattr', ['+i', f]);
  if (c.ok) sh('chattr', ['-i', f]);
  rmSync(d, { recursive: true, force: true });
  return { mount: m.ok, chattr: c.ok, why: `${m.out} ${c.out}`.trim() };
})();
/** Why a case cannot run on this machine (the skip reporter prints it), or null. */
const noMount = probe.mount ? null : `this machine does not let the test mount a tmpfs: ${probe.why}`;
const noChattr = probe.chattr ? null : `chattr +i fails on this file system: ${probe.why}`;

async function server(file: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const s = await spawnServer({ TERMPOOL_ARCHIVE: 'on', TERMPOOL_ARCHIVE_PATH: file, ...env });
  servers.push(s);
  return s;
}

/** Runs the server as `nobody` (node drops root before termpool loads), for permission cases. */
const AS_NOBODY = { NODE_OPTIONS: `--import=data:text/javascript,process.setgid(${NOBODY});process.setuid(${NOBODY});` };

async function runToExit(s: ServerProcess, text: string): Promise<string> {
  const r = await s.api('POST', '/v1/sessions', { command: 'sh', args: ['-c', `echo ${text}`], cwd: '/', cols: 40, rows: 5 });
  expect(r.status).toBe(201);
  expect((await s.api('POST', `/v1/sessions/${r.body.id}/wait`, { exit: true, timeoutMs: 10_000 })).status).toBe(200);
  return r.body.id as string;
}

/** A server that archives two sessions in `file` and stops; their ids and screens. */
async function archiveTwo(file: string, env: Record<string, string> = {}): Promise<Map<string, string>> {
  const a = await server(file, env);
  const screens = new Map<string, string>();
  for (const word of ['first-archived', 'second-archived']) {
    const id = await runToExit(a, word);
    screens.set(id, (await a.api('GET', `/v1/sessions/${id}/screen`)).body as string);
    expect(screens.get(id)).toContain(word);
  }
  expect((await a.stop('SIGTERM')).code).toBe(0);
  return screens;
}

/**
 * A start while the condition holds: unavailable, `untouched()` holds (checked before the wording,
 * so a regression that moves the file aside fails on that), the reason given, sessions still
 * run, nothing old listed.
 */
async function expectUnavailable(file: string, code: string, reason: RegExp, untouched: () => void, env: Record<string, string> = {}): Promise<void> {
  const b = await server(file, env);
  const health = (await b.api('GET', '/healthz')).body;
  expect(health.status).toBe('ok');
  expect(health.archive).toMatchObject({ status: 'unavailable', sessions: 0, damagedSessions: 0 });
  untouched();
  expect(health.archive.code).toBe(code);
  expect(health.archive.problems).toHaveLength(1);
  expect(health.archive.problems[0]).toMatch(/^the archive is unavailable: /);
  expect(health.archive.problems[0]).toMatch(reason);
  expect(b.log()).toMatch(/archive: the archive is unavailable/);
  const id = await runToExit(b, 'sessions-still-work');
  expect((await b.api('GET', `/v1/sessions/${id}/screen`)).body).toContain('sessions-still-work');
  const list = (await b.api('GET', '/v1/sessions')).body.sessions as { id: string }[];
  expect(list.map((s) => s.id)).toEqual([id]);
  expect((await b.stop('SIGTERM')).code).toBe(0);
}

/** A start after the fix: `ok` with every old session, reading as before. */
async function expectRecovered(file: string, screens: Map<string, string>, env: Record<string, string> = {}): Promise<void> {
  const c = await server(file, env);
  expect((await c.api('GET', '/healthz')).body.archive).toEqual({ status: 'ok', sessions: screens.size, damagedSessions: 0, problems: [] });
  for (const [id, screen] of screens) {
    expect((await c.api('GET', `/v1/sessions/${id}`)).body.state).toBe('archived');
    expect((await c.api('GET', `/v1/sessions/${id}/screen`)).body).toBe(screen);
  }
  expect((await c.stop('SIGTERM')).code).toBe(0);
}

function sha(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Every entry under `d` with its mode and a hash of its bytes: what "untouched" compares. */
function tree(d: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string, rel: string): void => {
    const st = statSync(p);
    if (st.isDirectory()) {
      out[rel || '.'] = `dir ${(st.mode & 0o7777).toString(8)}`;
      for (const n of readdirSync(p)) walk(path.join(p, n), path.join(rel, n));
    } else {
      out[rel] = `${(st.mode & 0o7777).toString(8)} ${st.uid} ${sha(p)}`;
    }
  };
  walk(d, '');
  return out;
}

function caseDir(name: string): string {
  const d = path.join(root, name);
  mkdirSync(d, { mode: 0o755 });
  return d;
}

describe('archive: a store that cannot be opened is left untouched, and used again once fixed', { timeout: 90_000 }, () => {
  it('a full file system (tmpfs filled up at restart)', async (ctx) => {
    if (noMount !== null) ctx.skip(noMount);
    const d = caseDir('disk-full');
    expect(sh('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0755', 'tmpfs', d]).ok).toBe(true);
    undo.push(() => sh('umount', ['-l', d]));
    const file = path.join(d, 'archive.sqlite');
    const screens = await archiveTwo(file);
    const before = sha(file);
    // Fill it: what is left of the 2 MiB, to the last block.
    const filler = path.join(d, 'filler');
    try {
      writeFileSync(filler, Buffer.alloc(4 << 20));
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    expect(statfsSync(d).bavail).toBe(0);

    await expectUnavailable(file, 'ARCHIVE_NO_SPACE', /no space left on the file system holding .*disk-full .*; the archive was left untouched/, () => expect(sha(file)).toBe(before));

    rmSync(filler);
    await expectRecovered(file, screens);
  });

  it('a full file system after a crash (SIGKILL: -wal and -shm left beside the archive)', async (ctx) => {
    if (noMount !== null) ctx.skip(noMount);
    const d = caseDir('disk-full-crash');
    expect(sh('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0755', 'tmpfs', d]).ok).toBe(true);
    undo.push(() => sh('umount', ['-l', d]));
    const file = path.join(d, 'archive.sqlite');
    const a = await server(file);
    const screens = new Map<string, string>();
    for (const word of ['before-the-crash', 'also-before']) {
      const id = await runToExit(a, word);
      screens.set(id, (await a.api('GET', `/v1/sessions/${id}/screen`)).body as string);
    }
    await a.stop('SIGKILL');
    expect(readdirSync(d).sort()).toEqual(['archive.sqlite', 'archive.sqlite-shm', 'archive.sqlite-wal']);
    const before = { main: sha(file), wal: sha(`${file}-wal`) };
    const filler = path.join(d, 'filler');
    try {
      writeFileSync(filler, Buffer.alloc(4 << 20));
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    expect(statfsSync(d).bavail).toBe(0);

    await expectUnavailable(file, 'ARCHIVE_NO_SPACE', /no space left on the file system holding .*disk-full-crash/,
      () => expect({ main: sha(file), wal: sha(`${file}-wal`) }).toEqual(before));

    rmSync(filler);
    await expectRecovered(file, screens);
  });

  it('an immutable file (chattr +i; root ignores mode bits, not this)', async (ctx) => {
    if (noChattr !== null) ctx.skip(noChattr);
    const d = caseDir('immutable');
    const file = path.join(d, 'archive.sqlite');
    const screens = await archiveTwo(file);
    const before = sha(file);
    expect(sh('chattr', ['+i', file]).ok).toBe(true);
    undo.push(() => sh('chattr', ['-i', file]));

    await expectUnavailable(file, 'ARCHIVE_READ_ONLY', /archive\.sqlite cannot be written: it is immutable \(chattr \+i\); the archive was left untouched/, () => expect(sha(file)).toBe(before));

    expect(sh('chattr', ['-i', file]).ok).toBe(true);
    await expectRecovered(file, screens);
  });

  it('a read-only mount of the archive\'s directory', async (ctx) => {
    if (noMount !== null) ctx.skip(noMount);
    const d = caseDir('read-only-mount');
    const file = path.join(d, 'archive.sqlite');
    const screens = await archiveTwo(file);
    const before = tree(d);
    expect(sh('mount', ['--bind', d, d]).ok).toBe(true);
    undo.push(() => sh('umount', ['-l', d]));
    expect(sh('mount', ['-o', 'remount,ro,bind', d]).ok).toBe(true);

    await expectUnavailable(file, 'ARCHIVE_READ_ONLY', /is on a read-only file system .*; the archive was left untouched/, () => expect(tree(d)).toEqual(before));

    expect(sh('umount', [d]).ok).toBe(true);
    await expectRecovered(file, screens);
  });

  it('a file the server\'s user may not read (owned by root, mode 0600; the server runs as nobody)', async () => {
    const d = caseDir('not-readable');
    chownSync(d, NOBODY, NOBODY);
    const file = path.join(d, 'archive.sqlite');
    const screens = await archiveTwo(file, AS_NOBODY);
    expect(statSync(file).uid).toBe(NOBODY);
    chownSync(file, 0, 0);
    chmodSync(file, 0o600);
    const before = tree(d);

    await expectUnavailable(file, 'ARCHIVE_NO_ACCESS', /permission denied \(cannot read .*archive\.sqlite: EACCES.*\); the archive was left untouched/, () => expect(tree(d)).toEqual(before), AS_NOBODY);

    chownSync(file, NOBODY, NOBODY);
    await expectRecovered(file, screens, AS_NOBODY);
  });

  /** Cases where something else sits at the path while the archive is elsewhere; the fix puts it back. */
  async function somethingElseAtThePath(name: string, place: (file: string) => void, code: string, reason: RegExp): Promise<void> {
    const d = caseDir(name);
    const file = path.join(d, 'archive.sqlite');
    const screens = await archiveTwo(file);
    const saved = path.join(root, `${name}.saved`);
    renameSync(file, saved);
    place(file);
    const before = tree(d);

    // Nothing renamed, nothing written, nothing created beside it (no -wal, -shm or .corrupt-).
    await expectUnavailable(file, code, reason, () => expect(tree(d)).toEqual(before));

    rmSync(file, { recursive: true });
    renameSync(saved, file);
    await expectRecovered(file, screens);
  }

  it('a directory at the path', async () => {
    await somethingElseAtThePath('directory', (file) => {
      mkdirSync(file);
      writeFileSync(path.join(file, 'notes.txt'), 'someone\'s notes\n');
    }, 'ARCHIVE_NOT_A_FILE', /archive\.sqlite is a directory, not an archive file; it was left as it is/);
  });

  it('another program\'s SQLite database', async () => {
    await somethingElseAtThePath('foreign-sqlite', (file) => {
      const db = new Database(file);
      db.pragma(`application_id = ${0x47504b47}`);
      db.exec('CREATE TABLE features (id INTEGER PRIMARY KEY, geom BLOB)');
      db.prepare('INSERT INTO features (geom) VALUES (?)').run(Buffer.alloc(10_000, 3));
      db.close();
    }, 'ARCHIVE_FOREIGN', /not a termpool archive: .*archive\.sqlite is an SQLite database with application_id 0x47504b47 \(a termpool archive has 0x54504152\); it was left untouched/);
  });

  it('a text file', async () => {
    await somethingElseAtThePath('text-file', (file) => {
      writeFileSync(file, 'archive: see the wiki\n'.repeat(300), { mode: 0o600 });
    }, 'ARCHIVE_NOT_SQLITE', /not a termpool archive: .*archive\.sqlite is not an SQLite database \(6600 bytes without the SQLite header\); it was left untouched/);
  });
});

describe('archive: real damage', { timeout: 90_000 }, () => {
  it('bytes flipped in a termpool archive\'s pages: moved aside, reported at every start until removed', async () => {
    const d = caseDir('flipped');
    const file = path.join(d, 'archive.sqlite');
    await archiveTwo(file);
    const b = readFileSync(file);
    const pageSize = b.readUInt16BE(16);
    for (let k = 0; k < 8; k++) b[pageSize + k]! ^= 0xff; // page 2: the table's b-tree root
    writeFileSync(file, b);

    const s1 = await server(file);
    const h1 = (await s1.api('GET', '/healthz')).body.archive;
    expect(h1).toMatchObject({ status: 'degraded', sessions: 0, damagedSessions: 0 });
    const aside = readdirSync(d).filter((n) => /^archive\.sqlite\.corrupt-.*Z$/.test(n)).map((n) => path.join(d, n));
    expect(aside).toHaveLength(1);
    expect(readFileSync(aside[0]!).equals(b)).toBe(true);
    expect(h1.problems).toEqual([expect.stringMatching(new RegExp(`failed its integrity check \\(quick_check: .*page 2.*\\); it was moved aside to ${aside[0]}`))]);
    const id = await runToExit(s1, 'after-the-move');
    await s1.stop('SIGTERM');

    for (let start = 0; start < 2; start++) {
      const s = await server(file);
      const h = (await s.api('GET', '/healthz')).body.archive;
      expect(h).toMatchObject({ status: 'degraded', sessions: 1, damagedSessions: 0 });
      expect(h.problems).toEqual([`a damaged archive was moved aside to ${aside[0]} by an earlier start; the sessions in it are not served. Delete it (or move it out of that directory) to clear this`]);
      expect((await s.api('GET', `/v1/sessions/${id}/screen`)).body).toContain('after-the-move');
      await s.stop('SIGTERM');
    }

    rmSync(aside[0]!);
    const cleared = await server(file);
    expect((await cleared.api('GET', '/healthz')).body.archive).toEqual({ status: 'ok', sessions: 1, damagedSessions: 0, problems: [] });
    await cleared.stop('SIGTERM');
  });

  it('a changed exit time is caught by the row checksum: 410, never served with the wrong expiry', async () => {
    const d = caseDir('exit-time');
    const file = path.join(d, 'archive.sqlite');
    const screens = await archiveTwo(file);
    const [kept, tampered] = [...screens.keys()];
    const db = new Database(file);
    // A year later: it would outlive its retention by a year.
    expect(db.prepare('UPDATE archived_sessions SET exited_at = exited_at + 31536000000 WHERE id = ?').run(tampered!).changes).toBe(1);
    db.close();

    const s = await server(file);
    expect((await s.api('GET', '/healthz')).body.archive).toMatchObject({ status: 'degraded', sessions: 1, damagedSessions: 1 });
    const r = await s.api('GET', `/v1/sessions/${tampered}/screen`);
    expect(r.status).toBe(410);
    expect(r.body.error).toBe('ARCHIVE_CORRUPT');
    expect(r.body.message).toMatch(/checksum mismatch/);
    expect((await s.api('GET', `/v1/sessions/${kept}/screen`)).body).toBe(screens.get(kept!));
    await s.stop('SIGTERM');
  });
});
