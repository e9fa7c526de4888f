/**
 * Shell integration under the bwrap sandbox (TERMPOOL_SANDBOX=bwrap): the sandbox gives /tmp a
 * fresh tmpfs, and the generated start-up files live under the system temp directory, so they
 * reach the shell through a read-only bind (Sandbox.launch's `readOnly`). bubblewrap is installed
 * by scripts/test-prereqs.sh.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/service.js';

let srv: TestServer;
beforeAll(async () => { srv = await startTestServer({ TERMPOOL_SANDBOX: 'bwrap' }); });
afterAll(async () => { await srv?.close(); });

describe('Shell integration: in the sandbox', () => {
  it('bash reads the generated rcfile through a read-only bind; /tmp is still its own', async () => {
    const tp = srv.client;
    const s = await tp.createSession({ shell: 'bash', cwd: '/', env: { HOME: '/nonexistent' } });
    const dir = srv.app.sessions.shells.directory!;
    expect(dir.startsWith('/tmp/')).toBe(true);
    const r = await tp.run(s.id, { command: `echo hi; ls /tmp; touch ${dir}/x 2>/dev/null || echo read-only`, timeoutMs: 10_000 });
    expect(r).toMatchObject({ reason: 'finished', exitCode: 0 });
    // /tmp shows only the bound directory (the sandbox's own tmpfs otherwise), which it cannot write.
    expect(r.output).toEqual(['hi', dir.slice('/tmp/'.length), 'read-only']);
    await tp.deleteSession(s.id);
  });

  it('each shell deletes its nonce file itself and sees no other session\'s', async () => {
    const tp = srv.client;
    if (srv.app.sessions.shells.directory === null) await tp.deleteSession((await tp.createSession({ shell: 'bash' })).id); // made on first use
    const dir = srv.app.sessions.shells.directory!;
    const before = new Set(readdirSync(`${dir}/nonce`));
    const a = await tp.createSession({ shell: 'bash', cwd: '/', env: { HOME: '/nonexistent' } });
    const b = await tp.createSession({ shell: 'bash', cwd: '/', env: { HOME: '/nonexistent' } });
    // Both shells are up (a command ran in each), so each has read its nonce.
    expect(await tp.run(a.id, { command: 'true', timeoutMs: 10_000 })).toMatchObject({ reason: 'finished', exitCode: 0 });
    const r = await tp.run(b.id, { command: `ls -A ${dir}/nonce | wc -l; ls -A ${dir}/nonce/*`, timeoutMs: 10_000 });
    expect(r).toMatchObject({ reason: 'finished' });
    // Inside b's sandbox: its own nonce directory only, and that one empty (its shell deleted the file).
    expect(r.output[0]).toBe('1');
    expect(r.output.slice(1).filter((l: string) => l !== '')).toEqual([]);
    // On the host: the two sessions' directories, no nonce file left in either.
    const mine = readdirSync(`${dir}/nonce`).filter((n) => !before.has(n));
    expect(mine).toHaveLength(2);
    for (const n of mine) expect(readdirSync(`${dir}/nonce/${n}`)).toEqual([]);
    await tp.deleteSession(a.id);
    await tp.deleteSession(b.id);
  });

  it('the generated files are removed at shutdown', async () => {
    const other = await startTestServer({ TERMPOOL_SANDBOX: 'bwrap' });
    const s = await other.client.createSession({ shell: 'bash' });
    const dir = other.app.sessions.shells.directory!;
    const { existsSync } = await import('node:fs');
    expect(existsSync(`${dir}/bashrc`)).toBe(true);
    expect((await import('node:fs')).statSync(dir).mode & 0o777).toBe(0o700);
    void s;
    await other.close();
    expect(existsSync(dir)).toBe(false);
  });
});
