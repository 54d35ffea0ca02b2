/** Regio-overzicht: the municipalities side by side, the forecast with its range, the region's months. */
import { z } from 'zod';
import { VIEWERS } from '../../access/policy.js';
import { monthlyCostsOption } from '../../charts/echarts.js';
import { PRODUCT_CATEGORIES } from '../../domain/codes/index.js';
import { formatDateNl, yearMonths } from '../../domain/month.js';
import type { RegionForecast } from '../../app/forecast.js';
import { budgetsFor, exampleBudgets } from '../../app/budgets.js';
import { overrunChance, overrunText } from './forecast-parts.js';
import { scoped, type Viewer } from '../core.js';
import { getPage } from '../route.js';
import {
  EMPTY_STATE,
  chart,
  euro,
  euroShort,
  page,
  qs,
  rangeShort,
  reqPath,
  signedPct,
  EXAMPLE_MARK,
  term,
  type SafeHtml,
} from '../layout.js';
import { html, raw } from '../html.js';
import { growth, perThousand, sumProtected } from '../../domain/disclosure.js';
import {
  COMBINED_FILTER_NOTE,
  anyMonthHidden,
  municipalityFigures,
  protectedEuro,
  providerScope,
  HIDDEN,
} from '../protected.js';
import type { WebContext } from '../server.js';
import type { WebData } from '../data.js';
import { filterYear } from '../filters.js';

export const filterQuery = z.object({
  year: filterYear.optional(),
  category: z
    .string()
    .regex(/^\d{2}$/)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  provider: z
    .string()
    .regex(/^\d{8}$/)
    .optional()
    .or(z.literal('').transform(() => undefined)),
});
export type Filters = z.infer<typeof filterQuery>;

/** Sums the forecast's months over municipalities in scope: declared and not-yet-declared per month. */
export function monthlyPoints(f: RegionForecast, munis: string[] | null) {
  const by = new Map<string, { declaredCents: number; openCents: number }>();
  for (const m of yearMonths(f.year)) by.set(m, { declaredCents: 0, openCents: 0 });
  for (const mf of f.municipalities) {
    if (munis && !munis.includes(mf.municipality)) continue;
    for (const mo of mf.months) {
      const acc = by.get(mo.month);
      if (!acc) continue;
      acc.declaredCents += mo.declaredCents;
      acc.openCents += mo.ibnrCents + mo.remainingCents;
    }
  }
  return [...by].map(([month, v]) => ({ month, ...v }));
}

export function filtersForm(
  path: string,
  f: Filters,
  years: number[],
  providers: { code: string; name: string }[],
  extra: SafeHtml | '' = '',
): SafeHtml {
  const opt = (v: string, label: string, cur?: string | number) =>
    html`<option value="${v}"${String(cur ?? '') === v ? raw(' selected') : ''}>${label}</option>`;
  return html`<form class="filters" method="get" action="${path}" aria-label="Filters">
<label>Jaar<select name="year">${years.map((y) => opt(String(y), String(y), f.year))}</select></label>
<label>Productcategorie<select name="category">${opt('', 'Alle categorieën', f.category)}${Object.entries(PRODUCT_CATEGORIES).map(([k, v]) => opt(k, `${k} ${v}`, f.category))}</select></label>
<label>Aanbieder<select name="provider">${opt('', 'Alle aanbieders', f.provider)}${providers.map((p) => opt(p.code, p.name, f.provider))}</select></label>
${extra}<button type="submit">Toon</button></form>`;
}

/** The years with data and the providers of the viewer's municipalities, by name (the AGB code where the register has none). */
export async function yearsAndProviders(
  data: WebData,
  v: Viewer,
): Promise<{ years: number[]; providers: { code: string; name: string }[] }> {
  const [yp, names] = await Promise.all([
    data.cached(`yp:${v.scope?.join(',') ?? '*'}`, async () => {
      const [ys, ps] = await Promise.all([
        data.costs({ by: ['year'], municipalities: scoped(v) }),
        data.costs({ by: ['provider'], municipalities: scoped(v) }),
      ]);
      return {
        years: ys.map((r) => Number(r.year)).sort((a, b) => b - a),
        providers: ps
          .map((r) => r.provider ?? '')
          .filter(Boolean)
          .sort(),
      };
    }),
    data.providerNames(),
  ]);
  const own = await providerScope(data, v);
  const providers = yp.providers
    .filter((code) => !own || own.has(code))
    .map((code) => ({ code, name: names.has(code) ? `${names.get(code)} (${code})` : code }));
  return { years: yp.years, providers: providers.sort((a, b) => a.name.localeCompare(b.name, 'nl')) };
}

/** Budget and the difference forecast − budget (red when over, green when under); a note when none was entered. */
export function budgetCells(
  budgetCents: number | null,
  forecastCents: number | null,
  chance: number | null = null,
): SafeHtml {
  if (budgetCents === null)
    return html`<td class="n note" style="white-space:normal">geen begroting ingevoerd</td><td class="n">—</td>`;
  if (forecastCents === null) return html`<td class="n">${euroShort(budgetCents)}</td><td class="n">—</td>`;
  const d = forecastCents - budgetCents;
  return html`<td class="n">${euroShort(budgetCents)}</td><td class="n"><span class="${d > 0 ? 'over' : d < 0 ? 'under' : ''}">${d > 0 ? '+' : ''}${euroShort(d)}</span>${chance === null ? '' : html`<br><small>${overrunText(chance)}</small>`}</td>`;
}

/** The region overview's figures for the latest year, computed ahead of the first visitor (WebData.warmUpWith). */
export async function warmOverview(data: WebData): Promise<void> {
  const year = await data.currentYear();
  await Promise.all([
    data.costs({ by: ['municipality'], year }),
    data.costs({ by: ['municipality'], year: year - 1 }),
    data.forecast(year),
    yearsAndProviders(data, { user: null, scope: null, suppress: false, purpose: null }),
  ]);
}

export function registerOverview({ app, data }: WebContext): void {
  getPage(
    app,
    '/',
    {
      rule: { roles: VIEWERS },
      // A gemeente user with one municipality starts on that municipality's page (the overview would be one row).
      redirect: (v, req) => {
        const only = v.user?.role === 'gemeente' && v.scope?.length === 1 ? v.scope[0] : undefined;
        if (only === undefined) return undefined;
        const search = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
        return `/gemeente/${only}${search}`;
      },
      query: filterQuery,
      invalid: 'Ongeldige filter: jaar (bijv. 2025), categorie (2 cijfers) of aanbieder (AGB-code, 8 cijfers).',
    },
    async ({ req, v, q }) => {
      const st = await data.status();
      if (!st.declarationLines)
        return page(v.user, 'Regio-overzicht', html`<h1>Regio-overzicht</h1>${EMPTY_STATE}`, { path: '/' });
      const year = q.year ?? (await data.currentYear());
      const f: Filters = { ...q, year };
      const munisScope = scoped(v);
      const filter = { category: f.category, provider: f.provider };
      const [munis, costs, prevYear, forecast, yp, budgetInfo] = await Promise.all([
        data.warehouse.municipalities(),
        data.costs({ by: ['municipality'], year, municipalities: munisScope, ...filter }),
        data.costs({ by: ['municipality'], year: year - 1, municipalities: munisScope, ...filter }),
        data.forecast(year),
        yearsAndProviders(data, v),
        data.asOf().then(async (at) => ({
          amounts: await budgetsFor(data.warehouse, year, munisScope, at),
          examples: await exampleBudgets(data.warehouse, year, munisScope, at),
        })),
      ]);
      const filtered = !!(f.category || f.provider);
      const shown = munis.filter((m) => !munisScope || munisScope.includes(m.code));
      const fBy = new Map(forecast.municipalities.map((m) => [m.municipality, m]));
      // Aggregate roles read every figure from the protected tables; the others read the ledger's aggregates.
      const [pNow, pPrev] = v.suppress
        ? await Promise.all([municipalityFigures(data, year, filter), municipalityFigures(data, year - 1, filter)])
        : [null, null];
      if (v.suppress && (!pNow || !pPrev))
        return page(
          v.user,
          'Regio-overzicht',
          html`<h1>Regio-overzicht ${year}</h1>${filtersForm('/', f, yp.years, yp.providers)}<p class="note">${COMBINED_FILTER_NOTE}</p>`,
          { path: reqPath(req) },
        );
      const byCode = new Map<string | undefined, number | null>(
        v.suppress
          ? [...pNow!.by].map(([k, c]) => [k, c.amountCents])
          : costs.map((c) => [c.municipality, c.amountCents]),
      );
      const prevBy = new Map<string | undefined, number | null>(
        v.suppress
          ? [...pPrev!.by].map(([k, c]) => [k, c.amountCents])
          : prevYear.map((c) => [c.municipality, c.amountCents]),
      );
      const amount = (x: number | null) => (v.suppress ? protectedEuro(x) : euro(x));
      let tot = { cost: 0 as number | null, fc: 0, lo: 0, hi: 0, prev: 0 as number | null, youths: 0 };
      const budgets = budgetInfo.amounts;
      // Without any budget for the year the two budget columns would only say so in every row: one note instead.
      const anyBudget = shown.some((m) => budgets.has(m.code));
      const bCells = (b: number | null, fcc: number | null, chance: number | null = null) =>
        anyBudget ? budgetCells(b, fcc, chance) : '';
      const amountShort = (x: number | null) => (x === null ? HIDDEN : euroShort(x));
      const rows = shown.map((m) => {
        const c = byCode.has(m.code) ? (byCode.get(m.code) ?? null) : 0; // null: a hidden cell
        const fc = filtered || c === null ? undefined : fBy.get(m.code);
        const prev = prevBy.has(m.code) ? (prevBy.get(m.code) ?? null) : 0;
        tot = {
          cost: sumProtected([tot.cost, c]),
          fc: tot.fc + (fc?.forecastCents ?? 0),
          lo: tot.lo + (fc?.lowCents ?? 0),
          hi: tot.hi + (fc?.highCents ?? 0),
          prev: sumProtected([tot.prev, prev]),
          youths: tot.youths + m.youths,
        };
        const link = `/gemeente/${m.code}${qs({ year, category: f.category, provider: f.provider })}`;
        const per = fc ? fc.forecastCents : c;
        return html`<tr><th scope="row"><a href="${link}">${m.name}</a></th><td class="n">${amount(c)}</td>
<td class="n">${fc ? euro(fc.forecastCents) : '—'}</td><td class="n">${fc ? rangeShort(fc.lowCents, fc.highCents) : '—'}</td>
<td class="n">${amountShort(prev)}</td><td class="n">${fc ? signedPct(growth(fc.forecastCents, prev)) : '—'}</td>
<td class="n">${per !== null && m.youths ? euroShort(Math.round(perThousand(per, m.youths)!)) : '—'}</td>${bCells(budgets.get(m.code) ?? null, fc ? fc.forecastCents : null, fc ? overrunChance(forecast, m.code, budgets.get(m.code) ?? null) : null)}</tr>`;
      });
      // The region's figures: the protected region total for aggregate roles (never a sum that includes hidden cells).
      if (v.suppress && !munisScope) tot = { ...tot, cost: pNow!.total.amountCents, prev: pPrev!.total.amountCents };
      const allForecasts = !filtered && shown.every((m) => fBy.has(m.code) && byCode.get(m.code) !== null);
      const regionTotal = !munisScope && !filtered && allForecasts ? forecast.total : null;
      const regionPer = filtered ? tot.cost : allForecasts ? tot.fc : null;
      const foot = html`<tr><th scope="row">${munisScope ? 'Totaal' : 'Regio'}</th><td class="n">${amount(tot.cost)}</td><td class="n">${allForecasts ? euro(tot.fc) : '—'}</td>
<td class="n">${regionTotal ? rangeShort(regionTotal.lowCents, regionTotal.highCents) : '—'}</td><td class="n">${amountShort(tot.prev)}</td>
<td class="n">${allForecasts ? signedPct(growth(tot.fc, tot.prev)) : '—'}</td><td class="n">${regionPer !== null && tot.youths ? euroShort(Math.round(perThousand(regionPer, tot.youths)!)) : '—'}</td>${bCells(shown.every((m) => budgets.has(m.code)) ? shown.reduce((s2, m) => s2 + (budgets.get(m.code) ?? 0), 0) : null, allForecasts ? tot.fc : null)}</tr>`;
      let monthly: string | SafeHtml;
      if (v.suppress && (filtered || (await anyMonthHidden(data, year, null)))) {
        monthly = html`<p class="note">${filtered ? 'De kosten per maand binnen een filter worden voor deze rol niet getoond (te kleine aantallen).' : 'De kosten per maand worden niet getoond: een maand rust op te weinig cliënten.'}</p>`;
      } else if (filtered) {
        const ms = await data.costs({ by: ['month'], year, municipalities: munisScope, ...filter });
        monthly = chart(
          monthlyCostsOption(ms.map((r) => ({ month: r.month ?? '', declaredCents: r.amountCents }))),
          1000,
          300,
          `Gedeclareerde kosten per productiemaand ${year} (gefilterd; zonder schatting van nog niet gedeclareerde zorg)`,
        );
      } else {
        monthly = chart(
          monthlyCostsOption(monthlyPoints(forecast, munisScope ?? null)),
          1000,
          320,
          `Kosten per productiemaand ${year}: gedeclareerd en nog te declareren (schatting, gearceerd)`,
        );
      }
      const headline = regionTotal
        ? html`<div class="cards"><div class="card"><div class="k">${term(`Gedeclareerd ${year} tot nu`, 'kosten-tot-nu')}</div><div class="v">${euro(forecast.total.declaredCents)}</div><div class="s">stand per ${formatDateNl(forecast.asOf)}</div></div>
<div class="card"><div class="k">${term('Nog niet gedeclareerd (schatting)', 'nog-niet-gedeclareerd')}</div><div class="v">${euro(forecast.total.ibnrCents)}</div><div class="s">zorg geleverd, nog niet gefactureerd</div></div>
<div class="card"><div class="k">${term('Prognose jaareinde', 'prognose')}</div><div class="v">${euro(forecast.total.forecastCents)}</div><div class="s">80%-interval ${euro(forecast.total.lowCents)} – ${euro(forecast.total.highCents)}</div></div>
<div class="card"><div class="k">Vorig jaar (${year - 1})</div><div class="v">${euro(tot.prev)}</div><div class="s">prognose ${signedPct(growth(forecast.total.forecastCents, tot.prev))}</div></div></div>`
        : '';
      return page(
        v.user,
        'Regio-overzicht',
        html`<h1>Regio-overzicht ${year}</h1>${filtersForm('/', f, yp.years, yp.providers)}${headline}
${filtered ? html`<p class="note">Gefilterd op categorie of aanbieder: de prognose geldt alleen voor het totaal en wordt hier niet getoond.</p>` : ''}
${anyBudget ? '' : html`<p class="note">Geen begroting ${year} ingevoerd: voer die in op <a href="/begroting${qs({ year })}">Begroting</a>; dan staan hier ook de begroting en prognose − begroting.</p>`}
<div class="compact"><table><caption>Gemeenten — kosten naar productiemaand ${year} <a class="dl" href="/api/overview.csv${qs({ year, category: f.category, provider: f.provider })}">CSV</a>${v.user && (v.user.role === 'beheerder' || v.user.role === 'regio') ? html` <a class="dl" href="/export.xlsx${qs({ year })}">Excel</a>` : ''}</caption>
<thead><tr><th scope="col">Gemeente</th><th scope="col" class="n">${term('Kosten tot nu', 'kosten-tot-nu')}</th><th scope="col" class="n">${term('Prognose jaareinde', 'prognose')}</th><th scope="col" class="n">${term('80%-interval', 'interval')}</th><th scope="col" class="n">${term('Vorig jaar', 'vorig-jaar')}</th><th scope="col" class="n">Prognose t.o.v. vorig jaar</th><th scope="col" class="n">${filtered ? term('Kosten per 1.000 jeugdigen', 'kosten-per-1000') : term('Prognose per 1.000 jeugdigen', 'prognose-per-1000')}</th>${anyBudget ? html`<th scope="col" class="n"><a href="/begroting${qs({ year })}">Begroting</a>${budgetInfo.examples.size ? EXAMPLE_MARK : ''}</th><th scope="col" class="n">${term('Prognose − begroting', 'prognose-begroting')}</th>` : ''}</tr></thead>
<tbody>${rows}</tbody><tfoot>${foot}</tfoot></table></div>
${monthly}
<p class="note">Kosten zijn netto (debet − credit) en toegerekend aan de maand waarin de zorg is geleverd (productiemaand). Zorg die nog niet is gedeclareerd, wordt geschat en gearceerd getoond. Prognose per 1.000 jeugdigen: prognose jaareinde × 1.000 gedeeld door het aantal inwoners van 0–17 jaar (gefilterd: de kosten). Alle begrippen staan op <a href="/begrippen">Begrippen</a>. Prognose − begroting: positief (rood) is een verwachte overschrijding; de begroting is de primitieve begroting plus de wijzigingen tot nu.</p>`,
        { path: reqPath(req) },
      );
    },
  );
}
