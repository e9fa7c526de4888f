/**
 * TERMPOOL_ID_PREFIX: session ids become `<prefix>-<12 hex>` so a gateway can route a session's
 * requests to the pod that holds it (docs/scale-out.md); a prefix that would not be a clean URL
 * path segment, or would push ids past the 64 characters the API accepts, is refused at startup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

let srv: TestServer;
beforeAll(async () => { srv = await startTestServer({ TERMPOOL_ID_PREFIX: 'termpool-3' }); });
afterAll(async () => { await srv?.close(); });

describe('Sessions: TERMPOOL_ID_PREFIX', () => {
  it('prefixes every new session id with the pod name, and the id works in every route', async () => {
    const tp = srv.client;
    const s = await tp.createSession({ command: 'sleep', args: ['30'] });
    expect(s.id).toMatch(/^termpool-3-[0-9a-f]{12}$/);
    expect(await tp.getSession(s.id)).toMatchObject({ id: s.id, state: 'running' });
    expect((await tp.screenLines(s.id))).toHaveLength(24);
    expect((await tp.wait(s.id, { stableMs: 1 })).session.id).toBe(s.id);
    expect((await tp.deleteSession(s.id)).id).toBe(s.id);
  });

  it('is empty by default (12 hex digits) and validated', () => {
    expect(loadConfig({}).idPrefix).toBe('');
    expect(loadConfig({ TERMPOOL_ID_PREFIX: ' termpool-0 ' }).idPrefix).toBe('termpool-0');
    for (const bad of ['a/b', '-x', 'pod name', 'x'.repeat(41), 'é']) {
      expect(() => loadConfig({ TERMPOOL_ID_PREFIX: bad }), bad).toThrow(ConfigError);
    }
    expect(() => loadConfig({ TERMPOOL_ID_PREFIX: 'a/b' })).toThrow(/TERMPOOL_ID_PREFIX/);
  });
});
