/**
 * Who may reach this server from a web browser. Any page the user opens can make the browser send
 * requests to 127.0.0.1, and this API runs commands, so two browser attacks are refused here, in
 * one onRequest hook registered before auth and before every route (the WebSocket upgrade, /mcp,
 * the viewer's files, /healthz and 404s included):
 *
 * - **DNS rebinding.** A page on a name its author controls re-points that name at 127.0.0.1;
 *   the browser then takes the server for the page's own origin and lets the page read every
 *   answer. What gives it away is the Host header, which still names the page's host. With no
 *   token configured, only a Host naming loopback (`localhost`, a 127.0.0.0/8 address written as
 *   four decimal octets, `[::1]`, each with or without a port) or a name listed in
 *   TERMPOOL_ALLOWED_HOSTS is answered; anything else, a missing Host included, gets 421
 *   HOST_NOT_ALLOWED. Deliberately refused although they may reach loopback: `0.0.0.0` (the
 *   "0.0.0.0 day" route from public pages), shorthand and integer IPv4 forms (`127.1`,
 *   `2130706433`; browsers never send them, they write 127.0.0.1), IPv4-mapped IPv6
 *   (`[::ffff:127.0.0.1]`), `localhost.` and every other name — names are what rebinding uses.
 *   With a token, any Host is answered (a reverse proxy or a cluster names the server as it
 *   likes; the token, which a browser never sends by itself, is the protection).
 * - **Cross-site requests and WebSocket hijacking.** The same-origin policy only hides answers:
 *   a page may still POST, DELETE or open a WebSocket to any origin. A request that can change
 *   state — any method but GET/HEAD/OPTIONS, any WebSocket upgrade, anything on /mcp — whose
 *   `Origin` is neither the server's own (`http://` or `https://` followed by the request's Host)
 *   nor listed in TERMPOOL_ALLOWED_ORIGINS gets 403 ORIGIN_NOT_ALLOWED, with or without a token;
 *   `Origin: null` (sandboxed frames, file: pages) included. Without an Origin, a
 *   `Sec-Fetch-Site` of `cross-site` or `same-site` is refused the same way (browsers that send
 *   one always send Origin on such requests too; this only covers one that did not). A request
 *   with neither header is not from a browser page (curl, SDKs) and passes.
 *
 * Every answer also carries `X-Content-Type-Options: nosniff`, so no browser takes a text or
 * JSON answer for a script or a page. The server sends no CORS headers at all: a foreign page can
 * read none of its answers.
 */
import type {} from '@fastify/websocket'; // route options `websocket` and `wsHandler`
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ServiceError } from '../errors.js';
import { ErrorBody } from '../schemas/common.js';
import { closeRefusedUpgrade, isUpgrade } from './upgrade-refusal.js';

export interface HostGuardOptions {
  /** Empty: no auth, so the Host check is on. */
  token: string;
  /** TERMPOOL_ALLOWED_HOSTS: host names (lower case, no port) accepted besides loopback. */
  allowedHosts: readonly string[];
  /** TERMPOOL_ALLOWED_ORIGINS: origins (lower case, `scheme://host[:port]`) accepted besides the server's own. */
  allowedOrigins: readonly string[];
}

/** The rules, for code that checks them again (the MCP transport, src/routes/mcp.ts). */
export interface HostGuard {
  /** Whether a request with this Host header is answered. */
  hostAllowed(host: string | undefined): boolean;
  /** The Origin values a request with this Host may carry on a state-changing request. */
  origins(host: string | undefined): string[];
}

declare module 'fastify' {
  interface FastifyInstance {
    hostGuard: HostGuard;
  }
}

/** `name[:port]` or `[v6]:port`; the name lower-cased (Host is case-insensitive), or null when malformed. */
export function hostName(host: string): string | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host);
  if (m === null || (m[2] !== undefined && Number(m[2]) > 65535)) return null;
  return m[1]!.toLowerCase();
}

const OCTET = /^(?:0|[1-9]\d{0,2})$/;

/**
 * True for `localhost`, `[::1]` and 127.0.0.0/8 as four decimal octets (no leading zeros, each
 * at most 255): exactly the spellings a browser sends for loopback, and none a DNS name can take.
 */
export function isLoopbackName(name: string): boolean {
  if (name === 'localhost' || name === '[::1]') return true;
  const octets = name.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => OCTET.test(o) && Number(o) <= 255);
}

export function createHostGuard(opts: HostGuardOptions): HostGuard {
  const hosts = new Set(opts.allowedHosts.map((h) => h.toLowerCase()));
  const origins = opts.allowedOrigins.map((o) => o.toLowerCase());
  return {
    hostAllowed(host) {
      if (opts.token !== '') return true;
      const name = host === undefined ? null : hostName(host);
      return name !== null && (isLoopbackName(name) || hosts.has(name));
    },
    origins(host) {
      // Browsers write Origin in lower case, with the port only when it is not the default,
      // as they write Host; https: for a TLS-terminating proxy that passes Host through.
      const own = host === undefined || host === '' ? [] : [`http://${host.toLowerCase()}`, `https://${host.toLowerCase()}`];
      return [...own, ...origins];
    },
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether the Origin rule applies: anything that can change state, and all of /mcp. */
function changesState(req: FastifyRequest): boolean {
  return !SAFE_METHODS.has(req.method) || isUpgrade(req) || req.routeOptions.url === '/mcp';
}

/** Shown in refusals: a header value is the attacker's text, so bounded and JSON-quoted. */
const shown = (v: string | undefined): string => (v === undefined ? '(none)' : JSON.stringify(v.slice(0, 200)));

async function hostGuardPlugin(app: FastifyInstance, opts: HostGuardOptions): Promise<void> {
  const guard = createHostGuard(opts);
  app.decorate('hostGuard', guard);

  // Documented on every route: 421 anywhere, 403 where the Origin rule applies.
  app.addHook('onRoute', (route) => {
    const schema = route.schema ?? {};
    const response = (schema.response ?? {}) as Record<string, unknown>;
    const methods = [route.method].flat();
    const upgrades = route.websocket === true || route.wsHandler !== undefined;
    const origin = route.url === '/mcp' || upgrades || methods.some((m) => !SAFE_METHODS.has(m));
    route.schema = {
      ...schema,
      response: { ...response, ...(origin && !('403' in response) && { 403: ErrorBody }), ...(!('421' in response) && { 421: ErrorBody }) },
    };
  });

  app.addHook('onRequest', async (req, reply) => {
    // On the raw response, so hijacked answers (/mcp) carry it too.
    reply.raw.setHeader('x-content-type-options', 'nosniff');
    const host = req.headers.host;
    if (!guard.hostAllowed(host)) {
      closeRefusedUpgrade(req, reply);
      throw new ServiceError('HOST_NOT_ALLOWED',
        `this server does not answer for Host ${shown(host)}: without a token it answers only for loopback ` +
        `(localhost, 127.x.x.x, [::1]), so a web page cannot reach it by DNS rebinding. Use http://127.0.0.1:<port>/, ` +
        `or list the name in TERMPOOL_ALLOWED_HOSTS (or set TERMPOOL_TOKEN)`);
    }
    if (!changesState(req)) return;
    const origin = req.headers.origin;
    if (origin !== undefined) {
      // Exact: browsers write Origin in lower case (the MCP transport compares it the same way).
      if (guard.origins(host).includes(origin)) return;
      closeRefusedUpgrade(req, reply);
      throw new ServiceError('ORIGIN_NOT_ALLOWED',
        `requests from pages of origin ${shown(origin)} may not change this server (a web page cannot drive it ` +
        `cross-site); list the origin in TERMPOOL_ALLOWED_ORIGINS to allow it`);
    }
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') {
      closeRefusedUpgrade(req, reply);
      throw new ServiceError('ORIGIN_NOT_ALLOWED',
        `a ${site} request from a web page (Sec-Fetch-Site) may not change this server; send an Origin listed in TERMPOOL_ALLOWED_ORIGINS`);
    }
  });
}

export default fp(hostGuardPlugin, { name: 'termpool-host-guard', fastify: '5.x', dependencies: ['termpool-errors'] });
