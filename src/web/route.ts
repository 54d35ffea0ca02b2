/**
 * The opening every HTML page shares, done once: register the route with its access rule (the access core
 * in core.ts still refuses a route without one and applies it before the handler runs), find out who asks
 * (the viewer), check the municipality of the path (`/gemeente/:code/…`: a 404 page for an unknown code)
 * and validate the query with zod (a 400 page in Dutch when it does not validate). The handler gets all of
 * it typed and only renders.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z, ZodError, ZodTypeAny } from 'zod';
import type { RouteRule } from '../access/policy.js';
import { cbsMunicipality, type CbsMunicipality } from '../domain/codes/index.js';
import { viewer, type Viewer } from './core.js';
import { errorPage } from './layout.js';

/** A municipality code of a path is four digits of a municipality CBS knows. */
export function pathMunicipality(code: string): CbsMunicipality | undefined {
  return /^\d{4}$/.test(code) ? cbsMunicipality(code) : undefined;
}

export interface PageContext<Q, M extends boolean> {
  req: FastifyRequest;
  reply: FastifyReply;
  v: Viewer;
  /** The validated query (an empty object without a schema). */
  q: Q;
  /** The municipality of the path (`:code`), known to exist; null unless the route asked for it. */
  muni: M extends true ? CbsMunicipality : null;
}

export interface PageRouteOptions<S extends ZodTypeAny, M extends boolean> {
  /** Who may use the route (required: the access core refuses a route without a rule). */
  rule: RouteRule;
  /** The query's schema; an invalid query answers 400 with `invalid`. */
  query?: S;
  /** The Dutch message of the 400 page; a function gets zod's error. Default "Ongeldige filter.". */
  invalid?: string | ((error: ZodError) => string);
  /** The path has a municipality (`:code`); an unknown one answers 404 with `unknownMunicipality`. */
  municipality?: M;
  unknownMunicipality?: (code: string) => string;
  /** Sends a viewer elsewhere (302 to the path returned) before the municipality and the query are checked. */
  redirect?: (v: Viewer, req: FastifyRequest) => string | undefined;
}

export const defaultUnknownMunicipality = (code: string): string =>
  `Gemeente ${code} bestaat niet of heeft geen gegevens.`;

/**
 * Registers `GET url` as an HTML page. The handler returns the page (a string from `page()`), or the reply
 * it answered itself. Order of the checks: access (the hook), municipality (404), query (400).
 */
export function getPage<S extends ZodTypeAny = ZodTypeAny, M extends boolean = false>(
  app: FastifyInstance,
  url: string,
  opts: PageRouteOptions<S, M>,
  handler: (ctx: PageContext<z.infer<S>, M>) => unknown,
): void {
  app.get(url, { config: { rule: opts.rule } }, async (req, reply) => {
    const v = viewer(req);
    const elsewhere = opts.redirect?.(v, req);
    if (elsewhere !== undefined) return reply.redirect(elsewhere, 302);
    reply.type('text/html');
    let muni: CbsMunicipality | null = null;
    if (opts.municipality) {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a route parameter is a string
      const code = String((req.params as Record<string, unknown>).code ?? '');
      const found = pathMunicipality(code);
      if (!found)
        return reply
          .code(404)
          .send(errorPage(v.user, 404, (opts.unknownMunicipality ?? defaultUnknownMunicipality)(code)));
      muni = found;
    }
    let q: unknown = {};
    if (opts.query) {
      const parsed = opts.query.safeParse(req.query ?? {});
      if (!parsed.success) {
        const message =
          typeof opts.invalid === 'function' ? opts.invalid(parsed.error) : (opts.invalid ?? 'Ongeldige filter.');
        return reply.code(400).send(errorPage(v.user, 400, message));
      }
      q = parsed.data;
    }
    return handler({ req, reply, v, q: q as z.infer<S>, muni: muni as PageContext<z.infer<S>, M>['muni'] });
  });
}
