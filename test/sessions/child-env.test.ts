/**
 * The token and the server's settings never reach a session (src/sessions/child-env.ts).
 *
 * The attack: a real server process started with TERMPOOL_TOKEN (and an operator secret) in its
 * environment; a session runs `env`. Before child-env.ts the token was on the screen, in the
 * scrollback, in the recording and in /proc/<pid>/environ of every program, which could then
 * drive the API. Now none of them has it, nor the names listed in TERMPOOL_ENV_DROP, while the
 * request's own variables and the rest of the server's environment are there.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { childEnv, parseEnvDrop } from '../../src/sessions/child-env.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

describe('childEnv', () => {
  const inherited = {
    PATH: '/usr/bin:/bin', HOME: '/root', SHELL: '/bin/bash',
    TERMPOOL_TOKEN: 'secret-token', TERMPOOL_PORT: '7681',
    TMUX: '/tmp/tmux-0/default,1,0', TMUX_PANE: '%1', STY: '1.pts', WINDOW: '0', WINDOWID: '1', TERMCAP: 'x', COLUMNS: '80', LINES: '24',
    DB_PASSWORD: 'hunter2', AWS_SECRET_ACCESS_KEY: 'k', AWS_REGION: 'eu', AWSOME: 'kept', TERM: 'screen',
  };

  it('drops TERMPOOL_*, the drop list (names and PREFIX_*) and the server terminal\'s variables; keeps the rest', () => {
    const env = childEnv({ inherited, drop: ['DB_PASSWORD', 'AWS_*'], requested: {} });
    expect({ ...env }).toEqual({ PATH: '/usr/bin:/bin', HOME: '/root', SHELL: '/bin/bash', AWSOME: 'kept', TERM: 'xterm-256color' });
  });

  it('the request\'s env is added last and may set any name but TERM', () => {
    const env = childEnv({
      inherited, drop: ['DB_PASSWORD'],
      requested: { DB_PASSWORD: 'the client\'s own', TERMPOOL_TOKEN: 'the client\'s own', PATH: '/opt/bin', TERM: 'vt100' },
    });
    expect(env).toMatchObject({ DB_PASSWORD: 'the client\'s own', TERMPOOL_TOKEN: 'the client\'s own', PATH: '/opt/bin', TERM: 'xterm-256color' });
  });

  it('a variable named __proto__ stays a variable', () => {
    const requested = JSON.parse('{"__proto__": "v"}') as Record<string, string>;
    const env = childEnv({ inherited: {}, drop: [], requested });
    expect(Object.keys(env)).toEqual(['__proto__', 'TERM']);
    expect(env['__proto__']).toBe('v');
  });

  it('TERMPOOL_ENV_DROP: names and PREFIX_* patterns; anything else is a ConfigError', () => {
    expect(parseEnvDrop(' A , B_* ,,C1')).toEqual(['A', 'B_*', 'C1']);
    expect(loadConfig({ TERMPOOL_ENV_DROP: 'SECRET,AWS_*' }).envDrop).toEqual(['SECRET', 'AWS_*']);
    for (const bad of ['A B', '*_KEY', 'A=B', 'A*B']) {
      expect(() => loadConfig({ TERMPOOL_ENV_DROP: bad }), bad).toThrow(ConfigError);
    }
  });
});

describe('A session of a real server started with TERMPOOL_TOKEN', () => {
  const token = `tok-${randomBytes(12).toString('hex')}`;
  const secret = `operator-secret-${randomBytes(8).toString('hex')}`;
  const cloud = `cloud-secret-${randomBytes(8).toString('hex')}`;
  const kept = `kept-${randomBytes(8).toString('hex')}`;
  const requested = `requested-${randomBytes(8).toString('hex')}`;
  let server: ServerProcess;
  beforeAll(async () => {
    server = await spawnServer({
      TERMPOOL_TOKEN: token, TERMPOOL_ENV_DROP: 'MY_SECRET,CLOUD_*',
      MY_SECRET: secret, CLOUD_KEY: cloud, KEEP_ME: kept, TMUX: '/tmp/tmux-0/default,1,0',
    });
  });
  afterAll(async () => { await server?.stop(); });

  it('env shows neither the token nor the dropped variables, on screen, in scrollback, recording or /proc/<pid>/environ', async () => {
    const tp = server.client;
    const s = await tp.createSession({
      command: 'bash', args: ['-c', 'env; echo END-OF-ENV; exec sleep 1000'], env: { REQ_VAR: requested }, record: true, scrollback: 1000, rows: 10,
    });
    await tp.wait(s.id, { text: 'END-OF-ENV', scrollback: true, timeoutMs: 10_000 });
    const text = await tp.screen(s.id, { scrollback: 1000 });
    const recording = (await fetch(`${server.url}/v1/sessions/${s.id}/recording`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text()));
    // The leader exec'd into sleep: its environ is what bash had.
    const environ = readFileSync(`/proc/${s.pid}/environ`, 'utf8').split('\0');
    for (const [where, body] of [['screen+scrollback', text], ['recording', recording], ['environ', environ.join('\n')]] as const) {
      expect(body, where).not.toContain(token);
      expect(body, where).not.toContain(secret);
      expect(body, where).not.toContain(cloud);
      expect(body, where).not.toContain('TERMPOOL_');
      expect(body, where).not.toContain('TMUX=');
      expect(body, where).toContain(kept);
      expect(body, where).toContain(requested);
    }
    expect(environ).toContain('TERM=xterm-256color');
    await tp.deleteSession(s.id);
  });
});
