/**
 * The web app's core: every route declares an access rule (deny by default), and one hook applies it
 * before any handler runs — login, role, municipality scope, purpose for client-level data, CSRF on
 * state-changing requests. A route registered without a rule makes the app refuse to start.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decide, municipalityScope, needsSuppression, type RouteRule } from '../access/policy.js';
import type { Accounts } from '../access/accounts.js';
import { normaliseMunicipalityCode } from '../domain/codes/index.js';
import type { Role, Warehouse } from '../warehouse/warehouse.js';

export const SESSION_COOKIE = 'grip_session';

export interface WebUser {
  username: string;
  role: Role;
  municipalities: string[];
  organisation: string | null;
  csrfToken: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    rule?: RouteRule;
  }
  interface FastifyRequest {
    gripUser: WebUser | null;
    gripSessionId: string | null;
  }
}

export interface WebDeps {
  warehouse: Warehouse;
  accounts: Accounts;
  /** Set the Secure flag on cookies (behind TLS). Default: when the request came over https. */
  secureCookies?: boolean;
}

/** What a handler knows about who asks: the user, the municipalities it may see, whether to suppress. */
export interface Viewer {
  user: WebUser | null;
  /** Municipality codes the user may see; null = all. */
  scope: string[] | null;
  /** Small numbers must be suppressed (raad, partner). */
  suppress: boolean;
  /** The purpose stated for client-level data (gemeente users), if any. */
  purpose: string | null;
}

export function viewer(req: FastifyRequest): Viewer {
  const u = req.gripUser;
  const scope = u ? municipalityScope(u) : [];
  const q = (req.query ?? {}) as Record<string, unknown>;
  return {
    user: u,
    scope: scope === null ? null : [...scope],
    suppress: needsSuppression(u),
    purpose: typeof q.doel === 'string' ? q.doel : null,
  };
}

/** Restricts a list of requested municipalities to the viewer's scope (null = all allowed). */
export function scoped(v: Viewer, requested?: string[]): string[] | undefined {
  if (v.scope === null) return requested;
  if (!requested) return v.scope;
  return requested.filter((m) => v.scope!.includes(m));
}

/** The municipality a request is about, from the path (`:code`), the query or the form (`municipality`). */
export function requestMunicipalities(req: FastifyRequest): string[] {
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v !== 'string' || !v) return;
    for (const part of v.split(',')) {
      const code = normaliseMunicipalityCode(part.trim()) ?? part.trim();
      if (code) out.push(code);
    }
  };
  add((req.params as Record<string, unknown> | undefined)?.code);
  add((req.query as Record<string, unknown> | undefined)?.municipality);
  add((req.body as Record<string, unknown> | undefined)?.municipality);
  return out;
}

const wantsHtml = (req: FastifyRequest) =>
  !req.url.startsWith('/api/') && !/\.(csv|xlsx|pdf|json|ics|docx)(\?|$)/.test(req.url);

/** Installs the access hook. Call before registering routes. */
export interface RegisteredRoute {
  method: string;
  url: string;
  rule: RouteRule;
}

const ROUTES = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route of the app with its declared rule (for the route × role test and documentation). */
export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  return ROUTES.get(app) ?? [];
}

export function installAccess(
  app: FastifyInstance,
  deps: WebDeps,
  render: { forbidden(req: FastifyRequest): string; purpose(req: FastifyRequest): string },
): void {
  app.decorateRequest('gripUser', null);
  app.decorateRequest('gripSessionId', null);
  const routes: RegisteredRoute[] = [];
  ROUTES.set(app, routes);

  app.addHook('onRoute', (route) => {
    const rule = route.config?.rule;
    if (!rule)
      throw new Error(
        `route ${[route.method].flat().join(',')} ${route.url} has no access rule (config.rule); every route must declare who may use it`,
      );
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url, rule });
  });

  app.addHook('preHandler', async (req, reply) => {
    const rule = req.routeOptions.config.rule;
    if (!rule) {
      if (req.is404) return; // the not-found handler answers
      return reply.code(404).send({ error: 'niet gevonden' });
    }
    const sid = req.cookies[SESSION_COOKIE];
    if (sid) {
      const r = await deps.accounts.resolve(sid);
      if (r) {
        req.gripSessionId = sid;
        req.gripUser = {
          username: r.user.username,
          role: r.user.role,
          municipalities: r.user.municipalities,
          organisation: r.user.organisation,
          csrfToken: r.session.csrfToken,
        };
      }
    }
    const munis = requestMunicipalities(req);
    const purpose =
      typeof (req.query as Record<string, unknown>).doel === 'string'
        ? String((req.query as Record<string, unknown>).doel)
        : null;
    let decision = decide(req.gripUser, rule, null, purpose);
    for (const m of munis) {
      if (decision !== 'allow') break;
      decision = decide(req.gripUser, rule, m, purpose);
    }
    if (decision === 'login') {
      if (wantsHtml(req) && req.method === 'GET') return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`);
      return reply.code(401).send({ error: 'niet ingelogd' });
    }
    if (decision === 'forbidden') {
      if (wantsHtml(req)) return reply.code(403).type('text/html').send(render.forbidden(req));
      return reply.code(403).send({ error: 'geen toegang' });
    }
    if (decision === 'purpose-required') {
      if (wantsHtml(req)) return reply.code(403).type('text/html').send(render.purpose(req));
      return reply.code(403).send({ error: 'geef een doel op (parameter doel) voor gegevens op cliëntniveau' });
    }
    // CSRF: every state-changing request of a logged-in user carries the session's token.
    if (req.method !== 'GET' && req.method !== 'HEAD' && rule.roles !== 'public') {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const token =
        (req.headers['x-csrf-token'] as string | undefined) ??
        (typeof body._csrf === 'string' ? body._csrf : undefined);
      if (!token || !req.gripUser || token !== req.gripUser.csrfToken) {
        return reply
          .code(403)
          .type(wantsHtml(req) ? 'text/html' : 'application/json')
          .send(wantsHtml(req) ? render.forbidden(req) : { error: 'ongeldig of ontbrekend CSRF-token' });
      }
    }
  });
}

export function setSessionCookie(
  reply: FastifyReply,
  req: FastifyRequest,
  value: string,
  deps: WebDeps,
  maxAgeSeconds: number,
): void {
  reply.setCookie(SESSION_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: deps.secureCookies ?? req.protocol === 'https',
    maxAge: maxAgeSeconds,
  });
}

/** Writes an audit entry for a view or export of client-level data (NEN 7513 style). */
export async function auditClientView(
  deps: WebDeps,
  req: FastifyRequest,
  action: string,
  clients: string[],
  municipality: string | null,
  detail: string | null = null,
): Promise<void> {
  const u = req.gripUser;
  await deps.warehouse.appendAudit({
    at: new Date().toISOString(),
    username: u?.username ?? '-',
    role: u?.role ?? '-',
    action,
    clients: [...new Set(clients)].sort(),
    purpose: viewer(req).purpose,
    municipality,
    detail,
  });
}
