/**
 * Gemeentepagina (`/gemeente/0482`): the one-A4 content on a screen; the drill-down beneath every figure
 * (category → product → provider → month) and, for roles allowed, the declaration lines themselves with
 * their source file (lineage), client numbers pseudonymised and every view audited.
 */
import { z } from 'zod';
import { ANALYSTS, VIEWERS } from '../../access/policy.js';
import { monthlyCostsOption, rankedBarsOption, yearlyForecastOption } from '../../charts/echarts.js';
import { PRODUCT_CATEGORIES, REFERRERS } from '../../domain/codes/index.js';
import { addMonths, formatDateNl, formatMonthNl, isMonthKey, lastDayOfMonth, monthOf } from '../../domain/month.js';
import { devMonthOf } from '../../domain/forecast/yearEnd.js';
import type { CostDim, CostRow } from '../../warehouse/warehouse.js';
import { auditClientView, type Viewer } from '../core.js';
import { providerName, providerNameWithCode } from '../../domain/providers.js';
import {
  EMPTY_STATE,
  EXAMPLE_MARK,
  amountFor,
  chart,
  count,
  euro,
  int,
  page,
  pct,
  qs,
  reqPath,
  term,
} from '../layout.js';
import { getPage } from '../route.js';
import { html, joinHtml, type SafeHtml } from '../html.js';
import type { WebContext } from '../server.js';
import type { WebData } from '../data.js';
import { filterQuery, filtersForm, monthlyPoints, yearsAndProviders } from './overview.js';
import { budgetsFor, exampleBudgets } from '../../app/budgets.js';
import { deficitView } from '../../app/deficit.js';
import { deficitHtml } from './deficit-parts.js';
import {
  explanationHtml,
  overrunChance,
  overrunText,
  reliabilitySentence,
  vintageTrackHtml,
} from './forecast-parts.js';
import { crossRow, publishedVintages, type ProtectedRow } from '../../app/disclosure.js';
import { perClient, shareOf, sumProtected, type ProtectedCell } from '../../domain/disclosure.js';
import {
  COMBINED_FILTER_NOTE,
  OTHER_PROVIDER_NOTE,
  anyMonthHidden,
  municipalityFigures,
  protectedCount,
  protectedEuro,
  providerScope,
} from '../protected.js';

const drillQuery = filterQuery.extend({
  product: z
    .string()
    .regex(/^[0-9A-Z]{5}$/)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  month: z
    .string()
    .refine(isMonthKey, 'maand als JJJJ-MM')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  doel: z.string().optional(),
});

const categoryLabel = (k: string) => `${k} ${PRODUCT_CATEGORIES[k] ?? ''}`.trim();
const referrerLabel = (k: string) => REFERRERS[k] ?? (k === 'onbekend' ? 'Onbekend' : k);

/**
 * The Kostendrijvers comparison for a year: the whole year against the year before or, for the year still
 * running, the months the A4 covers (January … the last complete month at the stand, `devMonthOf`: the stand's
 * own month when it is that month's last day) against the same months a year earlier, "even ver gedeclareerd".
 */
export function driverPeriods(year: number, asOf: string): Record<string, string> {
  if (Number(asOf.slice(0, 4)) !== year) return { 'from-period': String(year - 1), 'to-period': String(year) };
  const last = devMonthOf(asOf);
  if (Number(last.slice(0, 4)) !== year) return { 'from-period': String(year - 2), 'to-period': String(year - 1) };
  const mm = last.slice(5, 7);
  const months = (y: number) => (mm === '12' ? String(y) : mm === '01' ? `${y}-01` : `${y}-01..${y}-${mm}`);
  return { 'from-period': months(year - 1), 'to-period': months(year), gelijk: '1' };
}

/** One or two plain Dutch sentences on what changed since a month ago. */
export function changeSentences(
  name: string,
  nowForecast: number,
  prevForecast: number | null,
  declaredSince: number,
  topCat: { label: string; cents: number } | null,
): string {
  const parts: string[] = [];
  parts.push(
    `Sinds vorige maand is voor ${name} ${euro(declaredSince)} gedeclareerd${topCat && topCat.cents > 0 ? `, het meest voor ${topCat.label.toLowerCase()} (${euro(topCat.cents)})` : ''}.`,
  );
  if (prevForecast !== null && prevForecast > 0) {
    const d = nowForecast - prevForecast;
    if (Math.abs(d) < prevForecast * 0.005)
      parts.push(`De prognose voor het jaareinde is vrijwel gelijk gebleven (${euro(nowForecast)}).`);
    else
      parts.push(
        `De prognose voor het jaareinde ${d > 0 ? 'steeg' : 'daalde'} met ${euro(Math.abs(d))} naar ${euro(nowForecast)}.`,
      );
  }
  return parts.join(' ');
}

function breakdownTable(
  v: Viewer,
  rows: CostRow[],
  dim: CostDim,
  label: (k: string) => string,
  link: ((k: string) => string) | null,
  caption: string,
  limit = 12,
  title?: (k: string) => string,
): SafeHtml {
  const sorted = [...rows].sort((a, b) => b.amountCents - a.amountCents);
  const top = sorted.slice(0, limit);
  const rest = sorted.slice(limit);
  const total = rows.reduce((s, r) => s + r.amountCents, 0);
  const line = (name: string, r: { amountCents: number; clients: number }, href: string | null, tip?: string) =>
    html`<tr><th scope="row"${tip ? html` title="${tip}"` : ''}>${href ? html`<a href="${href}">${name}</a>` : name}</th><td class="n">${amountFor(v, r.amountCents, r.clients)}</td><td class="n">${total ? pct(r.amountCents / total) : '—'}</td><td class="n">${count(v, r.clients)}</td></tr>`;
  const body = joinHtml(
    top.map((r) => line(label(r[dim] ?? ''), r, link ? link(r[dim] ?? '') : null, title?.(r[dim] ?? ''))),
    '',
  );
  const restRow = rest.length
    ? line(
        `Overige (${rest.length})`,
        { amountCents: rest.reduce((s, r) => s + r.amountCents, 0), clients: rest.reduce((s, r) => s + r.clients, 0) },
        null,
      )
    : '';
  return html`<table><caption>${caption}</caption><thead><tr><th scope="col"></th><th scope="col" class="n">Kosten</th><th scope="col" class="n">Aandeel</th><th scope="col" class="n">Cliënten</th></tr></thead><tbody>${body}${restRow}</tbody></table>`;
}

/**
 * The breakdown for aggregate roles: a row of a protected table; shares and the remainder come from the
 * protected cells and total only (a hidden cell shows neither amount, share nor count).
 */
function protectedBreakdownTable(
  rows: ProtectedRow[],
  total: ProtectedCell,
  label: (k: string) => string,
  link: ((k: string) => string) | null,
  caption: string,
  limit = 12,
): SafeHtml {
  const top = rows.slice(0, limit);
  const rest = rows.slice(limit);
  const line = (name: string, r: ProtectedCell, href: string | null) =>
    html`<tr><th scope="row">${href && !r.hidden ? html`<a href="${href}">${name}</a>` : name}</th><td class="n">${protectedEuro(r.amountCents)}</td><td class="n">${pct(shareOf(r.amountCents, total.amountCents))}</td><td class="n">${protectedCount(r)}</td></tr>`;
  const body = joinHtml(
    top.map((r) => line(label(r.key), r, link ? link(r.key) : null)),
    '',
  );
  // The remainder is the total minus the rows shown: derivable from published figures, never a hidden cell alone.
  const restAmount =
    total.amountCents === null
      ? null
      : sumProtected(top.map((r) => r.amountCents)) === null
        ? null
        : total.amountCents - top.reduce((x, r) => x + (r.amountCents ?? 0), 0);
  const restRow = rest.length
    ? html`<tr><th scope="row">${`Overige (${rest.length})`}</th><td class="n">${protectedEuro(restAmount)}</td><td class="n">${pct(shareOf(restAmount, total.amountCents))}</td><td class="n">—</td></tr>`
    : '';
  return html`<table><caption>${caption}</caption><thead><tr><th scope="col"></th><th scope="col" class="n">Kosten</th><th scope="col" class="n">Aandeel</th><th scope="col" class="n">Cliënten</th></tr></thead><tbody>${body}${restRow}</tbody></table>`;
}

/** The budget vs forecast card: the budget, forecast − budget with its range, or "geen begroting ingevoerd". */
export function budgetCard(
  budgetCents: number | null,
  fc: { forecastCents: number; lowCents: number; highCents: number } | null,
  year: number,
  code: string,
  example = false,
  chance: number | null = null,
): SafeHtml {
  const link = html`<a href="/begroting${qs({ year, municipality: code })}">begroting</a>${example ? EXAMPLE_MARK : ''}`;
  if (budgetCents === null)
    return html`<div class="card"><div class="k">Begroting ${year}</div><div class="v note">geen begroting ingevoerd</div><div class="s">zie ${link}</div></div>`;
  if (!fc)
    return html`<div class="card"><div class="k">Begroting ${year}</div><div class="v">${euro(budgetCents)}</div><div class="s">zie ${link}</div></div>`;
  const d = fc.forecastCents - budgetCents;
  const signed = (c: number) => `${c > 0 ? '+' : ''}${euro(c)}`;
  return html`<div class="card"><div class="k">${term(`Prognose − begroting ${year}`, 'prognose-begroting')}</div><div class="v ${d > 0 ? 'over' : d < 0 ? 'under' : ''}">${signed(d)}</div><div class="s">${d > 0 ? 'verwachte overschrijding' : 'verwachte onderschrijding'} van de ${link} (${euro(budgetCents)}); 80%-interval ${signed(fc.lowCents - budgetCents)} – ${signed(fc.highCents - budgetCents)}${chance === null ? '' : html`; <strong>${overrunText(chance)}</strong>`}</div></div>`;
}

/** A municipality's protected figures for aggregate roles; null for two filters at once. */
async function protectedMunicipality(
  data: WebData,
  v: Viewer,
  year: number,
  code: string,
  filter: { category?: string; provider?: string },
  years: number[],
) {
  const own = await providerScope(data, v);
  const now = await municipalityFigures(data, year, filter);
  if (!now) return null;
  const py = await data.protectedYear(year);
  const yearly = new Map<number, number | null>();
  for (const y of years) yearly.set(y, (await municipalityFigures(data, y, filter))!.by.get(code)?.amountCents ?? 0);
  return {
    total: now.by.get(code) ?? { clients: 0, amountCents: 0, hidden: null },
    years: yearly,
    categories: crossRow(py, 'category', code),
    referrers: crossRow(py, 'referrer', code),
    providers: crossRow(py, 'provider', code).filter((r) => !own || own.has(r.key)),
  };
}

export function registerMunicipality({ app, deps, data }: WebContext): void {
  const notFound = (code: string) => `Gemeente ${code} bestaat niet of heeft geen gegevens.`;

  getPage(
    app,
    '/gemeente/:code',
    {
      rule: { roles: VIEWERS, municipalityScoped: true },
      municipality: true,
      unknownMunicipality: notFound,
      query: filterQuery,
      invalid: 'Ongeldige filter.',
    },
    async ({ req, reply, v, q, muni }) => {
      const code = muni.code;
      const st = await data.status();
      const year = q.year ?? (await data.currentYear());
      const f = { ...q, year };
      const m = [code];
      const filter = { category: f.category, provider: f.provider };
      const asOf = await data.asOf();
      const prevAsOf = lastDayOfMonth(addMonths(monthOf(asOf), -1));
      const [total, cats, provs, refs, years, forecast, prevForecast, catsBefore, yp, bt, budgets] = await Promise.all([
        data.costs({ by: [], year, municipalities: m, ...filter }),
        data.costs({ by: ['category'], year, municipalities: m, ...filter }),
        data.costs({ by: ['provider'], year, municipalities: m, ...filter }),
        data.costs({ by: ['referrer'], year, municipalities: m, ...filter }),
        data.costs({ by: ['year'], municipalities: m, ...filter }),
        data.forecast(year),
        Promise.resolve(null), // the change of the forecast: explained below ("Waarom veranderde de prognose?")
        data.costs({ by: ['category'], year, municipalities: m, asOf: prevAsOf, ...filter }),
        yearsAndProviders(data, v),
        data.backtest(year),
        budgetsFor(data.warehouse, year, m, asOf),
      ]);
      const [explanation, history] = await Promise.all([data.explanation(year), data.vintages(year)]);
      // Aggregate roles: no published forecast of a municipality whose total is hidden (app/disclosure.ts).
      const vintages = v.suppress ? publishedVintages(history, await data.protectedYear(year)) : history;
      const examples = await exampleBudgets(data.warehouse, year, m, asOf);
      const names = await data.providerNames();
      const t = total[0];
      if (!st.declarationLines || !t || !t.lines)
        return page(v.user, muni.name, html`<h1>${muni.name} — ${year}</h1>${EMPTY_STATE}`, {
          crumbs: [{ href: '/', label: 'Overzicht' }, { label: muni.name }],
        });
      const filtered = !!(f.category || f.provider);
      // Aggregate roles: every figure below comes from the protected tables (src/app/disclosure.ts).
      const prot = v.suppress
        ? await protectedMunicipality(
            data,
            v,
            year,
            code,
            filter,
            years.map((r) => Number(r.year)),
          )
        : null;
      if (v.suppress && !prot)
        return page(
          v.user,
          muni.name,
          html`<h1>${muni.name} — ${year}</h1>${filtersForm(`/gemeente/${code}`, f, yp.years, yp.providers)}<p class="note">${COMBINED_FILTER_NOTE}</p>`,
          { crumbs: [{ href: '/', label: 'Overzicht' }, { label: muni.name }] },
        );
      const totalCell: ProtectedCell = prot
        ? prot.total
        : { amountCents: t.amountCents, clients: t.clients, hidden: null };
      const fc = totalCell.hidden ? undefined : forecast.municipalities.find((x) => x.municipality === code);
      const before = new Map(catsBefore.map((r) => [r.category, r.amountCents]));
      // Aggregate roles: the largest change only among categories that are published.
      const visibleCats =
        prot && !filtered ? new Set(prot.categories.filter((r) => !r.hidden).map((r) => r.key)) : null;
      const deltas = cats
        .filter((r) => !prot || visibleCats?.has(r.category ?? ''))
        .map((r) => ({ label: categoryLabel(r.category ?? ''), cents: r.amountCents - (before.get(r.category) ?? 0) }))
        .sort((a, b) => b.cents - a.cents);
      const declaredSince = t.amountCents - catsBefore.reduce((s, r) => s + r.amountCents, 0);
      // Not for aggregate roles: what was declared since last month is a declaration-month cell (per category
      // too), a table outside the protected ones that may rest on a few clients.
      const story =
        filtered || totalCell.hidden || v.suppress
          ? ''
          : html`<p class="story">${changeSentences(muni.name, fc?.forecastCents ?? t.amountCents, prevForecast, declaredSince, deltas[0] ?? null)}</p>`;
      // The same reliability sentence as on the A4 and in the maand report (domain/forecast/reliability.ts).
      const reliability = reliabilitySentence(bt, code, year, asOf);
      const budgetCents = budgets.get(code) ?? null;
      const why =
        filtered || !fc
          ? ''
          : explanationHtml(explanation, code, !v.suppress && !!v.user && ANALYSTS.includes(v.user.role), v.suppress);
      // One deficit, explained: the same figures as the Burap (app/deficit.ts), on the forecast this page shows.
      const deficit =
        filtered || !fc
          ? ''
          : deficitHtml(
              await deficitView(data.warehouse, { year, asOf: forecast.asOf, forecast }),
              code,
              examples.has(code),
            );
      const perClientCents = prot
        ? perClient(totalCell.amountCents, totalCell.clients)
        : Math.round(t.amountCents / Math.max(1, t.clients));
      const cards = html`<div class="cards">
<div class="card"><div class="k">${term(`Kosten ${year} tot nu`, 'kosten-tot-nu')}</div><div class="v">${prot ? protectedEuro(totalCell.amountCents) : euro(t.amountCents)}</div><div class="s">stand per ${formatDateNl(asOf)}</div></div>
${
  fc && !filtered
    ? html`<div class="card"><div class="k">${term('Prognose jaareinde', 'prognose')}</div><div class="v">${euro(fc.forecastCents)}</div><div class="s">80%-interval ${euro(fc.lowCents)} – ${euro(fc.highCents)}</div></div>
<div class="card"><div class="k">${term('Nog niet gedeclareerd (schatting)', 'nog-niet-gedeclareerd')}</div><div class="v">${euro(fc.ibnrCents)}</div><div class="s">plus ${euro(fc.remainingCents)} voor de resterende maanden</div></div>`
    : ''
}
${budgetCard(budgetCents, fc && !filtered ? fc : null, year, code, examples.has(code), filtered || !fc ? null : overrunChance(forecast, code, budgetCents))}
<div class="card"><div class="k">${term(`Cliënten ${year}`, 'clienten')}</div><div class="v">${prot ? protectedCount(totalCell) : count(v, t.clients)}</div><div class="s">${perClientCents === null ? '' : html`${euro(perClientCents)} per cliënt`}</div></div></div>`;
      const yearRows = [...years]
        .sort((a, b) => Number(a.year) - Number(b.year))
        .flatMap((r) => {
          const actual = prot ? (prot.years.get(Number(r.year)) ?? null) : r.amountCents;
          if (actual === null) return [];
          return [
            {
              year: Number(r.year),
              actualCents: actual,
              forecast:
                Number(r.year) === year && fc && !filtered
                  ? { forecastCents: fc.forecastCents, lowCents: fc.lowCents, highCents: fc.highCents }
                  : undefined,
            },
          ];
        });
      const monthly =
        prot && (filtered || (await anyMonthHidden(data, year, code)))
          ? html`<p class="note">${filtered ? 'De kosten per maand binnen een filter worden voor deze rol niet getoond (te kleine aantallen).' : 'De kosten per maand worden niet getoond: een maand rust op te weinig cliënten.'}</p>`
          : filtered
            ? chart(
                monthlyCostsOption(
                  (await data.costs({ by: ['month'], year, municipalities: m, ...filter })).map((r) => ({
                    month: r.month ?? '',
                    declaredCents: r.amountCents,
                  })),
                ),
                1000,
                300,
                `Gedeclareerde kosten per productiemaand ${year} (gefilterd)`,
              )
            : chart(
                monthlyCostsOption(monthlyPoints(forecast, m)),
                1000,
                300,
                `Kosten per productiemaand ${year}: gedeclareerd en nog te declareren (schatting, gearceerd)`,
              );
      const catBars = prot
        ? prot.categories
            .filter((r) => r.amountCents !== null)
            .map((r) => ({ label: categoryLabel(r.key), cents: r.amountCents! }))
        : cats.map((r) => ({ label: categoryLabel(r.category ?? ''), cents: r.amountCents }));
      const base = { year, category: f.category, provider: f.provider };
      const drill = (over: Record<string, string>) => `/gemeente/${code}/uitsplitsing${qs(base, over)}`;
      return page(
        v.user,
        muni.name,
        html`<h1>${muni.name} — ${year}</h1>${filtersForm(`/gemeente/${code}`, f, yp.years, yp.providers)}${cards}${deficit}${story}
<p class="note"><strong>${term('Hoe betrouwbaar is deze prognose?', 'betrouwbaarheid')}</strong> ${reliability}</p>${why}
${monthly}<div class="grid2">${chart(yearlyForecastOption(yearRows), 560, 300, 'Kosten per jaar, met de prognose en het 80%-interval voor het lopende jaar')}
${catBars.length ? chart(rankedBarsOption(catBars), 560, Math.max(160, 28 * catBars.length + 20), 'Kosten per productcategorie') : ''}</div>
${
  prot
    ? filtered
      ? html`<p class="note">Binnen een filter worden categorieën, verwijzers en aanbieders voor deze rol niet uitgesplitst (te kleine aantallen).</p>`
      : html`<div class="grid2"><div>${protectedBreakdownTable(prot.categories, totalCell, categoryLabel, (c) => drill({ category: c }), 'Per productcategorie')}</div>
<div>${protectedBreakdownTable(prot.referrers, totalCell, referrerLabel, null, 'Verwijzers')}</div></div>
${v.user?.role === 'partner' ? html`${prot.providers.length ? protectedBreakdownTable(prot.providers, totalCell, (p) => providerName(p, names), null, 'Uw organisatie', 10) : ''}<p class="note">${OTHER_PROVIDER_NOTE}</p>` : protectedBreakdownTable(prot.providers, totalCell, (p) => providerName(p, names), null, 'Grootste aanbieders', 10)}`
    : html`<div class="grid2"><div>${breakdownTable(v, cats, 'category', categoryLabel, (c) => drill({ category: c }), 'Per productcategorie')}</div>
<div>${breakdownTable(v, refs, 'referrer', referrerLabel, null, 'Verwijzers')}</div></div>
${breakdownTable(
  v,
  provs,
  'provider',
  (p) => providerName(p, names),
  (p) => drill({ provider: p }),
  'Grootste aanbieders',
  10,
  (p) => `AGB ${p}`,
)}`
}
${filtered ? '' : vintageTrackHtml(vintages, code, budgetCents, year)}
<p><a class="button" href="${drill({})}">Uitsplitsen</a> <a class="button" href="/gemeente/${code}/a4">A4-overzicht</a> <a class="button" href="/gemeente/${code}/a4.pdf">A4 als PDF</a> <a class="button" href="/vergelijken?year=${year}">Vergelijken met andere gemeenten</a> <a class="button" href="${`/kostendrijvers${qs({ municipality: code, ...(v.suppress ? { 'from-period': String(year - 1), 'to-period': String(year), gelijk: '0' } : driverPeriods(year, asOf)) })}`}">Kostendrijvers</a> <a class="button" href="${`/gemeente/${code}/routes${qs({ year })}`}">Cliëntroutes</a>${v.user && ANALYSTS.includes(v.user.role) ? html` <a class="button" href="${`/gemeente/${code}/casussen${qs({ year })}`}">Bijzondere casussen</a> <a class="button" href="${`/datakwaliteit${qs({ municipality: code })}`}">Datakwaliteit</a>` : ''}</p>`,
        // A gemeente user with one municipality starts here: no crumb back to an overview it does not have.
        {
          path: reqPath(req),
          crumbs:
            v.user?.role === 'gemeente' && v.scope?.length === 1
              ? []
              : [{ href: `/${qs({ year })}`, label: 'Overzicht' }, { label: muni.name }],
        },
      );
    },
  );

  getPage(
    app,
    '/gemeente/:code/uitsplitsing',
    {
      rule: { roles: VIEWERS, municipalityScoped: true },
      municipality: true,
      unknownMunicipality: notFound,
      query: drillQuery,
      invalid: (e) => `Ongeldige filter: ${e.issues.map((i) => i.path.join('.')).join(', ')}.`,
    },
    async ({ req, reply, v, q, muni }) => {
      const code = muni.code;
      const year = q.year ?? (await data.currentYear());
      const f = { ...q, year };
      const levels: { key: 'category' | 'product' | 'provider' | 'month'; label: string }[] = [
        { key: 'category', label: 'productcategorie' },
        { key: 'product', label: 'productcode' },
        { key: 'provider', label: 'aanbieder' },
        { key: 'month', label: 'productiemaand' },
      ];
      const next = levels.find((l) => !f[l.key]);
      const filter = { category: f.category, product: f.product, provider: f.provider, from: f.month, to: f.month };
      const base = { year, category: f.category, product: f.product, provider: f.provider, month: f.month };
      const names = await data.providerNames();
      const crumbs = [
        { href: `/${qs({ year })}`, label: 'Overzicht' },
        { href: `/gemeente/${code}${qs({ year })}`, label: muni.name },
        { href: `/gemeente/${code}/uitsplitsing${qs({ year })}`, label: 'Uitsplitsing' },
      ];
      for (const l of levels) {
        const val = f[l.key];
        if (!val) continue;
        const upto: Record<string, string | number | undefined> = { year };
        for (const l2 of levels) {
          upto[l2.key] = f[l2.key];
          if (l2 === l) break;
        }
        crumbs.push({
          href: `/gemeente/${code}/uitsplitsing${qs(upto)}`,
          label:
            l.key === 'category'
              ? categoryLabel(val)
              : l.key === 'month'
                ? formatMonthNl(val)
                : l.key === 'provider'
                  ? providerNameWithCode(val, names)
                  : val,
        });
      }
      if (v.suppress) {
        // Aggregate roles: category → product, from the protected tables; nothing deeper, no other filter.
        const py = await data.protectedYear(year);
        const deeper = f.provider || f.month || f.product;
        let body = html`<h1>${muni.name} — uitsplitsing ${year}</h1>`;
        if (deeper) {
          body = html`${body}${html`<p class="note">Deze uitsplitsing (naar aanbieder, productcode of maand) wordt voor deze rol niet getoond: de aantallen cliënten zijn te klein om te beschermen. Kies een productcategorie.</p>`}`;
        } else if (!f.category) {
          const tot = py.municipality(code);
          body = html`${body}${html`<p>Totaal in deze selectie: <strong>${protectedEuro(tot.amountCents)}</strong>, ${protectedCount(tot)} cliënten.</p>`}`;
          body = html`${body}${protectedBreakdownTable(crossRow(py, 'category', code), tot, categoryLabel, (k) => `/gemeente/${code}/uitsplitsing${qs(base, { category: k })}`, 'Per productcategorie', 50)}`;
        } else {
          const tot = py.cross('category').cols.includes(f.category)
            ? py.cross('category').cell(code, f.category)
            : { clients: 0, amountCents: 0, hidden: null };
          body = html`${body}${html`<p>Totaal in deze selectie: <strong>${protectedEuro(tot.amountCents)}</strong>, ${protectedCount(tot)} cliënten.</p>`}`;
          if (!tot.hidden) {
            const products = [...(await data.protectedProducts(year, code, f.category))].map(([key, c]) => ({
              key,
              ...c,
            }));
            products.sort(
              (a, b) =>
                (a.amountCents === null ? 1 : 0) - (b.amountCents === null ? 1 : 0) ||
                (b.amountCents ?? 0) - (a.amountCents ?? 0),
            );
            body = html`${body}${protectedBreakdownTable(products, tot, (k) => k || '(geen productcode)', null, 'Per productcode', 50)}`;
          }
        }
        return page(v.user, `${muni.name} — uitsplitsing`, body, { crumbs });
      }
      const [total] = await data.costs({ by: [], year, municipalities: [code], ...filter });
      let body = html`<h1>${muni.name} — uitsplitsing ${year}</h1><p>Totaal in deze selectie: <strong>${amountFor(v, total?.amountCents ?? 0, total?.clients ?? 0)}</strong>, ${count(v, total?.clients ?? 0)} cliënten, ${int(total?.lines ?? 0)} declaratieregels.</p>`;
      if (next) {
        const dim: CostDim = next.key === 'product' ? 'product' : next.key;
        const rows = await data.costs({ by: [dim], year, municipalities: [code], ...filter });
        if (next.key === 'month') rows.sort((a, b) => String(a.month).localeCompare(String(b.month)));
        const label =
          next.key === 'category'
            ? categoryLabel
            : next.key === 'month'
              ? (k: string) => formatMonthNl(k)
              : next.key === 'provider'
                ? (k: string) => providerName(k, names)
                : (k: string) => k || '(geen productcode)';
        const table =
          next.key === 'month'
            ? html`<table><caption>Per ${next.label}</caption><thead><tr><th scope="col"></th><th scope="col" class="n">Kosten</th><th scope="col" class="n">Cliënten</th></tr></thead><tbody>${rows.map(
                (r) =>
                  html`<tr><th scope="row"><a href="${`/gemeente/${code}/uitsplitsing${qs(base, { month: r.month })}`}">${label(r.month ?? '')}</a></th><td class="n">${amountFor(v, r.amountCents, r.clients)}</td><td class="n">${count(v, r.clients)}</td></tr>`,
              )}</tbody></table>`
            : breakdownTable(
                v,
                rows,
                dim,
                label,
                (k) => `/gemeente/${code}/uitsplitsing${qs(base, { [next.key]: k })}`,
                `Per ${next.label}`,
                50,
                next.key === 'provider' ? (k) => `AGB ${k}` : undefined,
              );
        body = html`${body}${table}`;
      }
      const lineageAllowed = v.user && ANALYSTS.includes(v.user.role);
      if (lineageAllowed && (f.month || f.provider)) {
        body = html`${body}${html`<p><a class="button" href="${`/gemeente/${code}/regels${qs(base)}`}">Declaratieregels en bronbestanden bekijken</a> <span class="note">(cliëntniveau, gepseudonimiseerd; de inzage wordt vastgelegd)</span></p>`}`;
      }
      return page(v.user, `${muni.name} — uitsplitsing`, body, { crumbs });
    },
  );

  getPage(
    app,
    '/gemeente/:code/regels',
    {
      rule: { roles: ANALYSTS, municipalityScoped: true, clientLevel: true },
      municipality: true,
      unknownMunicipality: notFound,
      query: drillQuery,
      invalid: 'Ongeldige filter.',
    },
    async ({ req, reply, v, q, muni }) => {
      const code = muni.code;
      const f = q;
      const [rows, names] = await Promise.all([
        data.warehouse.lineage({
          municipality: code,
          month: f.month,
          category: f.category,
          provider: f.provider,
          product: f.product,
          limit: 500,
        }),
        data.providerNames(),
      ]);
      const inYear = f.year ? rows.filter((r) => r.month.startsWith(String(f.year))) : rows;
      await auditClientView(
        deps,
        req,
        'view.declaration-lines',
        inYear.map((r) => r.client),
        code,
        `uitsplitsing ${JSON.stringify({ year: f.year, category: f.category, product: f.product, provider: f.provider, month: f.month })}`,
      );
      const body = joinHtml(
        inYear.map(
          (
            r,
          ) => html`<tr><td>${r.fileName}${r.sheet ? html`, blad ${r.sheet}` : ''}</td><td class="n">${r.sourceLine}</td><td>${r.declarationNumber}</td><td>${r.referenceNumber}</td><td><code>${r.client}</code></td>
<td>${formatMonthNl(r.month)}</td><td class="nw">${formatDateNl(r.declarationDate)}</td><td>${r.category} ${r.productCode ?? ''}</td><td>${providerNameWithCode(r.provider, names)}</td><td class="n">${euro(r.amountCents)}</td><td>${r.findings.join(' ')}</td></tr>`,
        ),
        '',
      );
      return page(
        v.user,
        `${muni.name} — declaratieregels`,
        html`<h1>${muni.name} — declaratieregels</h1><p class="note">Cliëntnummers zijn pseudoniemen (HMAC); het BSN staat niet in Grip. Deze inzage is vastgelegd in het auditlogboek${v.purpose ? html` met doel “${v.purpose}”` : ''}.</p>
<div class="compact lines"><table><caption>${int(inYear.length)} regels${rows.length >= 500 ? ' (de eerste 500; verfijn de selectie)' : ''}</caption><thead><tr><th>Bestand</th><th class="n">Regel</th><th>Declaratie</th><th>Referentie</th><th>Cliënt (pseudoniem)</th><th>Productie&shy;maand</th><th>Declaratie&shy;datum</th><th>Product</th><th>Aanbieder</th><th class="n">Bedrag</th><th>Bevindingen</th></tr></thead><tbody>${body}</tbody></table></div>`,
        {
          crumbs: [
            { href: '/', label: 'Overzicht' },
            { href: `/gemeente/${code}`, label: muni.name },
            { label: 'Declaratieregels' },
          ],
        },
      );
    },
  );
}
