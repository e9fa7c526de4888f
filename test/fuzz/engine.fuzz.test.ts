/**
 * Bounded engine fuzzing (fast-check): each property of test/fuzz/properties.ts runs for a
 * fixed number of inputs or FUZZ_MS_PER_PROPERTY milliseconds (default 5,000), whichever
 * comes first, so the file stays under a minute on a 2-core machine. The seed is fixed
 * (FUZZ_SEED, default 20240601) so CI is reproducible; the long run (`npm run fuzz`, see
 * RELIABILITY.md) explores new seeds. A failure prints the seed, the path and the shrunk
 * scenario; add it to regressions.test.ts with `scenarioSource`.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { property, PROPERTIES } from './properties.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20240601);
const MS = Number(process.env['FUZZ_MS_PER_PROPERTY'] ?? 5000);

/** Inputs per property when time allows (the slow families get fewer). */
const RUNS: Record<string, number> = {
  bytes: 400, recording: 150, grammar: 300, storm: 120, differential: 150, pooled: 200, tiny: 3000, 'tiny-differential': 1500, archive: 150,
};

describe('engine fuzz', () => {
  for (const p of PROPERTIES) {
    it(`${p.name}: ${p.what}`, () => {
      fc.assert(property(p), {
        seed: SEED,
        numRuns: RUNS[p.name] ?? 100,
        interruptAfterTimeLimit: MS,
        markInterruptAsFailure: false,
      });
    }, MS * 4 + 30_000);
  }
});
