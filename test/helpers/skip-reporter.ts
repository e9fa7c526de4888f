/**
 * A vitest reporter that says why each skipped test was skipped, after the summary:
 *
 *   skipped: test/sessions/sandbox.test.ts — 3 tests (Sandbox (bwrap, network off) > …): <reason>
 *
 * The reason is the test's `ctx.skip(note)`, else what its file recorded with `skipBecause`
 * (test/helpers/suite.ts). A skipped test with neither fails the run: no test skips silently.
 * Runs filtered by name (-t) skip tests for that reason alone and are not checked.
 */
import path from 'node:path';
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';
import { RUN_VAR, recordedSkips } from './suite.js';

export default class SkipReporter implements Reporter {
  private vitest!: Vitest;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const root = this.vitest.config.env[RUN_VAR];
    const recorded = root ? recordedSkips(root) : new Map<string, string[]>();
    const filtered = this.vitest.config.testNamePattern !== undefined;
    const lines: string[] = [];
    let silent = 0;
    for (const m of modules) {
      const byReason = new Map<string, string[]>();
      for (const t of m.children.allTests()) {
        const r = t.result();
        if (r.state !== 'skipped') continue;
        if (filtered && t.options.mode === 'skip') continue;
        const reason = r.note ?? recorded.get(m.moduleId)?.join('; ') ?? (setupFailed(t) ? 'its suite\'s set-up failed (reported above)' : null);
        if (reason === null) silent++;
        const key = reason ?? 'NO REASON GIVEN (a skip must say why: ctx.skip(note) or skipBecause)';
        byReason.set(key, [...(byReason.get(key) ?? []), t.fullName]);
      }
      const file = path.relative(this.vitest.config.root, m.moduleId);
      for (const [reason, names] of byReason) {
        const which = names.length === 1 ? names[0] : `${names.length} tests (${names[0]} …)`;
        lines.push(`  skipped: ${file} — ${which}: ${reason}`);
      }
    }
    if (lines.length === 0) return;
    process.stdout.write(`\nSkipped tests and why:\n${lines.join('\n')}\n`);
    if (silent > 0) {
      process.stdout.write(`\n${silent} test(s) skipped without a reason: the run fails\n`);
      process.exitCode = 1;
    }
  }
}

/** True when a suite around `t` (or its file) failed in a hook: vitest then skips its tests. */
function setupFailed(t: TestCase): boolean {
  for (let p: TestCase['parent'] | undefined = t.parent; p; p = p.type === 'module' ? undefined : p.parent) {
    if (p.errors().length > 0) return true;
  }
  return false;
}
