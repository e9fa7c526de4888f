/**
 * Node's process metrics (prom-client's defaults: process_resident_memory_bytes,
 * nodejs_heap_size_used_bytes, nodejs_eventloop_lag_p99_seconds, GC, ...) under their standard
 * names, so stock dashboards and alerts work, minus the three families `promtool check metrics`
 * rejects.
 *
 * prom-client exports `nodejs_active_handles_total`, `nodejs_active_requests_total` and
 * `nodejs_active_resources_total` as gauges, and a gauge must not end in `_total` (promtool: 'non-
 * counter metrics should not have "_total" suffix'). Each is the sum of the per-type family
 * beside it (`nodejs_active_handles{type}`, ...), so nothing is lost: `sum(nodejs_active_handles)`.
 *
 * NOTE: module-level on purpose: they describe the process, and collectDefaultMetrics starts
 * process-wide monitors (event-loop delay, GC observer) that must not be started again for every
 * app a test builds. Created on first use.
 */
import { Registry, collectDefaultMetrics } from 'prom-client';

/** Default families dropped: gauges named like counters (their per-type families stay). */
export const DROPPED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'] as const;

let processMetrics: Registry | null = null;

export function processRegistry(): Registry {
  if (processMetrics === null) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
    for (const name of DROPPED_DEFAULTS) processMetrics.removeSingleMetric(name);
  }
  return processMetrics;
}
