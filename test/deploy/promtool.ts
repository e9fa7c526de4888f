/**
 * Prometheus's own checker, `promtool` (Debian's `prometheus` package, installed by the pretest:
 * scripts/test-prereqs.sh), for tests that lint what termpool ships: the /metrics exposition,
 * the alert rules and their unit tests. Tests skip (with the reason recorded) where it is missing.
 */
import { spawnSync } from 'node:child_process';
import { findProgram } from '../helpers/service.js';

/** Its name on PATH, or null. */
export const PROMTOOL = findProgram('promtool');

/** Why promtool tests cannot run here, or null. */
export const NO_PROMTOOL = PROMTOOL === null ? 'promtool is not installed (Debian package prometheus; npm test\'s pretest installs it as root)' : null;

export interface PromtoolResult { code: number | null; out: string }

/** Runs `promtool ...args` with `input` on stdin; out = stdout + stderr. */
export function promtool(args: string[], input?: string, cwd?: string): PromtoolResult {
  const r = spawnSync(PROMTOOL ?? 'promtool', args, { input, cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
