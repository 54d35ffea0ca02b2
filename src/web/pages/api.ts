/**
 * The JSON API behind the pages. Parameters are validated with zod (400 with a Dutch message); every query
 * is scoped to the municipalities the user may see; client counts are suppressed for councils.
 */
import { componentsForAggregate } from '../../domain/forecast/explain.js';
import { z } from 'zod';
import { ANALYSTS, VIEWERS } from '../../access/policy.js';
import { formatDateNl } from '../../domain/month.js';
import { eurosNl, writeCsvNl } from '../../app/csv.js';
import { budgetsFor } from '../../app/budgets.js';
import { showCount } from '../../domain/suppression.js';
import { anyMonthHidden, municipalityFigures, protectedCostRows, providerScope } from '../protected.js';
import { COST_DIMS, type CostDim, type CostRow } from '../../warehouse/warehouse.js';
import { scoped, type Viewer } from '../core.js';
import { getJson } from '../route.js';
import { publishedVintages } from '../../app/disclosure.js';
import type { WebContext } from '../server.js';
import type { FastifyReply } from 'fastify';
import type { ProviderNames } from '../../domain/providers.js';
import { blankable, filterMonth, filterYear } from '../filters.js';

const muniList = z
  .string()
  .regex(/^(GM)?\d{4}(,(GM)?\d{4})*$/, 'gemeentecode(s) van 4 cijfers, komma-gescheiden')
  .transform((s) => s.split(',').map((x) => x.replace(/^GM/, '')));

export const costsQuery = z.object({
  by: z
    .string()
    .default('month')
    .transform((s) => s.split(',').filter(Boolean))
    .refine(
      (d) => d.every((x) => (COST_DIMS as readonly string[]).includes(x)),
      `onbekende dimensie; kies uit ${COST_DIMS.join(', ')}`,
    ),
  year: blankable(filterYear),
  from: blankable(filterMonth),
  to: blankable(filterMonth),
  municipality: blankable(muniList),
  category: blankable(z.string().regex(/^\d{2}$/)),
  provider: blankable(z.string().regex(/^\d{8}$/)),
  product: blankable(z.string().regex(/^[0-9A-Z]{5}$/)),
  basis: blankable(z.enum(['ingediend', 'toegekend'])),
  format: blankable(z.enum(['json', 'csv'])),
});

/** The `error` of a 400 answer of the API: each parameter that did not validate, with zod's message. */
export const invalidParameters = (error: z.ZodError): string =>
  `ongeldige parameters: ${error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ')}`;

/** Client counts as the viewer may see them (councils: rounded, <10 suppressed with the amount). */
export function discloseRows(
  v: Viewer,
  rows: CostRow[],
): (Omit<CostRow, 'clients' | 'amountCents'> & { clients: number | string; amountCents: number | null })[] {
  if (!v.suppress) return rows;
  return rows.map((r) => {
    const c = showCount(r.clients);
    return { ...r, clients: c, amountCents: c === '<10' ? null : r.amountCents };
  });
}

/** Dutch column names of the cost rows in a CSV download. */
const COST_COLUMNS_NL: Record<string, string> = {
  municipality: 'Gemeentecode',
  month: 'Productiemaand',
  declarationMonth: 'Declaratiemaand',
  category: 'Productcategorie',
  product: 'Productcode',
  provider: 'Aanbieder (AGB)',
  providerName: 'Aanbieder',
  referrer: 'Verwijzer',
  year: 'Jaar',
  amountCents: 'Kosten (€)',
  clients: 'Cliënten',
  lines: 'Declaratieregels',
  units: 'Eenheden',
};

/** With a provider column, the provider's name from the register beside its AGB code (empty when unknown). */
function withProviderNames(rows: readonly object[], names: ProviderNames): Record<string, unknown>[] {
  return rows.map((r): Record<string, unknown> =>
    'provider' in r ? { ...r, providerName: names.get(String(r.provider)) ?? '' } : { ...r },
  );
}

/** Cost rows as CSV for Dutch Excel: Dutch headers, amounts in euros with a decimal comma, `;`, a BOM. */
function sendCsv(reply: FastifyReply, name: string, rows: Record<string, unknown>[]) {
  const order = Object.keys(COST_COLUMNS_NL);
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  const first = rows[0];
  const columns = (first ? Object.keys(first) : ['amountCents']).sort((a, b) => rank(a) - rank(b));
  // A warehouse value (text, a date) as the text it prints as.
  const cell = (k: string, x: unknown) =>
    k === 'amountCents'
      ? typeof x === 'number'
        ? eurosNl(x)
        : ''
      : x === null || x === undefined
        ? ''
        : typeof x === 'number'
          ? x
          : // eslint-disable-next-line @typescript-eslint/no-base-to-string
            String(x);
  const csv = writeCsvNl(
    columns.map((k) => COST_COLUMNS_NL[k] ?? k),
    rows.map((r) => columns.map((k) => cell(k, r[k]))),
  );
  reply.header('content-disposition', `attachment; filename="${name}"`);
  return reply.type('text/csv; charset=utf-8').send(csv);
}

export function registerApi({ app, data }: WebContext): void {
  const scopedRule = { roles: VIEWERS, municipalityScoped: true };
  /** `?year=` (default: the current year) and `?municipality=`, within what the viewer may see. */
  const yearAndScope = {
    rule: scopedRule,
    query: z.object({ year: blankable(filterYear), municipality: blankable(muniList) }),
    invalid: invalidParameters,
  };
  const yearOf = async (q: { year?: number }) => q.year ?? (await data.currentYear());
  getJson(
    app,
    '/api/costs',
    { rule: scopedRule, query: costsQuery, invalid: invalidParameters },
    async ({ reply, v, q }) => {
      const { by, format, municipality, ...rest } = q;
      if (v.suppress) {
        const { year, category, provider, product, from, to, basis } = q;
        const rows = await protectedCostRows(data, {
          by,
          year,
          municipalities: scoped(v, municipality),
          category,
          provider,
          product,
          other: !!(from || to || basis),
          ownProviders: await providerScope(data, v),
        });
        if (typeof rows === 'string') return reply.code(400).send({ error: rows });
        if (format === 'csv')
          return sendCsv(
            reply,
            'grip-kosten.csv',
            withProviderNames(
              rows.map((r) => ({ ...r })),
              await data.providerNames(),
            ),
          );
        return rows;
      }
      const rows = discloseRows(
        v,
        await data.costs({ by: by as CostDim[], municipalities: scoped(v, municipality), ...rest }),
      );
      if (format === 'csv')
        return sendCsv(reply, 'grip-kosten.csv', withProviderNames(rows, await data.providerNames()));
      return rows;
    },
  );

  getJson(
    app,
    '/api/forecast',
    {
      rule: scopedRule,
      query: z.object({
        year: blankable(filterYear),
        municipality: blankable(muniList),
        months: blankable(z.enum(['0', '1'])),
      }),
      invalid: invalidParameters,
    },
    async ({ v, q }) => {
      const year = q.year ?? (await data.currentYear());
      const f = await data.forecast(year);
      // Aggregate roles: a municipality's months only when none of them is hidden in the protected
      // municipality × month table, and no figures at all for a municipality whose total is hidden.
      const withMonths = q.months === '1';
      const py = v.suppress ? await data.protectedYear(year) : null;
      const monthsShown = async (code: string) => !py || !(await anyMonthHidden(data, year, code));
      const allowed = scoped(v, q.municipality);
      const munis = f.municipalities
        .filter((m) => !allowed || allowed.includes(m.municipality))
        .filter((m) => !py || py.municipality(m.municipality).hidden === null);
      const rows = [];
      for (const {
        municipality,
        declaredCents,
        ibnrCents,
        remainingCents,
        forecastCents,
        lowCents,
        highCents,
        months,
      } of munis) {
        rows.push({
          municipality,
          declaredCents,
          ibnrCents,
          remainingCents,
          forecastCents,
          lowCents,
          highCents,
          ...(withMonths && (await monthsShown(municipality)) ? { months } : {}),
        });
      }
      return {
        year,
        asOf: f.asOf,
        methodVersion: f.methodVersion,
        interval: f.calibration.municipalities
          ? { source: 'backtest', years: f.calibration.municipalities.years }
          : { source: 'model', years: [] },
        municipalities: rows,
        total: allowed ? null : f.total,
      };
    },
  );

  // Why the forecast changed (since the last published forecast, else a month ago): components add up exactly.
  /**
   * Aggregate roles: whether a municipality's total of the year is hidden in the protected table. Its forecast,
   * the forecast's explanation, its backtest and its vintages are then left out, as `/api/forecast` does (they
   * rest on the hidden cell: the declared costs of the year are its amount).
   */
  const totalHidden = async (v: Viewer, year: number): Promise<(code: string) => boolean> => {
    const py = v.suppress ? await data.protectedYear(year) : null;
    return (code) => py !== null && py.municipality(code).hidden !== null;
  };

  getJson(app, '/api/forecast/explain', yearAndScope, async ({ req, v, q }) => {
    const year = await yearOf(q);
    const allowed = scoped(v, q.municipality);
    const hidden = await totalHidden(v, year);
    const e = await data.explanation(year);
    // The hand-marked special cases' reasons are for analysts only (client level): other roles get the sentences.
    const analyst = !!req.gripUser && ANALYSTS.includes(req.gripUser.role);
    // Aggregate roles get each component's direction and cause without its amount (componentsForAggregate),
    // and the earlier forecast only when it is a published vintage: the forecast of the stand a month earlier
    // was published to nobody, and the change from it is a cut by declaration date (revisionLead).
    const strip = (m: (typeof e.municipalities)[number]) =>
      analyst
        ? m
        : v.suppress
          ? {
              ...m,
              fromCents: e.since === 'vintage' ? m.fromCents : null,
              components: componentsForAggregate(m.components),
            }
          : { ...m, components: m.components.map(({ cases: _cases, ...c }) => c) };
    return {
      ...e,
      municipalities: e.municipalities
        .filter((m) => (!allowed || allowed.includes(m.municipality)) && !hidden(m.municipality))
        .map(strip),
    };
  });

  // The published forecasts of a year (vintages) with the truth once known.
  getJson(app, '/api/forecast/vintages', yearAndScope, async ({ v, q }) => {
    const year = await yearOf(q);
    const allowed = scoped(v, q.municipality);
    const history = await data.vintages(year);
    const shown = v.suppress ? publishedVintages(history, await data.protectedYear(year)) : history;
    return shown.filter((h) => (allowed ? allowed.includes(h.scope) : true));
  });

  getJson(app, '/api/backtest', yearAndScope, async ({ v, q }) => {
    const year = await yearOf(q);
    const allowed = scoped(v, q.municipality);
    const hidden = await totalHidden(v, year);
    const bt = await data.backtest(year);
    return bt
      .filter((b) => (!allowed || allowed.includes(b.municipality)) && !hidden(b.municipality))
      .map((b) => ({
        municipality: b.municipality,
        years: b.report.years,
        excluded: b.report.excluded,
        byAsOfMonth: b.report.byAsOfMonth,
        coverage: b.report.coverage,
      }));
  });

  getJson(
    app,
    '/api/overview.csv',
    {
      rule: { roles: VIEWERS },
      query: z.object({
        year: blankable(filterYear),
        category: blankable(z.string().regex(/^\d{2}$/)),
        provider: blankable(z.string().regex(/^\d{8}$/)),
      }),
      invalid: invalidParameters,
    },
    async ({ reply, v, q }) => {
      const year = q.year ?? (await data.currentYear());
      const filtered = !!(q.category || q.provider);
      const scope = scoped(v);
      const filter = { municipalities: scope, category: q.category, provider: q.provider };
      const [munis, costs, prevYear, f, budgets] = await Promise.all([
        data.warehouse.municipalities(),
        data.costs({ by: ['municipality'], year, ...filter }),
        data.costs({ by: ['municipality'], year: year - 1, ...filter }),
        data.forecast(year),
        data.asOf().then((at) => budgetsFor(data.warehouse, year, scope, at)),
      ]);
      // The same figures as the overview table, for Dutch Excel: euros with a decimal comma, semicolons, a BOM.
      const header = [
        'Gemeentecode',
        'Gemeente',
        'Jaar',
        'Kosten tot nu (€)',
        'Prognose jaareinde (€)',
        'Prognose ondergrens 80% (€)',
        'Prognose bovengrens 80% (€)',
        `Kosten ${year - 1} (€)`,
        'Begroting (€)',
        'Prognose − begroting (€)',
        'Stand per',
      ];
      // Aggregate roles: the protected cells (a hidden cell is an empty field, and so is its forecast).
      const [prot, protPrev] = v.suppress
        ? await Promise.all([municipalityFigures(data, year, q), municipalityFigures(data, year - 1, q)])
        : [null, null];
      if (v.suppress && (!prot || !protPrev))
        return reply.code(400).send({ error: 'kies één filter: productcategorie óf aanbieder' });
      const protAmount = (f: typeof prot, code: string) => (f!.by.has(code) ? f!.by.get(code)!.amountCents : 0);
      const rows = munis
        .filter((m) => !scope || scope.includes(m.code))
        .map((m) => {
          const amount = prot
            ? protAmount(prot, m.code)
            : (costs.find((r) => r.municipality === m.code)?.amountCents ?? 0);
          const prevAmount = protPrev
            ? protAmount(protPrev, m.code)
            : (prevYear.find((r) => r.municipality === m.code)?.amountCents ?? 0);
          const fc = filtered || amount === null ? undefined : f.municipalities.find((x) => x.municipality === m.code);
          const budget = budgets.get(m.code);
          return [
            m.code,
            m.name,
            year,
            amount === null ? '' : eurosNl(amount),
            eurosNl(fc?.forecastCents),
            eurosNl(fc?.lowCents),
            eurosNl(fc?.highCents),
            prevAmount === null ? '' : eurosNl(prevAmount),
            eurosNl(budget),
            fc && budget !== undefined ? eurosNl(fc.forecastCents - budget) : '',
            formatDateNl(f.asOf),
          ];
        });
      reply.header('content-disposition', `attachment; filename="grip-overzicht-${year}.csv"`);
      return reply.type('text/csv; charset=utf-8').send(writeCsvNl(header, rows));
    },
  );

  getJson(app, '/api/municipalities', { rule: { roles: VIEWERS } }, async ({ v }) => {
    const all = await data.warehouse.municipalities();
    const s = scoped(v);
    return all.filter((m) => !s || s.includes(m.code));
  });
}
