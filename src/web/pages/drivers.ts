/**
 * Kostendrijvers (`/kostendrijvers`): why did the cost change between two periods? The exact split into
 * volume (clients) × intensity (units per client) × price (cost per unit) per slice — category, product,
 * provider, referrer or municipality — with a waterfall, one plain Dutch sentence per slice and the largest
 * contributors ranked. `/api/kostendrijvers` answers the same in JSON. Councils see slices resting on fewer
 * than 10 clients hidden.
 */
import { z } from 'zod';
import { VIEWERS } from '../../access/policy.js';
import {
  defaultDriverYears,
  driversView,
  suppressDrivers,
  type DriverSliceView,
  type DriversView,
  type SliceDim,
} from '../../app/insight.js';
import { rankedBarsOption, waterfallAxisMin, waterfallOption, type WaterfallBar } from '../../charts/echarts.js';
import { PRODUCT_CATEGORIES, REFERRERS, cbsMunicipality } from '../../domain/codes/index.js';
import { DRIVER_DIMS, parsePeriod, type Period } from '../../domain/insight/decomposition.js';
import {
  driversRefusalForAggregate,
  likeForLikeRefusal,
  type DriversSelection,
} from '../../domain/insight/drivers-disclosure.js';
import { showCount } from '../../domain/suppression.js';
import { addMonths, formatPeriodNl, monthOf } from '../../domain/month.js';
import { scoped, type Viewer } from '../core.js';
import { EMPTY_STATE, addNav, chart, count, euro, page, qs, reqPath } from '../layout.js';
import { getJson, getPage } from '../route.js';
import { invalidParameters } from './api.js';
import { html, raw, type SafeHtml } from '../html.js';
import type { WebContext } from '../server.js';
import { providerScope } from '../protected.js';
import type { WebData } from '../data.js';
import { blankable } from '../filters.js';

const SLICE_DIMS = DRIVER_DIMS.filter((d): d is SliceDim => d !== 'total');
const DIM_LABEL: Record<SliceDim, string> = {
  category: 'productcategorie',
  product: 'productcode',
  provider: 'aanbieder',
  referrer: 'verwijzer',
  municipality: 'gemeente',
};
const period = z.string().transform((s, ctx) => {
  try {
    return parsePeriod(s);
  } catch (e) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: (e as Error).message });
    return z.NEVER;
  }
});

export const driversQuery = z.object({
  'from-period': blankable(period),
  'to-period': blankable(period),
  by: blankable(z.enum(SLICE_DIMS as [SliceDim, ...SliceDim[]])),
  municipality: blankable(
    z
      .string()
      .regex(/^(GM)?\d{4}(,(GM)?\d{4})*$/, 'gemeentecode(s) van 4 cijfers')
      .transform((s) => s.split(',').map((x) => x.replace(/^GM/, ''))),
  ),
  category: blankable(z.string().regex(/^\d{2}$/)),
  product: blankable(z.string().regex(/^[0-9A-Za-z]{1,5}$/)),
  provider: blankable(z.string().regex(/^\d{8}$/)),
  referrer: blankable(z.string().regex(/^(\d{2}|onbekend)$/)),
  basis: blankable(z.enum(['ingediend', 'toegekend'])),
  gelijk: blankable(z.enum(['1', '0'])),
  top: blankable(z.coerce.number().int().min(1).max(50)),
});
export type DriversParams = z.infer<typeof driversQuery>;

/** The selection of a request, as the disclosure rule of the cost drivers reads it. */
const selection = (p: DriversParams): DriversSelection => ({
  by: p.by,
  municipalities: p.municipality,
  category: p.category,
  product: p.product,
  provider: p.provider,
  referrer: p.referrer,
  basis: p.basis,
  likeForLike: p.gelijk === '1',
});

/**
 * Aggregate roles see cost drivers only over the protected tables (rule: domain/insight/drivers-disclosure.ts);
 * anything else is refused with a 400.
 */
function refuseOutsideProtectedTables(p: DriversParams, before: Period, after: Period): void {
  const why = driversRefusalForAggregate(selection(p), before, after);
  if (why !== null)
    throw Object.assign(
      new Error(`Voor deze rol niet beschikbaar: ${why} (kleine aantallen zijn niet te beschermen).`),
      { statusCode: 400 },
    );
}

/**
 * Whether a slice is hidden in the protected table of either year (the slices are cells of those tables), and
 * whether the selection's total is (a municipality's total, or its category's cell for the products).
 */
async function protectedSliceHidden(
  data: WebData,
  p: DriversParams,
  before: Period,
  after: Period,
): Promise<{ slice: (slice: string) => boolean; total: boolean }> {
  const years = [Number(before.from.slice(0, 4)), Number(after.from.slice(0, 4))];
  const by = p.by ?? 'category';
  const code = p.municipality?.[0];
  const totals = await Promise.all(
    years.map(async (y) => {
      const py = await data.protectedYear(y);
      if (code === undefined) return py.region.hidden !== null;
      if (by === 'product' && p.category) return py.cross('category').cell(code, p.category).hidden !== null;
      return py.municipality(code).hidden !== null;
    }),
  );
  const checks = await Promise.all(
    years.map(async (y): Promise<(slice: string) => boolean> => {
      const py = await data.protectedYear(y);
      if (by === 'municipality') return (s) => py.municipality(s).hidden !== null;
      if (by === 'product') {
        const products = await data.protectedProducts(y, code!, p.category!);
        return (s) =>
          products.get(s)?.hidden != null ||
          (!products.has(s) && py.cross('category').cell(code!, p.category!).hidden !== null);
      }
      const t = py.cross(by);
      return (s) => (!t.cols.includes(s) ? false : (code ? t.cell(code, s) : t.colTotal(s)).hidden !== null);
    }),
  );
  return { slice: (s) => checks.some((c) => c(s)), total: totals.some(Boolean) };
}

/** After an import, in the background: the page as it opens for the region and for each municipality. */
export async function warmDrivers(data: WebData): Promise<void> {
  const region: Viewer = { user: null, scope: null, suppress: false, purpose: null };
  await driversFor(data, region, {});
  for (const m of await data.warehouse.municipalities()) await driversFor(data, { ...region, scope: [m.code] }, {});
}

/** Runs the decomposition for a request's parameters within the viewer's scope (suppressed for councils). */
export async function driversFor(data: WebData, v: Viewer, p: DriversParams): Promise<DriversView> {
  const st = await data.status();
  const def = defaultDriverYears(st.lastMonth);
  const before: Period = p['from-period'] ?? parsePeriod(def.before);
  const after: Period = p['to-period'] ?? parsePeriod(def.after);
  if (v.suppress) refuseOutsideProtectedTables(p, before, after);
  const names = await data.providerNames();
  const args = {
    aggregate: v.suppress,
    before,
    after,
    by: p.by ?? 'category',
    municipalities: scoped(v, p.municipality),
    category: p.category,
    product: p.product,
    provider: p.provider,
    referrer: p.referrer,
    basis: p.basis,
    // Like for like by default when the later period is not fully declared yet (its last months are recent).
    // Never for aggregate roles (domain/insight/drivers-disclosure.ts likeForLikeRefusal, as on the A4).
    likeForLikeAsOf:
      likeForLikeRefusal(v.suppress) === null &&
      (p.gelijk === '1' ||
        (p.gelijk === undefined && st.lastDeclarationDate && after.to > addMonths(monthOf(st.lastDeclarationDate), -4)))
        ? await data.asOf()
        : undefined,
    top: p.top ?? 10,
    lastDeclarationDate: st.lastDeclarationDate,
  };
  // Cached per data version (and per state of the provider register, whose names the sentences use).
  const view = await data.cached(`drivers:${names.size}:${JSON.stringify(args)}`, () =>
    driversView(data.warehouse, { providerNames: names, ...args }),
  );
  const hidden = v.suppress ? await protectedSliceHidden(data, p, before, after) : null;
  const shown = hidden ? suppressDrivers(view, hidden.slice, hidden.total) : view;
  // Partners: slices of other providers are not shown by name or amount (the total stays, region-wide).
  const own = await providerScope(data, v);
  return own && shown.by === 'provider'
    ? {
        ...shown,
        slices: shown.slices.filter((s) => own.has(s.slice)),
        contributors: shown.contributors.filter((c) => own.has(c.slice)),
      }
    : shown;
}

/** A period as people read it (`januari t/m september 2025`); URLs and the form keep its identifier. */
const said = (p: Period) => formatPeriodNl(p.from, p.to);

const HIDDEN = html`<span title="Te weinig cliënten om te tonen">*</span>`;
const axisNote = (bars: WaterfallBar[]) => (waterfallAxisMin(bars) > 0 ? ' (de verticale as begint niet bij nul)' : '');

function sliceRow(v: Viewer, s: DriverSliceView, href: string | null, perClient: boolean, head = false): SafeHtml {
  const cell = (c: number) => html`<td class="n">${s.suppressed ? HIDDEN : euro(c)}</td>`;
  const clients = html`<td class="n">${s.beforeClients === null || s.afterClients === null ? '—' : s.suppressed ? HIDDEN : html`${count(v, s.beforeClients)} → ${count(v, s.afterClients)}`}</td>`;
  const name = href && !s.suppressed ? html`<a href="${href}">${s.label}</a>` : s.label;
  const tag = head ? raw('td') : raw('th scope="row"');
  // Split as clients × cost per client (aggregate roles): one part for care per client and tariff together.
  const parts = perClient
    ? html`${cell(s.volumeCents)}${cell(s.priceCents)}`
    : html`${cell(s.volumeCents)}${cell(s.intensityCents)}${cell(s.priceCents)}`;
  return html`<tr><${tag}>${name}</${raw(head ? 'td' : 'th')}>${cell(s.beforeCents)}${cell(s.afterCents)}${cell(s.changeCents)}${parts}${clients}</tr>`;
}

function slicesTable(v: Viewer, d: DriversView, link: (s: DriverSliceView) => string | null, limit = 40): SafeHtml {
  const parts = d.perClient
    ? html`<th scope="col" class="n">Volume (cliënten)</th><th scope="col" class="n">Kosten per cliënt</th>`
    : html`<th scope="col" class="n">Volume (cliënten)</th><th scope="col" class="n">Intensiteit</th><th scope="col" class="n">Prijs</th>`;
  const head = html`<thead><tr><th scope="col">${DIM_LABEL[d.by]}</th><th scope="col" class="n">${said(d.before)}</th><th scope="col" class="n">${said(d.after)}</th><th scope="col" class="n">Verschil</th>${parts}<th scope="col" class="n">Cliënten</th></tr></thead>`;
  const shown = d.slices.slice(0, limit);
  const rest = d.slices.length - shown.length;
  const caption = d.perClient
    ? html`Verschil per ${DIM_LABEL[d.by]}, gesplitst in cliënten × kosten per cliënt (de delen tellen exact op tot het verschil)`
    : html`Verschil per ${DIM_LABEL[d.by]}, gesplitst in volume × intensiteit × prijs (de delen tellen exact op tot het verschil)`;
  return html`<div class="compact"><table><caption>${caption}</caption>${head}
<tbody>${shown.map((s) => sliceRow(v, s, link(s), d.perClient))}${rest > 0 ? html`<tr><td colspan="${d.perClient ? 7 : 8}" class="note">… en ${rest} kleinere; zie de JSON voor alle.</td></tr>` : ''}</tbody>
<tfoot>${sliceRow(v, d.total, null, d.perClient, true)}</tfoot></table></div>`;
}

export function registerDrivers({ app, data }: WebContext): void {
  addNav({ href: '/kostendrijvers', label: 'Kostendrijvers', roles: VIEWERS });

  getJson(
    app,
    '/api/kostendrijvers',
    { rule: { roles: VIEWERS, municipalityScoped: true }, query: driversQuery, invalid: invalidParameters },
    async ({ v, q }) => {
      const d = await driversFor(data, v, q);
      const hide = (s: DriverSliceView) =>
        s.suppressed
          ? {
              slice: s.slice,
              label: s.label,
              suppressed: true,
              beforeCents: null,
              afterCents: null,
              changeCents: null,
              volumeCents: null,
              intensityCents: null,
              priceCents: null,
              beforeClients: null,
              afterClients: null,
              sentence: null,
              waterfall: null,
              products: [],
            }
          : v.suppress
            ? {
                ...s,
                beforeClients: s.beforeClients === null ? null : showCount(s.beforeClients),
                afterClients: s.afterClients === null ? null : showCount(s.afterClients),
                // Split as clients × cost per client: no intensity or price of their own.
                ...(d.perClient ? { intensityCents: null, priceCents: null, perClientCents: s.priceCents } : {}),
              }
            : s;
      const contributors = d.perClient
        ? d.contributors.map((c) => (c.effect === 'price' ? { ...c, effect: 'perClient' as const } : c))
        : d.contributors;
      return { ...d, total: hide(d.total), slices: d.slices.map(hide), contributors };
    },
  );

  getPage(
    app,
    '/kostendrijvers',
    {
      rule: { roles: VIEWERS, municipalityScoped: true },
      query: driversQuery,
      invalid: (e) => `Ongeldige keuze: ${e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`,
    },
    async ({ req, reply, v, q }) => {
      const st = await data.status();
      if (!st.declarationLines)
        return page(v.user, 'Kostendrijvers', html`<h1>Kostendrijvers</h1>${EMPTY_STATE}`, { path: '/kostendrijvers' });
      const p = q;
      const d = await driversFor(data, v, p);
      const by = d.by;
      const base = {
        'from-period': d.before.label,
        'to-period': d.after.label,
        by,
        municipality: p.municipality?.join(','),
        category: p.category,
        product: p.product,
        provider: p.provider,
        referrer: p.referrer,
        basis: p.basis,
        gelijk: d.likeForLike ? '1' : '0',
      };
      const munis = (await data.warehouse.municipalities()).filter((m) => !v.scope || v.scope.includes(m.code));
      const only = p.municipality?.length === 1 ? p.municipality[0] : undefined;
      const where =
        only !== undefined
          ? (cbsMunicipality(only)?.name ?? only)
          : v.scope
            ? munis.map((m) => m.name).join(', ')
            : 'de regio';
      // Drill-down: a category opens its products, a municipality its categories (for aggregate roles only
      // where the rule allows the next selection: no dead links).
      const next = (s: DriverSliceView): [Partial<DriversParams>, Record<string, string>] | null => {
        if (by === 'category')
          return [
            { category: s.slice, by: 'product' },
            { category: s.slice, by: 'product' },
          ];
        if (by === 'municipality')
          return [
            { municipality: [s.slice], by: 'category' },
            { municipality: s.slice, by: 'category' },
          ];
        if (by === 'provider')
          return [
            { provider: s.slice, by: 'category' },
            { provider: s.slice, by: 'category' },
          ];
        if (by === 'referrer')
          return [
            { referrer: s.slice, by: 'category' },
            { referrer: s.slice, by: 'category' },
          ];
        return null;
      };
      const link = (s: DriverSliceView): string | null => {
        const n = next(s);
        if (!n) return null;
        if (v.suppress && driversRefusalForAggregate(selection({ ...p, ...n[0] }), d.before, d.after) !== null)
          return null;
        return `/kostendrijvers${qs(base, n[1])}`;
      };
      const opt = (val: string, label: string, cur?: string) =>
        html`<option value="${val}"${(cur ?? '') === val ? ' selected' : ''}>${label}</option>`;
      const form = html`<form class="filters" method="get" action="/kostendrijvers" aria-label="Keuzes">
<label>Van periode<input name="from-period" value="${d.before.label}" size="10" placeholder="2024" title="2024, 2024-H1, 2024-Q3, 2024-03 of 2024-01..2024-06"></label>
<label>Naar periode<input name="to-period" value="${d.after.label}" size="10" placeholder="2025"></label>
<label>Uitsplitsen naar<select name="by">${SLICE_DIMS.map((k) => opt(k, DIM_LABEL[k], by))}</select></label>
<label>Gemeente<select name="municipality">${v.scope && v.scope.length === 1 ? '' : opt('', v.scope ? 'Alle eigen gemeenten' : 'Hele regio', p.municipality?.join(','))}${munis.map((m) => opt(m.code, m.name, p.municipality?.join(',')))}</select></label>
<label>Productcategorie<select name="category">${opt('', 'Alle', p.category)}${Object.entries(PRODUCT_CATEGORIES).map(([k, l]) => opt(k, `${k} ${l}`, p.category))}</select></label>
<label>Verwijzer<select name="referrer">${opt('', 'Alle', p.referrer)}${Object.entries(REFERRERS).map(([k, l]) => opt(k, l, p.referrer))}</select></label>
<label>Aanbieder (AGB)<input name="provider" value="${p.provider ?? ''}" size="9" pattern="\\d{8}"></label>
<label>Productcode<input name="product" value="${p.product ?? ''}" size="6"></label>
<label>Vergelijking<select name="gelijk">${likeForLikeRefusal(v.suppress) !== null ? '' : opt('1', 'even ver gedeclareerd', d.likeForLike ? '1' : '0')}${opt('0', 'zoals nu bekend', d.likeForLike ? '1' : '0')}</select></label>
<button type="submit">Toon</button></form>`;
      const t = d.total;
      const hidden = t.suppressed;
      const cards = hidden
        ? ''
        : html`<div class="cards">
<div class="card"><div class="k">Kosten ${said(d.before)}</div><div class="v">${euro(t.beforeCents)}</div><div class="s">${t.beforeClients === null ? '' : html`${count(v, t.beforeClients)} cliënten`}</div></div>
<div class="card"><div class="k">Kosten ${said(d.after)}</div><div class="v">${euro(t.afterCents)}</div><div class="s">${t.afterClients === null ? '' : html`${count(v, t.afterClients)} cliënten`}</div></div>
<div class="card"><div class="k">Verschil</div><div class="v ${t.changeCents > 0 ? 'over' : 'under'}">${t.changeCents > 0 ? '+' : ''}${euro(t.changeCents)}</div><div class="s">${d.perClient ? html`volume ${euro(t.volumeCents)} · kosten per cliënt ${euro(t.priceCents)}` : html`volume ${euro(t.volumeCents)} · intensiteit ${euro(t.intensityCents)} · prijs ${euro(t.priceCents)}`}</div></div></div>`;
      const waterfalls = hidden
        ? ''
        : html`${chart(waterfallOption(t.waterfall), 760, 300, `Van ${said(d.before)} naar ${said(d.after)}: kosten ${said(d.before)}, door meer of minder cliënten (volume), ${d.perClient ? 'door hogere of lagere kosten per cliënt (zorg per cliënt en tarief samen)' : 'door meer of minder zorg per cliënt (intensiteit), door hogere of lagere tarieven (prijs)'}, kosten ${said(d.after)}${axisNote(t.waterfall)}`)}`;
      const top = d.slices.filter((s) => !s.suppressed).slice(0, 4);
      const small =
        top.length > 1
          ? html`<h2>Grootste veranderingen per ${DIM_LABEL[by]}</h2><div class="grid2">${top.map((s) => chart(waterfallOption(s.waterfall, { title: s.label }), 560, 260, `${s.sentence}${axisNote(s.waterfall)}`))}</div>`
          : '';
      const sentences = d.slices.filter((s) => !s.suppressed && s.changeCents !== 0).slice(0, 12);
      const contributors = d.contributors;
      const body = html`<h1>Kostendrijvers ${said(d.before)} → ${said(d.after)}</h1>
<p class="note">${where}; per ${DIM_LABEL[by]}. Netto gedeclareerde kosten naar productiemaand${p.basis === 'toegekend' ? ' (toegekend: zonder regels die in een JW325 zijn afgewezen)' : ''}. <a class="dl" href="/api/kostendrijvers${qs(base)}">JSON</a></p>
${form}
${d.notes.map((n) => html`<p class="note">${n}</p>`)}
${hidden ? html`<p class="empty">Te weinig cliënten in deze selectie om de kosten te tonen.</p>` : html`<p class="story">${t.sentence}</p>`}
${cards}${waterfalls}
${d.slices.length ? slicesTable(v, d, link) : html`<p class="empty">Geen declaraties in deze perioden.</p>`}
${sentences.length ? html`<h2>In gewone woorden</h2><ul>${sentences.map((s) => html`<li>${s.sentence}</li>`)}</ul>` : ''}
${contributors.length ? html`<h2>Grootste bijdragen aan het verschil</h2><div class="grid2"><ol>${contributors.map((c) => html`<li>${c.label}</li>`)}</ol>${chart(rankedBarsOption(contributors.map((c) => ({ label: c.label.replace(/^[+−]€ [\d.]+ /, ''), cents: c.cents }))), 560, Math.max(140, 26 * contributors.length + 20), 'Grootste bijdragen (bedrag per oorzaak en ' + DIM_LABEL[by] + ')')}</div>` : ''}
${small}
${d.perClient ? html`<p class="note"><strong>Hoe lees ik dit?</strong> Per ${DIM_LABEL[by]} geldt kosten = cliënten × kosten per cliënt, uit de gepubliceerde cijfers van beide jaren (aantallen cliënten afgerond op 5). Het verschil wordt exact verdeeld (log-mean Divisia; Shapley bij nul of negatieve bedragen) in een deel door meer of minder cliënten en een deel door hogere of lagere kosten per cliënt: meer zorg per cliënt en hogere tarieven samen. Die twee zijn alleen per productcode te scheiden, en cijfers per productcode zijn voor deze rol niet beschikbaar (kleine aantallen zijn niet te beschermen). Het totaal is op dezelfde manier uit zijn eigen cijfers gesplitst. De delen zijn in hele centen afgerond zodat ze exact optellen; in de zinnen staan bedragen in hele euro's.</p>` : html`<p class="note"><strong>Hoe lees ik dit?</strong> Per product geldt kosten = cliënten × eenheden per cliënt × prijs per eenheid. Het verschil wordt per product exact verdeeld (log-mean Divisia; Shapley bij nul of negatieve bedragen) en per ${DIM_LABEL[by]} opgeteld. Eenheden verschillen per product (uren, etmalen, stuks), daarom telt een verschuiving tussen producten als volume. Een nieuw of beëindigd product telt geheel als volume. De delen zijn in hele centen afgerond zodat ze exact optellen; in de zinnen staan bedragen in hele euro's.</p>`}`;
      return page(v.user, 'Kostendrijvers', body, { path: reqPath(req) });
    },
  );
}
