/**
 * The MCP tools' backend over an in-process SessionRegistry: what `termpool mcp` (stdio) and the
 * server's /mcp route use. Does what the REST routes do for the same requests (input encoding
 * for the program's modes, event-driven waits, the PNG renderer) and throws the same coded
 * errors (ServiceError, InputError), which the tool layer turns into tool errors.
 */
import { ServiceError, inputBacklog } from '../errors.js';
import { encodeInput, inputByteLength } from '../input/index.js';
import { sessionInfo } from '../routes/session-info.js';
import { runResult } from '../routes/command-info.js';
import { DEFAULT_RUN_MAX_LINES } from '../sessions/run-command.js';
import type { SessionRegistry } from '../sessions/registry.js';
import { searchWithin } from '../sessions/search.js';
import { compileRegex } from '../sessions/regex.js';
import { waitCondition } from '../sessions/wait-request.js';
import { signalSession } from '../sessions/signal.js';
import { screenDelta, screenVersions } from '../sessions/screen-delta.js';
import type { TerminalBackend } from './tools.js';

/** The PNG rasteriser is a native module: loaded on the first screenshot. */
let renderers: Promise<typeof import('../render/index.js')> | null = null;
const render = (): Promise<typeof import('../render/index.js')> => (renderers ??= import('../render/index.js'));

export function localBackend(registry: SessionRegistry): TerminalBackend {
  return {
    async create(req) {
      return sessionInfo(registry.create({ ...req, args: req.args ?? [] }));
    },
    async list() {
      return registry.list().map(sessionInfo);
    },
    async kill(id) {
      const s = registry.get(id);
      await registry.remove(id);
      return sessionInfo(s);
    },
    async input(id, req) {
      const s = registry.getRunning(id);
      const data = encodeInput(req, s.inputModes());
      if (!s.write(data)) throw inputBacklog(s.id, s.inputPending, s.inputBacklogLimit);
      return { bytes: inputByteLength(data) };
    },
    async signal(id, sig) {
      const s = registry.getRunning(id);
      return { signal: sig, ...signalSession(s, sig), session: sessionInfo(s) };
    },
    async resize(id, cols, rows) {
      const s = registry.getRunning(id);
      registry.checkSize(cols, rows);
      s.resize(cols, rows);
      // One reflow per burst, a little later (src/sessions/session.ts): answered after it, as REST /resize.
      await s.resized();
      return sessionInfo(s);
    },
    async screenDelta(id, since) {
      // The versions REST /screen remembers too: an etag from either works with the other.
      return screenDelta(screenVersions(registry), registry.read(id), 'text', since);
    },
    async wait(id, req) {
      const s = registry.get(id);
      // The same limits and shared checks as REST /wait (429 WAIT_LIMIT).
      const outcome = await registry.waits.wait(s, waitCondition(s, { ...req, timeoutMs: req.timeoutMs ?? 10_000 }));
      return { ...outcome, session: sessionInfo(s) };
    },
    async run(id, req) {
      const s = registry.get(id);
      // The same one-at-a-time rule, waits and limits as REST /run (src/sessions/run-command.ts).
      const r = await registry.runs.run(s, { command: req.command, timeoutMs: req.timeoutMs ?? 30_000, maxLines: req.maxLines ?? DEFAULT_RUN_MAX_LINES });
      return runResult(s, r);
    },
    async snapshot(id, scrollback) {
      return registry.get(id).snapshot(scrollback);
    },
    async scrollback(id, start, count) {
      const t = registry.get(id).terminal;
      return { start, total: t.scrollbackLength, lines: t.scrollbackLines(start, count) };
    },
    async search(id, query, limit, regex) {
      const s = registry.get(id);
      return searchWithin(registry.regexBudget, s.terminal, s.screenLines(), regex === true ? compileRegex(query) : query, limit);
    },
    async png(id) {
      const snap = registry.get(id).snapshot(0);
      const r = await render();
      try {
        return await r.renderPngAsync(snap);
      } catch (err) {
        if (err instanceof r.FontsMissingError) throw new ServiceError('RENDER_UNAVAILABLE', `PNG rendering is unavailable: ${err.message}`);
        throw err;
      }
    },
  };
}
