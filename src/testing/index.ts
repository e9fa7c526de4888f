/**
 * `termpool/testing`: golden screens for test suites (the package's "./testing" export).
 *
 *   import { expect } from 'vitest';
 *   import { screenMatchers } from 'termpool/testing';
 *   expect.extend(screenMatchers);
 *   await expect({ client: tp, session: s.id }).toMatchScreen('__screens__/prompt.txt');
 *
 * The golden file format is described in golden-format.ts; the update rules in golden-check.ts
 * and matcher.ts. `checkGolden` is the same check as `termpool assert` runs.
 */
export { toMatchScreen, screenMatchers, type ScreenMatchers, type MatchScreenOptions, type MatcherContextLike, type ScreenMatcherResult } from './matcher.js';
export { checkGolden, updateFromEnv, GoldenFileError, type GoldenCheck, type GoldenResult, type UpdateMode } from './golden-check.js';
export { goldenOf, fetchSnapshot, ScreenInputError, type ScreenLike, type LiveScreen, type ScreenClient } from './screen-input.js';
export { formatGolden, parseGolden, goldenOfSnapshot, GoldenFormatError, type GoldenScreen, type GoldenOptions, type StyledRun } from './golden-format.js';
export { formatLineDiff } from './line-diff.js';
export { artefactPaths, drawGolden } from './png-artefacts.js';
