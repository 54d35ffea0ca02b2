/**
 * The opening every route shares, done once: register the route with its access rule (the access core
 * in core.ts still refuses a route without one and applies it before the handler runs), find out who asks
 * (the viewer), check the municipality of the path (`/gemeente/:code/…`: a 404 for an unknown code) and
 * validate the input with zod (a 400 in Dutch when it does not validate). The handler gets all of it typed
 * and only renders. Four forms, differing in what they read and how they refuse: `getPage` (query; an HTML
 * error page), `getFile` (query; plain text, for CSV/XLSX/iCalendar downloads), `getJson` (query;
 * `{ "error": … }`) and `postForm` (the form body; an HTML error page).
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

/** How a route answers a refusal (404 for the municipality, 400 for the input): the three forms in use. */
type Refuse = (reply: FastifyReply, v: Viewer, status: 400 | 404, message: string) => unknown;
/** An HTML error page in Dutch (the content type is set before). */
const asPage: Refuse = (reply, v, status, message) =>
  reply
    .code(status)
    .type('text/html')
    .send(errorPage(v.user, status, message));
/** Plain text, for a download (CSV, XLSX, iCalendar) that cannot be answered. */
const asText: Refuse = (reply, _v, status, message) =>
  reply.code(status).type('text/plain; charset=utf-8').send(message);
/** `{ "error": … }`, for the JSON API and the PDF. */
const asJson: Refuse = (reply, _v, status, message) => reply.code(status).send({ error: message });

/**
 * The shared opening: viewer, optional redirect, municipality of the path (404), input (400) from the query
 * or the body; then the handler.
 */
function open<S extends ZodTypeAny, M extends boolean>(
  opts: Omit<PageRouteOptions<S, M>, 'query'>,
  schema: (() => S | Promise<S>) | undefined,
  input: (req: FastifyRequest) => unknown,
  refuse: Refuse,
  html: boolean,
  handler: (ctx: PageContext<z.infer<S>, M>) => unknown,
) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const v = viewer(req);
    const elsewhere = opts.redirect?.(v, req);
    if (elsewhere !== undefined) return reply.redirect(elsewhere, 302);
    if (html) reply.type('text/html');
    let muni: CbsMunicipality | null = null;
    if (opts.municipality) {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a route parameter is a string
      const code = String((req.params as Record<string, unknown>).code ?? '');
      const found = pathMunicipality(code);
      if (!found) return refuse(reply, v, 404, (opts.unknownMunicipality ?? defaultUnknownMunicipality)(code));
      muni = found;
    }
    let q: unknown = {};
    if (schema) {
      const parsed = (await schema()).safeParse(input(req) ?? {});
      if (!parsed.success) {
        const message =
          typeof opts.invalid === 'function' ? opts.invalid(parsed.error) : (opts.invalid ?? 'Ongeldige filter.');
        return refuse(reply, v, 400, message);
      }
      q = parsed.data;
    }
    return handler({ req, reply, v, q, muni: muni as PageContext<z.infer<S>, M>['muni'] });
  };
}

const query = (req: FastifyRequest): unknown => req.query;
const schemaOf = <S>(s: S | undefined): (() => S) | undefined => (s === undefined ? undefined : () => s);

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
  app.get(url, { config: { rule: opts.rule } }, open(opts, schemaOf(opts.query), query, asPage, true, handler));
}

/**
 * Registers `GET url` as a download (CSV, XLSX, iCalendar): the same opening as a page, but a refusal is
 * plain text, and the handler sets the content type of what it sends.
 */
export function getFile<S extends ZodTypeAny = ZodTypeAny, M extends boolean = false>(
  app: FastifyInstance,
  url: string,
  opts: PageRouteOptions<S, M>,
  handler: (ctx: PageContext<z.infer<S>, M>) => unknown,
): void {
  app.get(url, { config: { rule: opts.rule } }, open(opts, schemaOf(opts.query), query, asText, false, handler));
}

/** Registers `GET url` for the JSON API (and the PDF): the same opening; a refusal is `{ "error": … }`. */
export function getJson<S extends ZodTypeAny = ZodTypeAny, M extends boolean = false>(
  app: FastifyInstance,
  url: string,
  opts: PageRouteOptions<S, M>,
  handler: (ctx: PageContext<z.infer<S>, M>) => unknown,
): void {
  app.get(url, { config: { rule: opts.rule } }, open(opts, schemaOf(opts.query), query, asJson, false, handler));
}

export interface FormRouteOptions<S extends ZodTypeAny, M extends boolean> extends Omit<
  PageRouteOptions<S, M>,
  'query' | 'invalid' | 'redirect'
> {
  /**
   * The form's schema, or a function building it (when it depends on stored data, e.g. the region's
   * municipalities); an invalid form answers 400 with the page of `invalid` (nothing is saved). Without a
   * schema the handler reads the body itself (`body` is then an empty object).
   */
  body?: S | (() => Promise<S>);
  /** The Dutch message naming what to correct (usually `formErrors` of steering-common). */
  invalid?: (error: ZodError) => string;
  bodyLimit?: number;
}

export interface FormContext<B, M extends boolean> extends Omit<PageContext<B, M>, 'q'> {
  /** The validated form. */
  body: B;
}

/**
 * Registers `POST url` for an HTML form: the same opening as a page (CSRF is checked by the access core for
 * every POST), with the form body validated instead of the query; a refusal is the Dutch error page. The
 * handler usually answers with a redirect (303).
 */
export function postForm<S extends ZodTypeAny = ZodTypeAny, M extends boolean = false>(
  app: FastifyInstance,
  url: string,
  opts: FormRouteOptions<S, M>,
  handler: (ctx: FormContext<z.infer<S>, M>) => unknown,
): void {
  const { body, invalid, bodyLimit, ...rest } = opts;
  app.post(
    url,
    { config: { rule: opts.rule }, ...(bodyLimit === undefined ? {} : { bodyLimit }) },
    open<S, M>(
      { ...rest, invalid: invalid ?? 'Het formulier is niet opgeslagen.' },
      body === undefined ? undefined : typeof body === 'function' ? body : () => body,
      (req) => req.body,
      asPage,
      false,
      ({ q, ...ctx }) => handler({ ...ctx, body: q }),
    ),
  );
}
