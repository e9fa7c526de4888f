/**
 * GET /healthz is public (no auth), so with TERMPOOL_TOKEN set it must not tell an anonymous
 * caller what only the operator should know (issue 22): the archive's problem texts name session
 * ids (which a caller could then read or delete) and file paths. Two archives in trouble:
 *   - one whose writes fail (the store's put made to throw, as a full or failing disk would):
 *     the problem names the session that could not be archived and the store's path;
 *   - one that cannot be opened at all (its directory's parent is a file): the problem names
 *     the path.
 * Without the token (or with a wrong one) /healthz answers status and counts only; with it, the
 * full report; without a token configured (loopback only), the full report to everyone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/service.js';

const TOKEN = 'healthz-test-token';
const dir = mkdtempSync(path.join(tmpdir(), 'termpool-healthz-'));
const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function server(env: Record<string, string>): Promise<TestServer> {
  const s = await startTestServer({ TERMPOOL_ARCHIVE: 'on', ...env });
  servers.push(s);
  return s;
}

async function healthz(s: TestServer, authorization?: string): Promise<{ status: number; text: string; body: any }> {
  const r = await fetch(`${s.url}/healthz`, { headers: authorization === undefined ? {} : { authorization } });
  const text = await r.text();
  return { status: r.status, text, body: JSON.parse(text) };
}

/** A server whose archive store fails every write, with one session that could not be archived. */
async function failingWrites(token: string): Promise<{ s: TestServer; id: string; file: string }> {
  const file = path.join(dir, `writes-${token === '' ? 'open' : 'token'}`, 'archive.sqlite');
  const s = await server({ TERMPOOL_ARCHIVE_PATH: file, TERMPOOL_TOKEN: token });
  const store = (s.app.sessions.archive as unknown as { store: { put: (...a: unknown[]) => void } }).store;
  store.put = () => { throw new Error(`SQLITE_IOERR: disk I/O error writing ${file}`); };
  const r = await s.api('POST', '/v1/sessions', { command: 'sh', args: ['-c', 'echo bye'] });
  expect(r.status).toBe(201);
  expect((await s.api('POST', `/v1/sessions/${r.body.id}/wait`, { exit: true, timeoutMs: 10_000 })).status).toBe(200);
  return { s, id: r.body.id, file };
}

describe('/healthz with a token: the public part only, unless the request has the token', () => {
  it('a failed archive write: no session id and no path without the token; both with it', async () => {
    const { s, id, file } = await failingWrites(TOKEN);
    for (const auth of [undefined, 'Bearer wrong-token', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`]) {
      const anon = await healthz(s, auth);
      expect(anon.status).toBe(200);
      expect(anon.body).toMatchObject({ status: 'ok', archive: { status: 'degraded', damagedSessions: 0 } });
      expect(anon.body.archive.problems).toBeUndefined();
      expect(anon.text).not.toContain(id);
      expect(anon.text).not.toContain(dir);
    }
    const full = await healthz(s, `Bearer ${TOKEN}`);
    expect(full.status).toBe(200);
    expect(full.body.archive.status).toBe('degraded');
    expect(full.body.archive.problems.join('\n')).toContain(`session ${id} could not be archived`);
    expect(full.body.archive.problems.join('\n')).toContain(file);
  });

  it('an archive that cannot be opened: no path without the token; the path with it', async () => {
    const blocker = path.join(dir, 'blocker');
    writeFileSync(blocker, 'not a directory');
    const s = await server({ TERMPOOL_ARCHIVE_PATH: path.join(blocker, 'sub', 'archive.sqlite'), TERMPOOL_TOKEN: TOKEN });
    const anon = await healthz(s);
    expect(anon.body).toMatchObject({ status: 'ok', archive: { status: 'unavailable', sessions: 0 } });
    expect(anon.text).not.toContain(dir);
    expect(anon.text).not.toContain('blocker');
    const full = await healthz(s, `Bearer ${TOKEN}`);
    expect(full.body.archive.problems.join('\n')).toContain(blocker);
  });

  it('without a token configured (loopback only) everyone gets the full report', async () => {
    const { s, id, file } = await failingWrites('');
    const r = await healthz(s);
    expect(r.body.archive.problems.join('\n')).toContain(`session ${id} could not be archived`);
    expect(r.text).toContain(file);
  });
});
