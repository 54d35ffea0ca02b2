/**
 * The web app: a Dutch dashboard and its JSON API, on fastify. Access control is part of the core
 * (core.ts): every route declares its rule; pages are modules in pages/ that register their routes.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import { Accounts } from '../access/accounts.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { installAccess, type WebDeps } from './core.js';
import { OTHER_PROVIDER_NOTE, providerScope } from './protected.js';
import { WebData } from './data.js';
import { warmOverview } from './pages/overview.js';
import { warmQuality } from './pages/quality.js';
import { warmRoutes } from './pages/routes.js';
import { warmCases } from './pages/cases.js';
import { warmDrivers } from './pages/drivers.js';
import { errorPage, html, page } from './layout.js';
import { registerAuth } from './pages/auth.js';
import { registerOverview } from './pages/overview.js';
import { registerMunicipality } from './pages/municipality.js';
import { registerCompare } from './pages/compare.js';
import { registerApi } from './pages/api.js';
import { registerAdmin } from './pages/admin.js';
import { registerDownloads } from './pages/downloads.js';
import { registerDrivers } from './pages/drivers.js';
import { registerCases } from './pages/cases.js';
import { registerMarkedCases } from './pages/marked-cases.js';
import { registerStatements } from './pages/statements.js';
import { registerRoutes } from './pages/routes.js';
import { registerQuality } from './pages/quality.js';
import { registerDecisions } from './pages/decisions.js';
import { registerCorona } from './pages/corona.js';
import { registerOidc } from './pages/oidc.js';
import { registerBegroting } from './pages/begroting.js';
import { registerVerdeling } from './pages/verdeling.js';
import { registerMaatregelen } from './pages/maatregelen.js';
import { registerKpi } from './pages/kpi.js';
import { registerScenario as registerScenarioPage } from './pages/scenario.js';
import { registerBegrippen } from './pages/begrippen.js';
import { registerStatic } from './pages/static.js';
import { registerImports } from './pages/imports.js';
import { checkOidcSettings, oidcSettingsFromEnv, type OidcSettings } from '../access/oidc.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's cached data (for benchmarks and tests: `await app.gripData.warm()`). */
    gripData: WebData;
  }
}

export interface WebContext {
  app: FastifyInstance;
  deps: WebDeps;
  data: WebData;
  /** OpenID Connect login settings, or null when this deployment has none. */
  oidc?: OidcSettings | null;
}

/** Page modules; each registers its routes (with rules) and menu items. */
export const PAGE_MODULES: ((ctx: WebContext) => void)[] = [
  registerAuth,
  registerOverview,
  registerMunicipality,
  registerCompare,
  registerApi,
  registerAdmin,
  registerDownloads,
  registerOidc,
  registerDecisions,
  registerCorona,
  registerDrivers,
  registerQuality,
  registerCases,
  registerMarkedCases,
  registerStatements,
  registerRoutes,
  registerBegroting,
  registerVerdeling,
  registerMaatregelen,
  registerKpi,
  registerScenarioPage,
  registerBegrippen,
  registerImports,
  registerStatic,
];

export interface AppOptions {
  warehouse: Warehouse;
  accounts?: Accounts;
  secureCookies?: boolean;
  /** OpenID Connect login: settings, null for none, or (undefined) from GRIP_OIDC_* in the environment. */
  oidc?: OidcSettings | null;
  /** Log requests (off in tests). */
  logger?: boolean;
  /** Compute the region overview in the background after every import (on for `grip serve`, off in tests). */
  warmUp?: boolean;
  /**
   * Behind a reverse proxy (`grip serve --trust-proxy`): take the client's address and protocol from
   * X-Forwarded-For / X-Forwarded-Proto. Off by default, so without a proxy nobody can pick the address the
   * per-address login limit counts.
   */
  trustProxy?: boolean;
}

export function buildApp(opts: AppOptions): FastifyInstance {
  const app = Fastify({ logger: opts.logger ?? false, trustProxy: opts.trustProxy ?? false });
  const deps: WebDeps = {
    warehouse: opts.warehouse,
    accounts: opts.accounts ?? new Accounts(opts.warehouse),
    secureCookies: opts.secureCookies,
  };
  const data = new WebData(opts.warehouse);
  app.decorate('gripData', data);
  if (opts.warmUp) {
    data.warmUpWith(warmOverview);
    // The heavier insight pages, one after the other (two cores: the overview first, then these).
    data.warmUpWith(async (d) => {
      // The municipality page's back-test and forecast explanation (the same for every municipality).
      const year = await d.currentYear();
      await d.backtest(year);
      await d.explanation(year);
      await d.vintages(year);
      await warmDrivers(d);
      await warmRoutes(d);
      await warmCases(d);
      await warmQuality(d);
    });
    app.addHook('onReady', async () => {
      void data.status().catch(() => {});
    });
  }
  app.register(cookie);
  app.register(formbody);
  app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    hsts: false,
  });
  app.after(() => {
    installAccess(app, deps, {
      forbidden: (req) =>
        errorPage(req.gripUser, 403, 'U heeft geen toegang tot deze pagina of tot de gegevens van deze gemeente.'),
      purpose: (req) => {
        const url = new URL(req.url, 'http://x');
        const hidden = [...url.searchParams]
          .filter(([k]) => k !== 'doel')
          .map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);
        return page(
          req.gripUser,
          'Doel opgeven',
          html`<h1>Doel opgeven</h1><p>Dit zijn gegevens op cliëntniveau (gepseudonimiseerd). De Jeugdwet staat inzage alleen toe voor zover noodzakelijk: geef het doel op. Uw inzage wordt vastgelegd.</p>
<form method="get" action="${url.pathname}">${hidden}<label>Doel <input name="doel" required minlength="5" size="50"></label> <button type="submit">Bekijken</button></form>`,
        );
      },
    });
    // Partners: a provider filter on another provider is refused on every route (after the access hook).
    app.addHook('preHandler', async (req, reply) => {
      const asked = (req.query as Record<string, unknown> | undefined)?.provider;
      if (req.gripUser?.role !== 'partner' || typeof asked !== 'string' || !asked) return;
      const own = await providerScope(data, { user: req.gripUser });
      if (own && !own.has(asked)) {
        if (req.url.startsWith('/api/') || /\.(csv|xlsx|pdf)(\?|$)/.test(req.url))
          return reply.code(403).send({ error: OTHER_PROVIDER_NOTE });
        return reply
          .code(403)
          .type('text/html')
          .send(errorPage(req.gripUser, 403, OTHER_PROVIDER_NOTE));
      }
    });
    const ctx: WebContext = {
      app,
      deps,
      data,
      oidc: opts.oidc === undefined ? oidcSettingsFromEnv() : opts.oidc && checkOidcSettings(opts.oidc),
    };
    for (const register of PAGE_MODULES) register(ctx);
    app.setNotFoundHandler((req, reply) => {
      if (req.url.startsWith('/api/')) return reply.code(404).send({ error: 'niet gevonden' });
      return reply
        .code(404)
        .type('text/html')
        .send(errorPage(req.gripUser, 404, 'Deze pagina bestaat niet.'));
    });
    app.setErrorHandler((err, req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      if (status === 500) req.log.error(err);
      const message = status === 500 ? 'Er ging iets mis bij het ophalen van de gegevens.' : err.message;
      if (req.url.startsWith('/api/')) return reply.code(status).send({ error: message });
      return reply
        .code(status)
        .type('text/html')
        .send(errorPage(req.gripUser, status, message));
    });
  });
  return app;
}
