/**
 * Dockerfile, read statically (no Docker engine is needed): both stages on the same Node LTS
 * image, the newest major package.json's engines allow; the build prunes dev dependencies only;
 * the runtime stage carries what the server reads at run time (the PNG fonts are npm dependencies,
 * no Debian font packages), a UTF-8 locale, tini, the `node` user and a healthcheck. The locale is also checked for what it is for: vim in a session, run
 * with the image's environment, shows UTF-8 text as text (and without it, as bytes).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_FONTS, SLICED_FONTS } from '../../src/render/font-packages.js';
import { findProgram } from '../helpers/service.js';
import { MMAP_THRESHOLD_BYTES, MMAP_THRESHOLD_ENV } from '../../src/malloc-tuning.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string }; dependencies: Record<string, string>; version: string;
};

interface Stage { from: string; name?: string; lines: string[] }

/** The Dockerfile's instructions (continuations joined, comments dropped), split into stages. */
function stages(): Stage[] {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const instructions = text.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n').replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter(Boolean);
  const out: Stage[] = [];
  for (const ins of instructions) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins);
    if (from) out.push({ from: from[1]!, ...(from[2] !== undefined && { name: from[2] }), lines: [] });
    else out.at(-1)!.lines.push(ins);
  }
  return out;
}

/** ENV of a stage, in both `ENV K=V K2=V2` and `ENV K V` forms. */
function env(stage: Stage): Record<string, string> {
  const e: Record<string, string> = {};
  for (const l of stage.lines.filter((x) => /^ENV\s/.test(x))) {
    const body = l.replace(/^ENV\s+/, '');
    if (!body.includes('=')) { const [k, ...v] = body.split(/\s+/); e[k!] = v.join(' '); continue; }
    for (const m of body.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) e[m[1]!] = m[2]!.replace(/^"|"$/g, '');
  }
  return e;
}

/** Packages of a stage's `apt-get install` commands. */
function aptPackages(stage: Stage): string[] {
  return stage.lines.flatMap((l) => [...l.matchAll(/apt-get install ([^&;]*)/g)])
    .flatMap((m) => m[1]!.split(/\s+/)).filter((w) => w !== '' && !w.startsWith('-'));
}

/** The majors of the ranges in package.json's engines.node (`^20.19.0 || ^22.12.0 || ^24.0.0`). */
function engineMajors(): number[] {
  return PKG.engines.node.split('||').map((r) => Number(/(\d+)/.exec(r)![1]));
}

const [build, runtime] = stages() as [Stage, Stage];

describe('Dockerfile', () => {
  it('two stages on the same official Node image, the newest LTS major engines allows; slim at run time', () => {
    expect(stages()).toHaveLength(2);
    const b = /^node:(\d+)-([a-z]+)$/.exec(build.from);
    const r = /^node:(\d+)-([a-z]+)-slim$/.exec(runtime.from);
    expect(b, build.from).not.toBeNull();
    expect(r, runtime.from).not.toBeNull();
    expect(r![1]).toBe(b![1]);
    expect(r![2]).toBe(b![2]);
    expect(b![2], 'Debian 13, the current stable').toBe('trixie');
    const major = Number(b![1]);
    expect(major % 2, 'an LTS line (even major)').toBe(0);
    expect(major).toBe(Math.max(...engineMajors()));
    expect(major).toBeGreaterThanOrEqual(24);
  });

  it('builds the native modules against the image\'s own headers, then drops dev dependencies only', () => {
    expect(build.name).toBe('build');
    expect(env(build)['npm_config_nodedir']).toBe('/usr/local');
    expect(aptPackages(build).sort()).toEqual(['g++', 'make', 'python3']);
    const run = build.lines.filter((l) => l.startsWith('RUN ')).join('\n');
    expect(run).toMatch(/npm ci\b/);
    expect(run).toMatch(/test -f node_modules\/node-pty\/build\/Release\/pty\.node/);
    expect(run).toMatch(/test -f node_modules\/better-sqlite3\/build\/Release\/better_sqlite3\.node/);
    // --omit=dev keeps every entry of "dependencies" (the PNG fonts among them) and nothing else is removed from node_modules.
    expect(run).toMatch(/npm prune --omit=dev\b/);
    expect(run).not.toMatch(/rm -rf[^&]*node_modules/);
    expect(Object.keys(PKG.dependencies).length).toBeGreaterThan(0);
  });

  it('PNG fonts come from npm dependencies (kept by the prune), none from Debian', () => {
    for (const s of stages()) expect(aptPackages(s).filter((p) => /^(fonts-|ttf-|xfonts-|fontconfig)/.test(p)), s.from).toEqual([]);
    const fontPackages = new Set([...PACKAGE_FONTS.map((f) => f.pkg), ...SLICED_FONTS.map((f) => f.pkg), 'wawoff2']);
    expect(fontPackages.size).toBeGreaterThanOrEqual(4);
    for (const p of fontPackages) expect(PKG.dependencies, `${p} in dependencies`).toHaveProperty([p]);
    expect(build.lines.join('\n')).toMatch(/npm prune --omit=dev[^&]*&& test -f node_modules\/dejavu-fonts-ttf\//);
  });

  it('the runtime stage copies what the server reads at run time: package.json (--version), bin, ui, dist, node_modules', () => {
    const copied = runtime.lines.filter((l) => l.startsWith('COPY ')).map((l) => {
      expect(l, 'copied from the build stage, root-owned').toMatch(/^COPY --from=build --chown=root:root /);
      return l.split(/\s+/).at(-2)!;
    });
    expect(copied.sort()).toEqual(['/app/bin', '/app/dist', '/app/node_modules', '/app/package.json', '/app/ui']);
  });

  it('runtime: UTF-8 locale without LC_ALL, tini as PID 1, the node user, a healthcheck on /healthz', () => {
    const e = env(runtime);
    expect(e['LANG']).toBe('C.UTF-8');
    expect(e['LC_ALL']).toBeUndefined();
    expect(e['NODE_ENV']).toBe('production');
    expect(e['MALLOC_ARENA_MAX']).toBe('2');
    // src/malloc-tuning.ts: pages of deleted sessions go back to the OS only with a fixed threshold.
    expect(e[MMAP_THRESHOLD_ENV]).toBe(String(MMAP_THRESHOLD_BYTES));
    expect(e['TERMPOOL_HOST']).toBe('0.0.0.0');
    expect(aptPackages(runtime)).toContain('tini');
    expect(runtime.lines).toContain('USER node');
    expect(runtime.lines).toContain(`EXPOSE ${e['TERMPOOL_PORT']}`);
    expect(runtime.lines.find((l) => l.startsWith('ENTRYPOINT'))).toBe('ENTRYPOINT ["/usr/bin/tini", "--"]');
    expect(runtime.lines.find((l) => l.startsWith('CMD'))).toBe('CMD ["node", "/app/bin/termpool.js", "serve"]');
    expect(runtime.lines.find((l) => l.startsWith('HEALTHCHECK'))).toMatch(/\/healthz/);
  });
});

describe('Dockerfile: the locale does what it is for', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'termpool-locale-')); });
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  const TEXT = 'héllo wörld ✓ 日本';
  /** vim on a UTF-8 file, snapped through the real CLI with only PATH, HOME and `extra` in the environment. */
  function vimScreen(extra: Record<string, string>): string {
    const vim = findProgram('vim', 'vim.tiny', 'vi');
    expect(vim, 'vim is needed on PATH (apt-get install vim-tiny; npm test\'s pretest does)').not.toBeNull();
    const file = join(dir, 'utf8.txt');
    writeFileSync(file, `${TEXT}\n`);
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/termpool.js'), 'snap', '--cols', '40', '--rows', '3', '--wait-regex', '^~', '--', vim!, '-u', 'NONE', '-i', 'NONE', '-N', '-n', file], {
      encoding: 'utf8', timeout: 20_000, env: { PATH: process.env['PATH']!, HOME: dir, ...extra },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return r.stdout.split('\n')[0]!;
  }

  it('vim in a session with the image\'s environment shows UTF-8 text as text; with no locale, as bytes', () => {
    const e = env(runtime);
    const imageEnv = Object.fromEntries(Object.entries(e).filter(([k]) => k === 'LANG' || k.startsWith('LC_')));
    expect(Object.keys(imageEnv)).toContain('LANG');
    expect(vimScreen(imageEnv)).toBe(TEXT);
    expect(vimScreen({})).not.toBe(TEXT);
  });
});
