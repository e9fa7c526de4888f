/**
 * termpool's Prometheus metrics: its own prom-client Registry (never the global one), computed at
 * scrape time from the session registry and the page pool, plus the request metrics
 * (src/metrics/request-metrics.ts) and Node's process metrics (src/metrics/process-metrics.ts).
 *
 * Owns: the metric objects, the running totals a scrape cannot recompute (sessions created,
 * bytes parsed by sessions that are gone) and its subscription to the session registry.
 *
 * Every gauge is filled by a `collect()` callback that resets it first, so a session's series
 * (`session="<id>"`) disappear with the session. Which sessions get series at all is
 * TERMPOOL_METRICS_SESSIONS: `all`, `top:N` (the N holding the most pages; default top:10) or
 * `off`, so label cardinality is bounded by N, never by history or by the session cap.
 *
 *   termpool_build_info{version,node}               1; the API version and the Node.js running it
 *   termpool_sessions_max                          TERMPOOL_MAX_SESSIONS (429 SESSION_LIMIT beyond)
 *   termpool_memory_limit_bytes                    the process's memory cap: its cgroup's, else the machine's
 *   termpool_sessions{state}                       running / exited sessions held
 *   termpool_sessions_created_total                sessions started since the process began
 *   termpool_session_pages{session}                pool pages a session's terminal holds
 *   termpool_session_leaked_bytes_estimate{session}  lent to it but reachable from none of its lists
 *   termpool_session_stranded_bytes{session}       buffer bytes its pages' metadata does not claim
 *   termpool_pool_bytes{state}                     lent (pooled) / free (pooled) / oversized / compressed; disjoint, they sum to all page bytes
 *   termpool_pool_pages{kind,state}                standard and large lent|free, oversized lent, compressed lent
 *   termpool_pool_leaked_bytes_estimate            held − referenced − free, from the independent audit
 *   termpool_pool_stranded_bytes                   Σ (buffer size − claimed size) over every page
 *   termpool_parsed_bytes_total                    pty bytes fed to terminals, sessions gone included
 *   termpool_archived_sessions{state}              archived sessions: ok / damaged
 *   termpool_archive_bytes                         archive store file size
 */
import { totalmem } from 'node:os';
import { Counter, Gauge, Registry } from 'prom-client';
import { auditPool, type AuditReport, type OwnerAudit, type PoolStats } from '../engine/index.js';
import type { SessionArchive } from '../archive/session-archive.js';
import type { MetricsSessions } from '../config.js';
import type { SessionRegistry } from '../sessions/registry.js';
import type { Session } from '../sessions/session.js';
import { API_VERSION } from '../version.js';
import { processRegistry } from './process-metrics.js';

/** What one scrape sees; computed once per scrape and shared by every collect() callback. */
interface ScrapeView {
  sessions: Session[];
  /** The sessions that get per-session series (TERMPOOL_METRICS_SESSIONS). */
  series: Session[];
  stats: PoolStats;
  audit: AuditReport;
  owners: Map<string, OwnerAudit>;
}

export interface MetricsOptions {
  /** TERMPOOL_METRICS_SESSIONS. */
  sessionSeries: MetricsSessions;
  /** Other registries served with these (the request metrics). */
  include?: Registry[];
}

/**
 * The cgroup's memory limit as libuv reads it (cgroup v1 and v2), when there is one below the
 * machine's memory; 0 or a huge value means none.
 */
export function memoryLimitBytes(): number {
  const machine = totalmem();
  const constrained = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() ?? 0 : 0;
  return constrained > 0 && constrained < machine ? constrained : machine;
}

/** The sessions that get series of their own: all, none, or the N holding the most pages (ties by id). */
export function seriesSessions(sessions: Session[], mode: MetricsSessions): Session[] {
  if (mode.mode === 'all') return sessions;
  if (mode.mode === 'off') return [];
  if (sessions.length <= mode.n) return sessions;
  return [...sessions]
    .sort((a, b) => b.terminal.pageCount - a.terminal.pageCount || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, mode.n);
}

export class TermpoolMetrics {
  /** termpool's own metrics only (tests and embedders can read it alone). */
  readonly registry = new Registry();
  /** What GET /metrics serves: `registry` merged with the process metrics. */
  private readonly exposed: Registry;
  private readonly created: Counter;
  private readonly tracked = new Set<Session>();
  /** bytesParsed of sessions already disposed. */
  private goneParsedBytes = 0;
  private view: ScrapeView | null = null;
  private readonly onCreated = (s: Session): void => this.track(s);

  constructor(private readonly sessions: SessionRegistry, private readonly opts: MetricsOptions) {
    const r = this.registry;
    const view = (): ScrapeView => this.scrapeView();

    new Gauge({
      name: 'termpool_build_info',
      help: 'Always 1; the labels say which termpool API version and which Node.js runtime this process runs',
      labelNames: ['version', 'node'] as const,
      registers: [r],
    }).set({ version: API_VERSION, node: process.version }, 1);

    new Gauge({
      name: 'termpool_sessions_max',
      help: 'Sessions the server holds at most, running and exited (TERMPOOL_MAX_SESSIONS); creating one more is 429 SESSION_LIMIT',
      registers: [r],
    }).set(sessions.config.maxSessions);

    new Gauge({
      name: 'termpool_memory_limit_bytes',
      help: 'Memory this process may use at most: its cgroup\'s limit (a container\'s memory limit), else the machine\'s memory',
      registers: [r],
      collect() { this.set(memoryLimitBytes()); },
    });

    new Gauge({
      name: 'termpool_sessions',
      help: 'Sessions held by the server, by state (exited ones are kept for TERMPOOL_EXITED_RETENTION_MS)',
      labelNames: ['state'] as const,
      registers: [r],
      collect() {
        let running = 0;
        let exited = 0;
        for (const s of view().sessions) s.running ? running++ : exited++;
        this.set({ state: 'running' }, running);
        this.set({ state: 'exited' }, exited);
      },
    });

    const archive = (): SessionArchive | null => this.sessions.archive;
    new Gauge({
      name: 'termpool_archived_sessions',
      help: 'Sessions in the archive store, readable (state="ok") or failing their checks (state="damaged")',
      labelNames: ['state'] as const,
      registers: [r],
      collect() {
        const h = archive()?.health();
        this.set({ state: 'ok' }, h?.sessions ?? 0);
        this.set({ state: 'damaged' }, h?.damagedSessions ?? 0);
      },
    });

    new Gauge({
      name: 'termpool_archive_bytes',
      help: 'Size of the archive store file (SQLite pages × page size)',
      registers: [r],
      collect() { this.set(archive()?.sizeBytes() ?? 0); },
    });

    this.created = new Counter({
      name: 'termpool_sessions_created_total',
      help: 'Sessions started since the server started',
      registers: [r],
    });

    new Gauge({
      name: 'termpool_session_pages',
      help: 'Pool pages held by a session\'s terminal (both screens)',
      labelNames: ['session'] as const,
      registers: [r],
      collect() {
        this.reset();
        for (const s of view().series) this.set({ session: s.id }, s.terminal.pageCount);
      },
    });

    new Gauge({
      name: 'termpool_session_leaked_bytes_estimate',
      help: 'Bytes the pool lent to a session\'s terminal that none of its page lists reach (independent audit; should be 0)',
      labelNames: ['session'] as const,
      registers: [r],
      collect() {
        this.reset();
        const v = view();
        for (const s of v.series) this.set({ session: s.id }, v.owners.get(s.id)?.leakedBytes ?? 0);
      },
    });

    new Gauge({
      name: 'termpool_session_stranded_bytes',
      help: 'Bytes of a session\'s page buffers beyond what the pages\' metadata claims (should be 0)',
      labelNames: ['session'] as const,
      registers: [r],
      collect() {
        this.reset();
        const v = view();
        for (const s of v.series) this.set({ session: s.id }, v.owners.get(s.id)?.strandedBytes ?? 0);
      },
    });

    new Gauge({
      name: 'termpool_pool_bytes',
      help: 'Page bytes the pool accounts for: lent pooled pages (standard and large), free pooled pages, oversized pages, compressed cold pages (disjoint; the sum is all page memory)',
      labelNames: ['state'] as const,
      registers: [r],
      collect() {
        const st = view().stats;
        this.set({ state: 'lent' }, st.bytesLent - st.oversizedBytes);
        this.set({ state: 'free' }, st.bytesFree);
        this.set({ state: 'oversized' }, st.oversizedBytes);
        this.set({ state: 'compressed' }, st.compressedBytes);
      },
    });

    new Gauge({
      name: 'termpool_pool_pages',
      help: 'Pages the pool accounts for, by kind (small, standard, large, oversized) and state (lent, free; oversized pages are never free)',
      labelNames: ['kind', 'state'] as const,
      registers: [r],
      collect() {
        const st = view().stats;
        this.set({ kind: 'small', state: 'lent' }, st.lentSmallPages);
        this.set({ kind: 'small', state: 'free' }, st.freeSmallPages);
        this.set({ kind: 'standard', state: 'lent' }, st.lentStandardPages);
        this.set({ kind: 'standard', state: 'free' }, st.freeStandardPages);
        this.set({ kind: 'large', state: 'lent' }, st.lentLargePages);
        this.set({ kind: 'large', state: 'free' }, st.freeLargePages);
        this.set({ kind: 'oversized', state: 'lent' }, st.oversizedPages);
        this.set({ kind: 'compressed', state: 'lent' }, st.compressedPages);
      },
    });

    new Gauge({
      name: 'termpool_pool_leaked_bytes_estimate',
      help: 'Bytes held for pages minus bytes referenced by live page lists minus free-list bytes (independent audit; should be 0)',
      registers: [r],
      collect() { this.set(view().audit.leakedBytes); },
    });

    new Gauge({
      name: 'termpool_pool_stranded_bytes',
      help: 'Sum over all pages of buffer size minus the size their metadata claims (should be 0)',
      registers: [r],
      collect() { this.set(view().audit.strandedBytes); },
    });

    const tracked = this.tracked;
    const gone = (): number => this.goneParsedBytes;
    new Counter({
      name: 'termpool_parsed_bytes_total',
      help: 'Bytes programs wrote to their ptys and the engine parsed, including sessions already gone',
      registers: [r],
      collect() {
        let total = gone();
        for (const s of tracked) total += s.terminal.bytesParsed;
        // A counter has no set(): rebuild it from the running total (never decreases).
        this.reset();
        this.inc(total);
      },
    });

    for (const s of sessions.list()) this.track(s);
    sessions.on('created', this.onCreated);
    this.exposed = Registry.merge([processRegistry(), r, ...(opts.include ?? [])]);
  }

  get contentType(): string { return this.exposed.contentType; }

  /** The text exposition GET /metrics serves. */
  scrape(): Promise<string> { return this.exposed.metrics(); }

  /** Stops following the session registry (app close). */
  close(): void {
    this.sessions.off('created', this.onCreated);
    this.tracked.clear();
  }

  private track(s: Session): void {
    if (this.tracked.has(s) || s.isDisposed) return;
    this.tracked.add(s);
    this.created.inc();
    s.once('closed', () => {
      // Moved to the running total before the session's listeners go (dispose removes them).
      if (this.tracked.delete(s)) this.goneParsedBytes += s.terminal.bytesParsed;
    });
  }

  /**
   * Sessions, pool stats and one pool audit, shared by all collect() callbacks of one scrape
   * (the audit walks every page, so it runs once, not once per metric). A scrape's callbacks run
   * back to back; the view is dropped on the next turn of the event loop.
   */
  private scrapeView(): ScrapeView {
    if (this.view === null) {
      const pool = this.sessions.pool;
      const audit = auditPool(pool);
      const sessions = this.sessions.list().filter((s) => !s.isDisposed);
      this.view = {
        sessions,
        series: seriesSessions(sessions, this.opts.sessionSeries),
        stats: pool.stats(),
        audit,
        owners: new Map(audit.owners.map((o) => [o.label, o])),
      };
      setImmediate(() => { this.view = null; });
    }
    return this.view;
  }
}
