/** Regio-overzicht: the municipalities side by side, the forecast with its range, the region's months. */
import { z } from 'zod';
import { VIEWERS } from '../../access/policy.js';
import { monthlyCostsOption } from '../../charts/echarts.js';
import { PRODUCT_CATEGORIES } from '../../domain/codes/index.js';
import { formatDateNl, yearMonths } from '../../domain/month.js';
import type { RegionForecast } from '../../app/forecast.js';
import { budgetsFor } from '../../app/budgets.js';
import { scoped, viewer, type Viewer } from '../core.js';
import { EMPTY_STATE, chart, errorPage, esc, euro, euroShort, page, qs, rangeShort, reqPath, signedPct } from '../layout.js';
import type { WebContext } from '../server.js';
import type { WebData } from '../data.js';

export const filterQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  category: z.string().regex(/^\d{2}$/).optional().or(z.literal('').transform(() => undefined)),
  provider: z.string().regex(/^\d{8}$/).optional().or(z.literal('').transform(() => undefined)),
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

export function filtersForm(path: string, f: Filters, years: number[], providers: string[], extra = ''): string {
  const opt = (v: string, label: string, cur?: string | number) => `<option value="${esc(v)}"${String(cur ?? '') === v ? ' selected' : ''}>${esc(label)}</option>`;
  return `<form class="filters" method="get" action="${esc(path)}" aria-label="Filters">
<label>Jaar<select name="year">${years.map((y) => opt(String(y), String(y), f.year)).join('')}</select></label>
<label>Productcategorie<select name="category">${opt('', 'Alle categorieën', f.category)}${Object.entries(PRODUCT_CATEGORIES).map(([k, v]) => opt(k, `${k} ${v}`, f.category)).join('')}</select></label>
<label>Aanbieder<select name="provider">${opt('', 'Alle aanbieders', f.provider)}${providers.map((p) => opt(p, p, f.provider)).join('')}</select></label>
${extra}<button type="submit">Toon</button></form>`;
}

export async function yearsAndProviders(data: WebData, v: Viewer): Promise<{ years: number[]; providers: string[] }> {
  return data.cached(`yp:${v.scope?.join(',') ?? '*'}`, async () => {
    const [ys, ps] = await Promise.all([
      data.costs({ by: ['year'], municipalities: scoped(v) }),
      data.costs({ by: ['provider'], municipalities: scoped(v) }),
    ]);
    return { years: ys.map((r) => Number(r.year)).sort((a, b) => b - a), providers: ps.map((r) => r.provider ?? '').filter(Boolean).sort() };
  });
}

/** Budget and the difference forecast − budget (red when over, green when under); a note when none was entered. */
export function budgetCells(budgetCents: number | null, forecastCents: number | null): string {
  if (budgetCents === null) return '<td class="n note" style="white-space:normal">geen begroting ingevoerd</td><td class="n">—</td>';
  if (forecastCents === null) return `<td class="n">${euroShort(budgetCents)}</td><td class="n">—</td>`;
  const d = forecastCents - budgetCents;
  return `<td class="n">${euroShort(budgetCents)}</td><td class="n"><span class="${d > 0 ? 'over' : d < 0 ? 'under' : ''}">${d > 0 ? '+' : ''}${euroShort(d)}</span></td>`;
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
  app.get('/', { config: { rule: { roles: VIEWERS } } }, async (req, reply) => {
    const v = viewer(req);
    // A gemeente user with one municipality starts on that municipality's page (the overview would be one row).
    if (v.user?.role === 'gemeente' && v.scope?.length === 1) {
      const search = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
      return reply.redirect(`/gemeente/${v.scope[0]}${search}`, 302);
    }
    const q = filterQuery.safeParse(req.query);
    reply.type('text/html');
    if (!q.success) return reply.code(400).send(errorPage(v.user, 400, 'Ongeldige filter: jaar (bijv. 2025), categorie (2 cijfers) of aanbieder (AGB-code, 8 cijfers).'));
    const st = await data.status();
    if (!st.declarationLines) return page(v.user, 'Regio-overzicht', `<h1>Regio-overzicht</h1>${EMPTY_STATE}`, { path: '/' });
    const year = q.data.year ?? (await data.currentYear());
    const f: Filters = { ...q.data, year };
    const munisScope = scoped(v);
    const filter = { category: f.category, provider: f.provider };
    const [munis, costs, prevYear, forecast, yp, budgets] = await Promise.all([
      data.warehouse.municipalities(),
      data.costs({ by: ['municipality'], year, municipalities: munisScope, ...filter }),
      data.costs({ by: ['municipality'], year: year - 1, municipalities: munisScope, ...filter }),
      data.forecast(year),
      yearsAndProviders(data, v),
      data.asOf().then((at) => budgetsFor(data.warehouse, year, munisScope, at)),
    ]);
    const filtered = !!(f.category || f.provider);
    const shown = munis.filter((m) => !munisScope || munisScope.includes(m.code));
    const byCode = new Map(costs.map((c) => [c.municipality, c]));
    const prevBy = new Map(prevYear.map((c) => [c.municipality, c]));
    const fBy = new Map(forecast.municipalities.map((m) => [m.municipality, m]));
    // Without any budget for the year the two budget columns would only say so in every row: one note instead.
    const anyBudget = shown.some((m) => budgets.has(m.code));
    const bCells = (b: number | null, fcc: number | null) => (anyBudget ? budgetCells(b, fcc) : '');
    let tot = { cost: 0, fc: 0, lo: 0, hi: 0, prev: 0, youths: 0 };
    const rows = shown.map((m) => {
      const c = byCode.get(m.code)?.amountCents ?? 0;
      const fc = filtered ? undefined : fBy.get(m.code);
      const prev = prevBy.get(m.code)?.amountCents ?? 0;
      tot = { cost: tot.cost + c, fc: tot.fc + (fc?.forecastCents ?? 0), lo: tot.lo + (fc?.lowCents ?? 0), hi: tot.hi + (fc?.highCents ?? 0), prev: tot.prev + prev, youths: tot.youths + m.youths };
      const link = `/gemeente/${m.code}${qs({ year, category: f.category, provider: f.provider })}`;
      return `<tr><th scope="row"><a href="${esc(link)}">${esc(m.name)}</a></th><td class="n">${euro(c)}</td>
<td class="n">${fc ? euro(fc.forecastCents) : '—'}</td><td class="n">${fc ? rangeShort(fc.lowCents, fc.highCents) : '—'}</td>
<td class="n">${euroShort(prev)}</td><td class="n">${fc && prev ? signedPct(fc.forecastCents / prev - 1) : '—'}</td>
<td class="n">${m.youths ? euroShort(Math.round(((fc?.forecastCents ?? c) * 1000) / m.youths)) : '—'}</td>${bCells(budgets.get(m.code) ?? null, fc ? fc.forecastCents : null)}</tr>`;
    });
    const regionTotal = !munisScope && !filtered ? forecast.total : null;
    const foot = `<tr><th scope="row">${munisScope ? 'Totaal' : 'Regio'}</th><td class="n">${euro(tot.cost)}</td><td class="n">${filtered ? '—' : euro(tot.fc)}</td>
<td class="n">${regionTotal ? rangeShort(regionTotal.lowCents, regionTotal.highCents) : '—'}</td><td class="n">${euroShort(tot.prev)}</td>
<td class="n">${!filtered && tot.prev ? signedPct(tot.fc / tot.prev - 1) : '—'}</td><td class="n">${tot.youths ? euroShort(Math.round(((filtered ? tot.cost : tot.fc) * 1000) / tot.youths)) : '—'}</td>${bCells(shown.every((m) => budgets.has(m.code)) ? shown.reduce((s2, m) => s2 + (budgets.get(m.code) ?? 0), 0) : null, filtered ? null : tot.fc)}</tr>`;
    let monthly: string;
    if (filtered) {
      const ms = await data.costs({ by: ['month'], year, municipalities: munisScope, ...filter });
      monthly = chart(monthlyCostsOption(ms.map((r) => ({ month: r.month ?? '', declaredCents: r.amountCents }))), 1000, 300, `Gedeclareerde kosten per productiemaand ${year} (gefilterd; zonder schatting van nog niet gedeclareerde zorg)`);
    } else {
      monthly = chart(monthlyCostsOption(monthlyPoints(forecast, munisScope ?? null)), 1000, 320, `Kosten per productiemaand ${year}: gedeclareerd en nog te declareren (schatting, gearceerd)`);
    }
    const headline = regionTotal
      ? `<div class="cards"><div class="card"><div class="k">Gedeclareerd ${year} tot nu</div><div class="v">${euro(forecast.total.declaredCents)}</div><div class="s">stand per ${formatDateNl(forecast.asOf)}</div></div>
<div class="card"><div class="k">Nog niet gedeclareerd (schatting)</div><div class="v">${euro(forecast.total.ibnrCents)}</div><div class="s">zorg geleverd, nog niet gefactureerd</div></div>
<div class="card"><div class="k">Prognose jaareinde</div><div class="v">${euro(forecast.total.forecastCents)}</div><div class="s">80%-interval ${euro(forecast.total.lowCents)} – ${euro(forecast.total.highCents)}</div></div>
<div class="card"><div class="k">Vorig jaar (${year - 1})</div><div class="v">${euro(tot.prev)}</div><div class="s">prognose ${signedPct(tot.prev ? forecast.total.forecastCents / tot.prev - 1 : null)}</div></div></div>`
      : '';
    return page(
      v.user,
      'Regio-overzicht',
      `<h1>Regio-overzicht ${year}</h1>${filtersForm('/', f, yp.years, yp.providers)}${headline}
${filtered ? '<p class="note">Gefilterd op categorie of aanbieder: de prognose geldt alleen voor het totaal en wordt hier niet getoond.</p>' : ''}
${anyBudget ? '' : `<p class="note">Geen begroting ${year} ingevoerd: voer die in op <a href="/begroting${esc(qs({ year }))}">Begroting</a>; dan staan hier ook de begroting en prognose − begroting.</p>`}
<table><caption>Gemeenten — kosten naar productiemaand ${year} <a class="dl" href="/api/overview.csv${esc(qs({ year, category: f.category, provider: f.provider }))}">CSV</a>${v.user && (v.user.role === 'beheerder' || v.user.role === 'regio') ? ` <a class="dl" href="/export.xlsx${esc(qs({ year }))}">Excel</a>` : ''}</caption>
<thead><tr><th scope="col">Gemeente</th><th scope="col" class="n">Kosten tot nu</th><th scope="col" class="n">Prognose jaareinde</th><th scope="col" class="n">80%-interval</th><th scope="col" class="n">Vorig jaar</th><th scope="col" class="n">Prognose t.o.v. vorig jaar</th><th scope="col" class="n">Per 1.000 jeugdigen</th>${anyBudget ? `<th scope="col" class="n"><a href="/begroting${esc(qs({ year }))}">Begroting</a></th><th scope="col" class="n">Prognose − begroting</th>` : ''}</tr></thead>
<tbody>${rows.join('')}</tbody><tfoot>${foot}</tfoot></table>
${monthly}
<p class="note">Kosten zijn netto (debet − credit) en toegerekend aan de maand waarin de zorg is geleverd (productiemaand). Zorg die nog niet is gedeclareerd, wordt geschat en gearceerd getoond. Per 1.000 jeugdigen: prognose gedeeld door het aantal inwoners van 0–17 jaar. Prognose − begroting: positief (rood) is een verwachte overschrijding; de begroting is de primitieve begroting plus de wijzigingen tot nu.</p>`,
      { path: reqPath(req) },
    );
  });
}
