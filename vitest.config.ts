import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { suiteEnv } from './test/helpers/suite.js';

/**
 * This run's own root under the OS temp dir (test/helpers/suite.ts): the workers' HOME and XDG
 * directories point into it, so nothing the suite starts writes into the real home. Created by
 * the global setup, removed by its teardown once the run passed.
 */
const root = path.join(tmpdir(), `termpool-test-${randomBytes(6).toString('hex')}`);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Hooks start real servers and a browser: on a loaded 2-core machine that can take > 10 s.
    hookTimeout: 60_000,
    pool: 'forks',
    env: suiteEnv(root),
    globalSetup: ['test/global-setup.ts'],
    // The teardown's leak check waits for stragglers before it reports them.
    teardownTimeout: 60_000,
    reporters: ['default', './test/helpers/skip-reporter.ts'],
  },
});
