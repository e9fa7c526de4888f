/**
 * Shell integration under the bwrap sandbox (TERMPOOL_SANDBOX=bwrap): the sandbox gives /tmp a
 * fresh tmpfs, and the generated start-up files live under the system temp directory, so they
 * reach the shell through a read-only bind (Sandbox.launch's `readOnly`). bubblewrap is installed
 * by scripts/test-prereqs.sh.
 */
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
