/**
 * Bijzondere casussen en kostbare gezinnen (`/gemeente/0482/casussen`): the costliest families and clients
 * of one municipality (pseudonymised, client level: analysts only, a gemeente user states a purpose, every
 * view audited), the bijzondere casussen — a family with several children placed out of home, flagged
 * automatically — with their share of the cost, and the year-end forecast with and without them.
 * `/gemeente/0482/clienten/p_…` shows one client's route through the messages (JW315 → JW301 → JW305 →
 * JW323 → JW307), also audited.
 */
import { z } from 'zod';
import { ANALYSTS } from '../../access/policy.js';
import { specialCasesView } from '../../app/insight.js';
import { PRODUCT_CATEGORIES, REFERRERS, END_REASONS } from '../../domain/codes/index.js';
import { DEFAULT_SPECIAL_CASE_CHILDREN, shortKey } from '../../domain/insight/families.js';
import { JOURNEY_KIND_NL, orderJourney } from '../../domain/insight/journeys.js';
import { formatDateNl, formatMonthNl } from '../../domain/month.js';
import { auditClientView } from '../core.js';
import { EMPTY_STATE, errorPage, euro, int, page, pct, pendingPage, providerHtml, qs } from '../layout.js';
import { getPage } from '../route.js';
import { html, joinHtml } from '../html.js';
import type { WebContext } from '../server.js';
import type { WebData } from '../data.js';
import { markedCasesFor, markedCasesHtml } from './marked-cases.js';
import { blankable, filterYear } from '../filters.js';

export const casesQuery = z.object({
  year: blankable(filterYear),
  top: blankable(z.coerce.number().int().min(1).max(100)),
  min: blankable(z.coerce.number().int().min(2).max(20)),
  doel: z.string().optional(),
});

const catLabel = (c: string) => `${c} ${PRODUCT_CATEGORIES[c] ?? ''}`.trim();

const PATIENCE_MS = 800;

/** The special cases of a municipality, cached per data version (null: not ready within `waitMs`). */
export function casesFor(
  data: WebData,
  code: string,
  year: number,
  asOf: string,
  top: number,
  minChildren: number,
  waitMs = Infinity,
) {
  const key = `cases:${code}:${year}:${asOf}:${top}:${minChildren}`;
  const run = () => specialCasesView(data.warehouse, { municipality: code, year, asOf, top, minChildren });
  return Number.isFinite(waitMs) ? data.cachedWithin(key, run, waitMs) : data.cached(key, run);
}

/** After an import, in the background: every municipality's page as it opens (current year, top 10). */
export async function warmCases(data: WebData): Promise<void> {
  const [year, asOf] = [await data.currentYear(), await data.asOf()];
  for (const m of await data.warehouse.municipalities())
    await casesFor(data, m.code, year, asOf, 10, DEFAULT_SPECIAL_CASE_CHILDREN);
}

export function registerCases({ app, deps, data }: WebContext): void {
  const notFound = (code: string) => `Gemeente ${code} bestaat niet of heeft geen gegevens.`;

  getPage(
    app,
    '/gemeente/:code/casussen',
    {
      rule: { roles: ANALYSTS, municipalityScoped: true, clientLevel: true },
      municipality: true,
      unknownMunicipality: notFound,
      query: casesQuery,
      invalid: 'Ongeldige keuze: jaar (bijv. 2025), top (1–100) of minimum aantal kinderen (2–20).',
    },
    async ({ req, reply, v, q, muni }) => {
      const code = muni.code;
      const crumbs = [
        { href: '/', label: 'Overzicht' },
        { href: `/gemeente/${code}`, label: muni.name },
        { label: 'Bijzondere casussen' },
      ];
      const st = await data.status();
      if (!st.declarationLines)
        return page(
          v.user,
          `${muni.name} — bijzondere casussen`,
          html`<h1>${muni.name} — bijzondere casussen</h1>${EMPTY_STATE}`,
          { crumbs },
        );
      const year = q.year ?? (await data.currentYear());
      const asOf = await data.asOf();
      const minChildren = q.min ?? DEFAULT_SPECIAL_CASE_CHILDREN;
      const d = await casesFor(data, code, year, asOf, q.top ?? 10, minChildren, PATIENCE_MS);
      if (!d)
        return pendingPage(
          v.user,
          `${muni.name} — bijzondere casussen`,
          'De kostbaarste gezinnen en cliënten worden berekend; de pagina ververst vanzelf.',
        );
      // Every pseudonym on the page: the costliest clients and the single clients among the costliest households.
      const shown = [...d.clients.map((c) => c.client), ...d.families.filter((x) => !x.keyed).map((x) => x.family)];
      await auditClientView(
        deps,
        req,
        'view.special-cases',
        shown,
        code,
        `bijzondere casussen ${JSON.stringify({ year, minChildren, top: q.top ?? 10 })}`,
      );
      const s = d.summary;
      const keep = { doel: v.purpose ?? undefined };
      const clientHref = (client: string) => `/gemeente/${code}/clienten/${encodeURIComponent(client)}${qs(keep)}`;
      const family = (key: string, keyed: boolean) =>
        keyed
          ? html`<code title="${key}">${shortKey(key)}</code>`
          : html`<span class="note">cliënt</span> <a href="${clientHref(key)}"><code>${shortKey(key)}</code></a>`;
      const f = d.forecast;
      const period = `${formatMonthNl(d.from)} – ${formatMonthNl(d.to)}`;
      const story = s.cases.length
        ? `In ${period} ${s.cases.length === 1 ? 'is 1 bijzondere casus' : `zijn ${int(s.cases.length)} bijzondere casussen`} gevonden (gezinnen met ${minChildren} of meer kinderen uit huis geplaatst): samen ${euro(s.specialCents)}, ${pct(s.share)} van de kosten van ${muni.name}.${f ? ` Zonder ${s.cases.length === 1 ? 'deze casus' : 'deze casussen'} is de prognose voor het jaareinde ${euro(f.without.forecastCents)} in plaats van ${euro(f.with.forecastCents)} (${euro(f.effectCents)} door de bijzondere casussen).` : ''}`
        : `In ${period} is geen gezin met ${minChildren} of meer kinderen uit huis geplaatst gevonden (hoe gezinnen worden herkend: zie de toelichting onderaan).`;
      const cards = html`<div class="cards">
<div class="card"><div class="k">Kosten ${period}</div><div class="v">${euro(s.totalCents)}</div><div class="s">stand per ${formatDateNl(d.asOf)}</div></div>
<div class="card"><div class="k">Bijzondere casussen</div><div class="v">${euro(s.specialCents)}</div><div class="s">${int(s.cases.length)} ${s.cases.length === 1 ? 'gezin' : 'gezinnen'}, ${pct(s.share)} van de kosten</div></div>
<div class="card"><div class="k">Zonder bijzondere casussen</div><div class="v">${euro(s.withoutSpecialCents)}</div><div class="s">kosten in dezelfde periode</div></div>
${
  f
    ? html`<div class="card"><div class="k">Prognose jaareinde ${year}</div><div class="v">${euro(f.with.forecastCents)}</div><div class="s">80%-interval ${euro(f.with.lowCents)} – ${euro(f.with.highCents)}</div></div>
<div class="card"><div class="k">Prognose zonder bijzondere casussen</div><div class="v">${euro(f.without.forecastCents)}</div><div class="s">effect van de casussen: ${euro(f.effectCents)}</div></div>`
    : ''
}</div>`;
      const casesTable = s.cases.length
        ? html`<table><caption>Bijzondere casussen ${period}</caption><thead><tr><th scope="col">Gezin (sleutel)</th><th scope="col" class="n">Kinderen met zorg</th><th scope="col" class="n">Uit huis geplaatst</th><th scope="col" class="n">Kosten</th><th scope="col" class="n">Aandeel in de gemeente</th></tr></thead><tbody>${s.cases.map(
            (c) =>
              html`<tr><th scope="row">${family(c.family, true)}</th><td class="n">${int(c.clients)}</td><td class="n">${int(c.outOfHomeClients)}</td><td class="n">${euro(c.amountCents)}</td><td class="n">${pct(c.share)}</td></tr>`,
          )}</tbody></table>`
        : '';
      const famTable = html`<table><caption>Kostbaarste gezinnen ${period} (een cliënt zonder gezinssleutel telt als eigen huishouden)</caption><thead><tr><th scope="col" class="n">#</th><th scope="col">Gezin</th><th scope="col" class="n">Kinderen met zorg</th><th scope="col" class="n">Uit huis geplaatst</th><th scope="col" class="n">Kosten</th><th scope="col" class="n">waarvan verblijf</th><th scope="col" class="n">Aandeel</th><th scope="col">Bijzondere casus</th></tr></thead><tbody>${d.families.map(
        (x) =>
          html`<tr><td class="n">${x.rank}</td><td>${family(x.family, x.keyed)}</td><td class="n">${int(x.clients)}</td><td class="n">${int(x.outOfHomeClients)}</td><td class="n">${euro(x.amountCents)}</td><td class="n">${euro(x.outOfHomeCents)}</td><td class="n">${pct(x.share)}</td><td>${x.special ? html`<strong>ja</strong>` : ''}</td></tr>`,
      )}</tbody></table>`;
      const clientTable = html`<table><caption>Kostbaarste cliënten ${period} (pseudoniemen)</caption><thead><tr><th scope="col" class="n">#</th><th scope="col">Cliënt</th><th scope="col">Gezin</th><th scope="col">Productcategorieën</th><th scope="col" class="n">Aanbieders</th><th scope="col" class="n">Kosten</th><th scope="col" class="n">Aandeel</th></tr></thead><tbody>${d.clients.map(
        (c) =>
          html`<tr><td class="n">${c.rank}</td><td><a href="${clientHref(c.client)}"><code>${c.client}</code></a></td><td>${c.family ? html`<code title="${c.family}">${shortKey(c.family)}</code>` : ''}</td><td>${c.categories.map(catLabel).join(', ')}${c.outOfHome ? html` <strong>(uit huis)</strong>` : ''}</td><td class="n">${int(c.providers)}</td><td class="n">${euro(c.amountCents)}</td><td class="n">${pct(c.share)}</td></tr>`,
      )}</tbody></table>`;
      const form = html`<form class="filters" method="get" action="/gemeente/${code}/casussen">${v.purpose ? html`<input type="hidden" name="doel" value="${v.purpose}">` : ''}
<label>Jaar<input name="year" value="${year}" size="5"></label><label>Bijzondere casus vanaf (kinderen uit huis)<input name="min" value="${minChildren}" size="3"></label><label>Aantal in de lijsten<input name="top" value="${q.top ?? 10}" size="3"></label><button type="submit">Toon</button></form>`;
      return page(
        v.user,
        `${muni.name} — bijzondere casussen`,
        html`<h1>${muni.name} — bijzondere casussen en kostbare gezinnen ${year}</h1>
<p class="note">Gegevens op cliëntniveau, gepseudonimiseerd: het BSN staat niet in Grip. Deze inzage is vastgelegd in het auditlogboek${v.purpose ? html` met doel “${v.purpose}”` : ''}.</p>
${form}<p class="story">${story}</p>${cards}${casesTable}${markedCasesHtml(v, code, await markedCasesFor(data, code, asOf))}${famTable}${clientTable}
<p class="note"><strong>Hoe worden gezinnen herkend?</strong> Kinderen horen bij één gezin als de gegevens dat laten zien: in een toewijzing (JW301) de ouders bij de relaties van de cliënt (soort 10, ouder) — herkend aan het BSN van de ouder of aan achternaam en geboortedatum, beide alleen als versleutelde sleutel opgeslagen — of een gezinssleutel in de CSV-kolom <code>family</code>. Voogden, pleegouders en hulpverleners koppelen niets (zij kunnen bij veel kinderen horen). Een kind zonder zo'n sleutel telt als eigen huishouden. Uit huis geplaatst: kosten of een lopende toewijzing in de categorieën jeugdhulp met verblijf (43, 44; vóór 2016 35–38) in de periode. De prognose zonder bijzondere casussen is dezelfde prognose, berekend op de kosten van de gemeente min alle kosten van de kinderen in deze casussen en van de met de hand gemarkeerde casussen (in hun periode).</p>`,
        { crumbs },
      );
    },
  );

  getPage(
    app,
    '/gemeente/:code/clienten/:client',
    {
      rule: { roles: ANALYSTS, municipalityScoped: true, clientLevel: true },
      municipality: true,
      unknownMunicipality: notFound,
    },
    async ({ req, reply, v, muni }) => {
      const { code, client } = req.params as { code: string; client: string };
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(client))
        return reply.code(404).send(errorPage(v.user, 404, 'Deze cliënt is niet bekend bij deze gemeente.'));
      const [events, names] = await Promise.all([
        data.warehouse.clientJourney({ client, municipalities: [code] }).then(orderJourney),
        data.providerNames(),
      ]);
      if (!events.length)
        return reply.code(404).send(errorPage(v.user, 404, 'Deze cliënt is niet bekend bij deze gemeente.'));
      await auditClientView(deps, req, 'view.client-journey', [client], code, null);
      const detail = (e: (typeof events)[number]) => {
        if (e.kind === 'request') return e.detail ? `verwijzer: ${REFERRERS[e.detail] ?? e.detail}` : '';
        if (e.kind === 'stop') return e.detail ? `reden: ${END_REASONS[e.detail] ?? e.detail}` : '';
        if (e.kind === 'allocation') return e.detail ? `looptijd ${e.detail}` : '';
        return e.detail ?? '';
      };
      const rows = joinHtml(
        events.map(
          (e) =>
            html`<tr><td>${formatDateNl(e.date)}</td><td>${JOURNEY_KIND_NL[e.kind]}</td><td>${e.provider ? providerHtml(e.provider, names) : ''}</td><td>${e.allocationNumber ?? ''}</td><td>${e.category ? catLabel(e.category) : ''} ${e.product ?? ''}</td><td>${detail(e)}</td><td class="n">${e.amountCents === null ? '' : euro(e.amountCents)}</td><td>${e.fileName}${e.sourceLine ? html`:${e.sourceLine}` : ''}</td></tr>`,
        ),
        '',
      );
      const total = events.reduce((t, e) => t + (e.amountCents ?? 0), 0);
      return page(
        v.user,
        `${muni.name} — cliëntroute`,
        html`<h1>Route van cliënt <code>${client}</code></h1>
<p class="note">Pseudoniem; deze inzage is vastgelegd in het auditlogboek${v.purpose ? html` met doel “${v.purpose}”` : ''}. Alle berichten van deze cliënt bij ${muni.name} in de tijd: aanvraag (JW315) → toewijzing (JW301) → start zorg (JW305) → declaraties (JW323) → stop zorg (JW307).</p>
<table><caption>${int(events.length)} gebeurtenissen, samen ${euro(total)} gedeclareerd</caption><thead><tr><th scope="col">Datum</th><th scope="col">Gebeurtenis</th><th scope="col">Aanbieder</th><th scope="col">Toewijzing</th><th scope="col">Product</th><th scope="col">Toelichting</th><th scope="col" class="n">Bedrag</th><th scope="col">Bron</th></tr></thead><tbody>${rows}</tbody></table>`,
        {
          crumbs: [
            { href: '/', label: 'Overzicht' },
            { href: `/gemeente/${code}`, label: muni.name },
            {
              href: `/gemeente/${code}/casussen${qs(v.purpose ? { doel: v.purpose } : {})}`,
              label: 'Bijzondere casussen',
            },
            { label: 'Cliëntroute' },
          ],
        },
      );
    },
  );
}
