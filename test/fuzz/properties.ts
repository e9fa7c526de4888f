/**
 * The named fuzz properties: which arbitrary feeds which check. The vitest file runs each for
 * a bounded number of inputs; bench/fuzz-long.ts runs them round-robin for millions.
 */
import fc from 'fast-check';
import { PagePool } from '../../src/engine/index.js';
import {
  anyScenario, bytesScenario, grammarScenario, recordingScenario, type Scenario, stormScenario, tinyScenario,
} from './arbitraries.js';
import { checkArchiveRoundTrip, checkChunkingInvariance, checkScenario } from './invariants.js';

export interface FuzzProperty {
  name: string;
  what: string;
  arb: fc.Arbitrary<Scenario>;
  run: (s: Scenario) => void;
}

/** One pool kept across inputs: its free list holds pages laid out for other widths. */
const sharedPool = new PagePool({ maxFreePages: 8 });

export const PROPERTIES: readonly FuzzProperty[] = [
  { name: 'bytes', what: 'random bytes (with resizes)', arb: bytesScenario, run: (s) => checkScenario(s) },
  { name: 'recording', what: 'mutated real recordings', arb: recordingScenario(), run: (s) => checkScenario(s) },
  { name: 'grammar', what: 'escape-sequence grammar, extreme parameters', arb: grammarScenario, run: (s) => checkScenario(s) },
  { name: 'storm', what: 'resize storms interleaved with output', arb: stormScenario, run: (s) => checkScenario(s) },
  { name: 'differential', what: 'one chunk vs random chunks give the same screen', arb: anyScenario(), run: (s) => checkChunkingInvariance(s) },
  { name: 'tiny', what: 'small screens, short grammar inputs (the long run\'s bulk)', arb: tinyScenario, run: (s) => checkScenario(s) },
  { name: 'tiny-differential', what: 'chunking differential on tiny inputs', arb: tinyScenario, run: (s) => checkChunkingInvariance(s) },
  { name: 'archive', what: 'archive → restore reads back the same screen, snapshot and scrollback', arb: anyScenario(), run: (s) => checkArchiveRoundTrip(s) },
  { name: 'pooled', what: 'all families on one shared pool (recycled pages)', arb: anyScenario(), run: (s) => checkScenario(s, sharedPool) },
];

export function property(p: FuzzProperty): fc.IPropertyWithHooks<[Scenario]> {
  return fc.property(p.arb, (s) => { p.run(s); });
}
