/**
 * Cliëntroutes (`/gemeente/0482/routes`): how clients enter and move through care in one municipality —
 * referrer → first product category → next category → lopend/afgesloten, as a Sankey diagram and a table;
 * the time from request (JW315) to start of care (JW305, else the allocation's start); re-entry within
 * 12 months after care ended. Aggregates only; councils see routes resting on fewer than 10 clients hidden
 * (with secondary suppression) and counts rounded to 5, whole calendar years only, and a waiting-time median
 * or 90th percentile only from a group large enough (domain/insight/journeys-disclosure.ts).
 */
import { z } from 'zod';
import { VIEWERS } from '../../access/policy.js';
import { routesView, type RoutesView } from '../../app/insight.js';
import { sankeyOption, type SankeyChartNode } from '../../charts/echarts.js';
import { PRODUCT_CATEGORIES, REFERRERS } from '../../domain/codes/index.js';
import type { FlowRow, ReEntryRate } from '../../domain/insight/journeys.js';
import {
  percentileMinimum,
  publishedWaiting,
  routesPeriodRefusal,
  type PublishedWaiting,
} from '../../domain/insight/journeys-disclosure.js';
import { at } from '../../domain/indexing.js';
import { formatMonthNl } from '../../domain/month.js';
import { MIN_CLIENTS, roundCount, suppressTable, type ShownCell, type TableCell } from '../../domain/suppression.js';
import type { Viewer } from '../core.js';
import { EMPTY_STATE, chart, count, int, page, pct, pendingPage } from '../layout.js';
import { getPage } from '../route.js';
import { html, type SafeHtml } from '../html.js';
import type { WebContext } from '../server.js';
import type { WebData } from '../data.js';
import { blankable, filterMonth, filterYear } from '../filters.js';

export const routesQuery = z.object({
  year: blankable(filterYear),
  from: blankable(filterMonth),
  to: blankable(filterMonth),
});

const cat = (c: string) => `${c} ${PRODUCT_CATEGORIES[c] ?? ''}`.trim();
const ref = (r: string) => REFERRERS[r] ?? (r === 'onbekend' ? 'Onbekend' : r);
const endLabel = (e: string) => (e === 'lopend' ? 'Lopend' : 'Afgesloten');

interface Stage {
  level: number;
  key: string;
  label: string;
}
const stage = {
  referrer: (r: string): Stage => ({ level: 0, key: r, label: ref(r) }),
  first: (c: string): Stage => ({ level: 1, key: c, label: cat(c) }),
  next: (c: string): Stage => ({ level: 2, key: c, label: `daarna ${cat(c)}` }),
  end: (e: string): Stage => ({ level: 3, key: e, label: endLabel(e) }),
};
const id = (s: Stage) => `${s.level}:${s.key}`;

/** The transitions of the flows as three tables (referrer → first, first → next or end, next → end). */
function transitions(flows: readonly FlowRow[]): { from: Stage; to: Stage; clients: number }[][] {
  type Table = Map<string, { from: Stage; to: Stage; clients: number }>;
  const table = (): Table => new Map();
  const tables: [Table, Table, Table] = [table(), table(), table()];
  const add = (t: 0 | 1 | 2, from: Stage, to: Stage, n: number) => {
    const k = `${id(from)}>${id(to)}`;
    const cur = tables[t].get(k);
    if (cur) cur.clients += n;
    else tables[t].set(k, { from, to, clients: n });
  };
  for (const f of flows) {
    add(0, stage.referrer(f.referrer), stage.first(f.firstCategory), f.clients);
    if (f.nextCategory) {
      add(1, stage.first(f.firstCategory), stage.next(f.nextCategory), f.clients);
      add(2, stage.next(f.nextCategory), stage.end(f.end), f.clients);
    } else add(1, stage.first(f.firstCategory), stage.end(f.end), f.clients);
  }
  return tables.map((m) => [...m.values()]);
}

/**
 * One transition table protected for councils. Besides its rows and columns, the table's grand total is
 * published too (every table adds up to the new clients on the card, or to those with a next step, which
 * follows from the first two tables), so a table never holds exactly one hidden cell: then its smallest
 * visible cell is hidden as well, and the line rules run again.
 */
function protectTransitions(cells: readonly TableCell[]): ShownCell[] {
  let input = [...cells];
  for (;;) {
    const out = suppressTable(input).cells;
    const hidden = out.filter((c) => c.suppressed).length;
    const open = out.flatMap((c, i) => (c.suppressed ? [] : [i]));
    if (hidden !== 1 || !open.length)
      return out.map((c, i) => (c.suppressed ? c : { ...c, clients: roundCount(at(cells, i).clients) }));
    open.sort((a, b) => at(cells, a).clients - at(cells, b).clients || a - b);
    input = input.map((c, i) => (i === open[0] ? { ...c, clients: 0 } : c));
  }
}

/**
 * The Sankey for a viewer: exact for analysts; for councils every transition table is disclosure-controlled
 * (cells under 10 clients suppressed, secondary suppression so no row or column total gives one away,
 * counts rounded to 5) and only the cells that may be shown are drawn.
 */
export function sankeyFor(
  v: Viewer,
  r: RoutesView,
): { nodes: SankeyChartNode[]; links: { source: string; target: string; value: number }[]; hidden: number } {
  const nodes = new Map<string, SankeyChartNode>();
  const links: { source: string; target: string; value: number }[] = [];
  let hidden = 0;
  for (const table of transitions(r.flows)) {
    const cells: TableCell[] = table.map((t) => ({
      row: id(t.from),
      col: id(t.to),
      clients: t.clients,
      amountCents: 0,
    }));
    const shown = v.suppress
      ? protectTransitions(cells)
      : cells.map((c) => ({ ...c, suppressed: null as null | string }));
    table.forEach((t, i) => {
      const c = at<(typeof shown)[number]>(shown, i); // one shown cell per transition
      if (c.suppressed || typeof c.clients !== 'number' || c.clients <= 0) {
        hidden++;
        return;
      }
      nodes.set(id(t.from), { id: id(t.from), label: t.from.label });
      nodes.set(id(t.to), { id: id(t.to), label: t.to.label });
      links.push({ source: id(t.from), target: id(t.to), value: c.clients });
    });
  }
  const ordered = [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
  return { nodes: ordered, links: links.sort((a, b) => b.value - a.value), hidden };
}

/**
 * The re-entry rate as published. Exact for analysts. For councils it is a derived figure of two counts
 * (returned, not returned), so it is computed from their rounded values only and hidden when either is
 * under 10 clients: the exact rate beside a rounded count of exits would give the exact count back.
 */
export function publishedRate(
  v: Pick<Viewer, 'suppress'>,
  x: ReEntryRate | null,
): { observable: number; rate: number } | null {
  if (!x || !x.observable || x.rate === null) return null;
  if (!v.suppress) return { observable: x.observable, rate: x.rate };
  const stayed = x.observable - x.reEntries;
  if (x.reEntries < MIN_CLIENTS || stayed < MIN_CLIENTS) return null;
  const back = roundCount(x.reEntries);
  return { observable: x.observable, rate: back / (back + roundCount(stayed)) };
}

/** The mean waiting time as published: whole days for councils, so mean × count gives no exact count back. */
export function publishedMeanDays(v: Pick<Viewer, 'suppress'>, meanDays: number | null): string {
  if (meanDays === null) return '—';
  return (v.suppress ? Math.round(meanDays) : meanDays).toLocaleString('nl-NL');
}

const days = (n: number) => `${int(n)} ${n === 1 ? 'dag' : 'dagen'}`;

/**
 * The waiting-time card's value and line, from the published waiting times (domain/insight/journeys-disclosure.ts):
 * the median where it may be shown, else the mean; a percentile a council may not see is left out and said so.
 */
function waitingCard(v: Pick<Viewer, 'suppress'>, w: PublishedWaiting): SafeHtml {
  const mean = w.meanDays === null ? null : html`gemiddeld ${publishedMeanDays(v, w.meanDays)} dagen`;
  const n = html`(${int(w.allocations)} toewijzingen na een aanvraag)`;
  if (w.medianDays !== null)
    return html`<div class="v">${days(w.medianDays)}</div><div class="s">mediaan${mean ? html`; ${mean}` : ''}${w.p90Days !== null ? html`, 90% binnen ${days(w.p90Days)}` : ''} ${n}${w.p90Days === null ? html`; 90%-grens pas vanaf ${percentileMinimum(0.9)} toewijzingen` : ''}</div>`;
  return html`<div class="v">${w.meanDays === null ? '—' : `${publishedMeanDays(v, w.meanDays)} dagen`}</div><div class="s">gemiddelde van ${int(w.allocations)} toewijzingen na een aanvraag; mediaan en 90%-grens pas vanaf ${percentileMinimum(0.5)} en ${percentileMinimum(0.9)} toewijzingen</div>`;
}

const PATIENCE_MS = 800;

/** The routes of a municipality's new clients in a period, cached per data version (null: not ready within `waitMs`). */
export function routesFor(
  data: WebData,
  code: string,
  from: string,
  to: string,
  waitMs = Infinity,
): Promise<RoutesView | null> {
  const key = `routes:${code}:${from}:${to}`;
  const run = () => routesView(data.warehouse, { municipality: code, from, to });
  return Number.isFinite(waitMs) ? data.cachedWithin(key, run, waitMs) : data.cached(key, run);
}

/** After an import, in the background: every municipality's routes for the current year (the page's default). */
export async function warmRoutes(data: WebData): Promise<void> {
  const year = await data.currentYear();
  for (const m of await data.warehouse.municipalities()) await routesFor(data, m.code, `${year}-01`, `${year}-12`);
}

export function registerRoutes({ app, data }: WebContext): void {
  const notFound = (code: string) => `Gemeente ${code} bestaat niet of heeft geen gegevens.`;

  getPage(
    app,
    '/gemeente/:code/routes',
    {
      rule: { roles: VIEWERS, municipalityScoped: true },
      municipality: true,
      unknownMunicipality: notFound,
      query: routesQuery.refine((x) => !(x.from && x.to && x.from > x.to)),
      invalid: 'Ongeldige keuze: jaar (bijv. 2025) of maanden van/tot als JJJJ-MM.',
    },
    async ({ req, reply, v, q, muni }) => {
      const code = muni.code;
      const crumbs = [
        { href: '/', label: 'Overzicht' },
        { href: `/gemeente/${code}`, label: muni.name },
        { label: 'Cliëntroutes' },
      ];
      const st = await data.status();
      if (!st.declarationLines)
        return page(v.user, `${muni.name} — cliëntroutes`, html`<h1>${muni.name} — cliëntroutes</h1>${EMPTY_STATE}`, {
          crumbs,
        });
      const year = q.year ?? (await data.currentYear());
      const from = q.from ?? `${year}-01`;
      const to = q.to ?? `${year}-12`;
      const refusal = routesPeriodRefusal(v.suppress, from, to);
      if (refusal !== null)
        throw Object.assign(
          new Error(`Voor deze rol niet beschikbaar: ${refusal} (kleine aantallen zijn niet te beschermen).`),
          { statusCode: 400 },
        );
      const r = await routesFor(data, code, from, to, PATIENCE_MS);
      if (!r)
        return pendingPage(
          v.user,
          `${muni.name} — cliëntroutes`,
          'De routes van nieuwe cliënten worden berekend uit alle berichten; de pagina ververst vanzelf.',
        );
      const period =
        from.slice(0, 4) === to.slice(0, 4) && from.endsWith('-01') && to.endsWith('-12')
          ? from.slice(0, 4)
          : `${formatMonthNl(from)} – ${formatMonthNl(to)}`;
      const sk = sankeyFor(v, r);
      const w = publishedWaiting(v.suppress, r.waiting);
      const rate = (x: RoutesView['reEntry']['period']) => publishedRate(v, x);
      const prev = rate(r.reEntry.previous);
      const cur = rate(r.reEntry.period);
      const cards = html`<div class="cards">
<div class="card"><div class="k">Nieuwe cliënten ${period}</div><div class="v">${count(v, r.firstClients)}</div><div class="s">eerste zorg bij ${muni.name} in deze periode</div></div>
<div class="card"><div class="k">Van aanvraag tot start zorg</div>${w ? waitingCard(v, w) : html`<div class="v">—</div><div class="s">te weinig aanvragen (JW315) in deze periode</div>`}</div>
<div class="card"><div class="k">Terugkeer binnen 12 maanden</div><div class="v">${prev ? pct(prev.rate) : '—'}</div><div class="s">${prev ? html`van ${count(v, prev.observable)} cliënten die de zorg verlieten in ${formatMonthNl(r.reEntry.previousFrom)} – ${formatMonthNl(r.reEntry.previousTo)}` : 'nog niet te meten (te weinig uitstroom of nog geen 12 maanden later)'}</div></div></div>`;
      const detail = v.suppress
        ? ''
        : html`<table><caption>Routes van nieuwe cliënten ${period}</caption><thead><tr><th scope="col">Verwijzer</th><th scope="col">Eerste zorg</th><th scope="col">Daarna</th><th scope="col">Nu</th><th scope="col" class="n">Cliënten</th></tr></thead><tbody>${[
            ...r.flows,
          ]
            .sort((a, b) => b.clients - a.clients)
            .slice(0, 40)
            .map(
              (f) =>
                html`<tr><td>${ref(f.referrer)}</td><td>${cat(f.firstCategory)}</td><td>${f.nextCategory ? cat(f.nextCategory) : '—'}</td><td>${endLabel(f.end)}</td><td class="n">${int(f.clients)}</td></tr>`,
            )}</tbody></table>`;
      const body = html`<h1>${muni.name} — cliëntroutes ${period}</h1>
<form class="filters" method="get" action="/gemeente/${code}/routes"><label>Jaar<input name="year" value="${year}" size="5"></label>${v.suppress ? '' : html`<label>of van maand<input name="from" value="${q.from ?? ''}" size="8" placeholder="JJJJ-MM"></label><label>tot en met<input name="to" value="${q.to ?? ''}" size="8" placeholder="JJJJ-MM"></label>`}<button type="submit">Toon</button></form>
${cards}
${sk.links.length ? chart(sankeyOption(sk.nodes, sk.links), 1000, Math.max(320, 22 * sk.nodes.length), `Routes van nieuwe cliënten ${period}: verwijzer → eerste productcategorie → volgende categorie → lopend of afgesloten (aantal cliënten)`) : r.firstClients ? html`<p class="empty">De stromen zijn te klein om te tonen (minder dan ${MIN_CLIENTS} cliënten).</p>` : html`<p class="empty">Geen nieuwe cliënten in deze periode.</p>`}
${v.suppress && sk.hidden ? html`<p class="note">Stromen van minder dan ${MIN_CLIENTS} cliënten (en stromen waaruit die af te leiden zijn) zijn niet getoond; aantallen zijn afgerond op 5.</p>` : ''}
${detail}
${cur && r.reEntry.period ? html`<p class="note">Uitstroom in ${period}: ${count(v, r.reEntry.period.exits)} cliënten, van wie ${count(v, cur.observable)} al 12 maanden te volgen; ${pct(cur.rate)} kwam terug.</p>` : ''}
<p class="note"><strong>Definities.</strong> Een episode is een toewijzing (JW301) van ingangsdatum tot einddatum of stopbericht (JW307); zonder toewijzingen (CSV) tellen de declaraties per aanbieder en categorie. Nieuwe cliënt: de eerste episode bij deze gemeente begint in de periode. Verwijzer: van de aanvraag (JW315) bij de eerste toewijzing; zonder aanvraag de gemeente zelf. Aanvraag tot start: van de datum van het JW315-bericht tot de eerste start (JW305) of anders de ingangsdatum van de toewijzing. Uitstroom: einde van zorg zonder andere zorg binnen 31 dagen; terugkeer: nieuwe zorg binnen 12 maanden daarna.</p>`;
      return page(v.user, `${muni.name} — cliëntroutes`, body, { crumbs });
    },
  );
}
