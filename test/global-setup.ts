/**
 * vitest globalSetup: compile the project once (tsc → dist/) before any test file runs, so
 * tests that spawn the real CLI (`bin/termpool.js` → dist/src/cli/main.js) run current code.
 *
 * Type errors do not abort the run: tsc still emits, and `npm test` type-checks separately;
 * a half-finished file elsewhere must not make every spawned-CLI test fail. Set
 * TERMPOOL_SKIP_BUILD=1 to skip the build when dist/ is known to be fresh.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  if (process.env['TERMPOOL_SKIP_BUILD'] === '1') return;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const res = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, encoding: 'utf8' });
  if (res.error) throw res.error;
  if (res.status !== 0) {
    const errors = (res.stdout.match(/error TS\d+/g) ?? []).length;
    process.stderr.write(`global-setup: tsc reported ${errors} type error(s); continuing with the emitted dist/\n`);
  }
  if (!existsSync(new URL('../dist/src/cli/main.js', import.meta.url))) {
    throw new Error(`global-setup: build produced no dist/src/cli/main.js\n${res.stdout}${res.stderr}`);
  }
}
