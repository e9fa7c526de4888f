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

/**
 * Files that measure the machine (event-loop delay, RSS bounds, a bystander's latency under a
 * flood, long fuzz runs) run alone, after the rest: another file's work beside them would be
 * noise in their figures. Everything else mostly waits on real processes, pipes and sockets,
 * so two files at once on 2 cores (vitest's default there is one) cut the wall time by about a third.
 */
const MEASURING = [
  'test/hostile/**/*.test.ts',
  'test/deploy/malloc-tuning.test.ts',
  'test/engine/soak.test.ts',
  'test/fuzz/**/*.test.ts',
  'test/archive/recording-convert-stream.test.ts',
  'test/routes/render-budget.test.ts',
];

/** What every project shares. The global setup is the root's only: a project given it would build again. */
const shared = {
  testTimeout: 30_000,
  // Hooks start real servers and a browser: on a loaded 2-core machine that can take > 10 s.
  hookTimeout: 60_000,
  pool: 'forks' as const,
  env: suiteEnv(root),
  // The teardown's leak check waits for stragglers before it reports them.
  teardownTimeout: 60_000,
};

export default defineConfig({
  test: {
    ...shared,
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/helpers/skip-reporter.ts'],
    projects: [
      { test: { ...shared, name: 'concurrent', include: ['test/**/*.test.ts'], exclude: MEASURING, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { test: { ...shared, name: 'alone', include: MEASURING, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
