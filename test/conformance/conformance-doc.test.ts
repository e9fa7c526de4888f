/**
 * docs/conformance.md's table of intentional differences names exactly the allow-listed entries
 * (differential and vttest), so the document cannot drift from what the tests accept.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALLOWED } from '../engine/differential-allowed.js';
import { ALLOWED_SCREENS } from './vttest-screens.js';

const DOC = fileURLToPath(new URL('../../docs/conformance.md', import.meta.url));

function documentedEntries(): string[] {
  const text = readFileSync(DOC, 'utf8');
  const start = text.indexOf('## Oracles and intentional differences');
  expect(start, 'the section exists').toBeGreaterThanOrEqual(0);
  const next = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, next < 0 ? undefined : next);
  const out: string[] = [];
  for (const line of section.split('\n')) {
    const m = /^\| (xterm\.js|ghostty|tmux) \| `([^`]+)` \| (text|cursor|attrs|replies) \|/.exec(line);
    if (m) out.push(`${m[1]} ${m[2]} ${m[3]}`);
  }
  return out.sort();
}

describe('docs/conformance.md: Oracles and intentional differences', () => {
  it('lists every allow-listed difference, and nothing else', () => {
    const listed = [
      ...ALLOWED.map((a) => `${a.oracle} ${a.case} ${a.aspect}`),
      ...ALLOWED_SCREENS.map((a) => `tmux vttest ${a.screen} text`),
    ].sort();
    const documented = documentedEntries();
    expect(documented.filter((d) => !listed.includes(d)), 'in the document, not in an allow-list').toEqual([]);
    expect(listed.filter((l) => !documented.includes(l)), 'allow-listed, not in the document (run node dist/test/conformance/differences-table.js)').toEqual([]);
  });
});
