/**
 * Datakwaliteit (`/datakwaliteit`): the checks across messages — double registrations, over-indication,
 * allocations never used, declarations without allocation, care after a stop message, credits without a
 * debit, tariffs that differ from the contracted tariff list — with counts, amounts at stake, the providers
 * involved and the largest examples by source file and line. Each example links to the declaration lines (lineage page, client level and audited) for details.
 * The page itself shows no client pseudonyms: analysts of a municipality see it without stating a purpose.
 */
import { z } from 'zod';
import { ANALYSTS } from '../../access/policy.js';
import { cbsMunicipality } from '../../domain/codes/index.js';
import {
  CHECK_NOTES_NL,
  CHECK_TITLES,
  summariseDataQuality,
  type DataQualityCheck,
  type DataQualityExample,
  type DataQualityReport,
} from '../../domain/insight/quality.js';
import { formatDateNl } from '../../domain/month.js';
import { scoped } from '../core.js';
import { EMPTY_STATE, addNav, euro, int, page, pendingPage, providersHtml, qs, reqPath } from '../layout.js';
import { getPage } from '../route.js';
import { html, joinHtml } from '../html.js';
import type { WebData } from '../data.js';
import type { WebContext } from '../server.js';
import { blankable, filterMonth } from '../filters.js';

export const qualityQuery = z.object({
  municipality: blankable(
    z
      .string()
      .regex(/^(GM)?\d{4}$/, 'gemeentecode van 4 cijfers')
      .transform((s) => s.replace(/^GM/, '')),
  ),
  from: blankable(filterMonth),
  to: blankable(filterMonth),
  examples: blankable(z.coerce.number().int().min(1).max(100)),
});

const EXPLAIN: Record<DataQualityCheck['id'], string> = {
  double:
    'Dezelfde cliënt, hetzelfde product en dezelfde periode meer dan eens gedeclareerd (ook door verschillende aanbieders of in verschillende declaraties) en niet gecrediteerd. Op het spel: wat dubbel betaald zou worden.',
  overIndication:
    'Toegewezen omvang (of budget) tot nu toe ver boven wat is gedeclareerd: minder dan de helft geleverd. Op het spel: de niet geleverde eenheden tegen de gemiddelde prijs.',
  unusedAllocation: 'Toewijzingen van aanbieders die wel declareren, waarop nooit is gedeclareerd.',
  noAllocation:
    'Declaratieregels met een toewijzingsnummer dat in geen toewijzing (JW301) van deze gemeente en aanbieder voorkomt.',
  afterStop: 'Zorg gedeclareerd voor een periode na de stopdatum (JW307) van de toewijzing.',
  creditWithoutDebit: 'Creditregels zonder eerdere debetregel (TR323).',
  tariff:
    'Debetregels met een ander tarief dan de tarievenlijst: het contracttarief van de aanbieder (anders voor alle aanbieders) voor het product (anders de hele categorie) en de eenheid, geldig op de begindatum van de productperiode. Op het spel: wat boven het contracttarief is gedeclareerd (verschil × volume); regels onder het contracttarief tellen mee, zonder bedrag.',
};

/** The lineage page's filters for an example: municipality, month (when the period lies in one), provider, product. */
export function lineageLink(e: DataQualityExample): string | null {
  if (!/^\d{4}$/.test(e.municipality)) return null;
  const m = /^(\d{4}-\d{2})-\d{2} … (\d{4}-\d{2})-\d{2}$/.exec(e.period ?? '');
  const month = m && m[1] === m[2] ? m[1] : undefined;
  const provider = /^\d{8}$/.test(e.provider) ? e.provider : undefined;
  const product = e.product && /^[0-9A-Z]{5}$/.test(e.product) ? e.product : undefined;
  if (!month && !provider && !product) return null;
  return `/gemeente/${e.municipality}/regels${qs({ month, provider, product })}`;
}

/** ISO dates inside a text (periods, details) as dd-mm-jjjj. */
export const nlDates = (text: string): string => text.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$3-$2-$1');

/** How long a page waits for a computation before it shows that it is being computed. */
const PATIENCE_MS = 800;

/**
 * The data-quality checks for a selection, cached per data version (and per state of the tariff list, which
 * changes without an import). With `waitMs`: null when not ready by then (the checks go on in the background).
 */
export async function qualityFor(
  data: WebData,
  q: { municipalities?: string[]; from?: string; to?: string; examples: number },
  waitMs = Infinity,
): Promise<DataQualityReport | null> {
  const tariffs = await data.warehouse.tariffs();
  const tariffStamp = `${tariffs.length}:${tariffs.reduce((m, t) => (t.enteredAt > m ? t.enteredAt : m), '')}`;
  const key = `quality:${q.municipalities?.join(',') ?? '*'}:${q.from ?? ''}:${q.to ?? ''}:${q.examples}:${tariffStamp}`;
  const run = () => data.warehouse.dataQuality(q);
  return Number.isFinite(waitMs) ? data.cachedWithin(key, run, waitMs) : data.cached(key, run);
}

/**
 * After an import, in the background: the page's default views — the whole region, then each municipality
 * on its own (what a gemeente user sees) — one after the other, so the first visitor finds them ready.
 */
export async function warmQuality(data: WebData): Promise<void> {
  await qualityFor(data, { examples: 10 });
  for (const m of await data.warehouse.municipalities())
    await qualityFor(data, { municipalities: [m.code], examples: 10 });
}

export function registerQuality({ app, data }: WebContext): void {
  addNav({ href: '/datakwaliteit', label: 'Datakwaliteit', roles: ANALYSTS });

  getPage(
    app,
    '/datakwaliteit',
    {
      rule: { roles: ANALYSTS, municipalityScoped: true },
      query: qualityQuery.refine((x) => !(x.from && x.to && x.from > x.to)),
      invalid: 'Ongeldige keuze: gemeente (4 cijfers) en maanden als JJJJ-MM.',
    },
    async ({ req, reply, v, q }) => {
      const st = await data.status();
      if (!st.declarationLines)
        return page(v.user, 'Datakwaliteit', html`<h1>Datakwaliteit</h1>${EMPTY_STATE}`, { path: '/datakwaliteit' });
      const f = q;
      const municipalities = scoped(v, f.municipality ? [f.municipality] : undefined);
      // The tariff list changes without an import: its size and latest entry are part of the key.
      const r = await qualityFor(
        data,
        { municipalities, from: f.from, to: f.to, examples: f.examples ?? 10 },
        PATIENCE_MS,
      );
      if (!r)
        return pendingPage(
          v.user,
          'Datakwaliteit',
          `De controles over alle berichten${municipalities ? '' : ' van de hele regio'} worden berekend; dit duurt na een import even (daarna direct). De pagina ververst vanzelf.`,
          reqPath(req),
        );
      const sum = summariseDataQuality(r);
      const names = await data.providerNames();
      const munis = (await data.warehouse.municipalities()).filter((m) => !v.scope || v.scope.includes(m.code));
      const where = municipalities
        ? municipalities.map((m) => cbsMunicipality(m)?.name ?? m).join(', ')
        : 'de hele regio';
      const opt = (val: string, label: string, cur?: string) =>
        html`<option value="${val}"${(cur ?? '') === val ? ' selected' : ''}>${label}</option>`;
      const form = html`<form class="filters" method="get" action="/datakwaliteit" aria-label="Keuzes">
<label>Gemeente<select name="municipality">${v.scope && v.scope.length === 1 ? '' : opt('', v.scope ? 'Alle eigen gemeenten' : 'Hele regio', f.municipality)}${munis.map((m) => opt(m.code, m.name, f.municipality))}</select></label>
<label>Van productiemaand<input name="from" value="${f.from ?? ''}" size="8" placeholder="JJJJ-MM"></label>
<label>Tot en met<input name="to" value="${f.to ?? ''}" size="8" placeholder="JJJJ-MM"></label>
<button type="submit">Toon</button></form>`;
      const summary = html`<table><caption>Bevindingen voor ${where}</caption><thead><tr><th scope="col">Controle</th><th scope="col" class="n">Aantal</th><th scope="col" class="n">Bedrag op het spel</th><th scope="col">Wat is gecontroleerd</th></tr></thead><tbody>${r.checks.map(
        (c) =>
          html`<tr><th scope="row">${c.checked && c.count ? html`<a href="#${c.id}">${CHECK_TITLES[c.id].nl}</a>` : CHECK_TITLES[c.id].nl}</th><td class="n">${c.checked ? int(c.count) : '—'}</td><td class="n">${c.checked ? euro(c.amountCents) : '—'}</td><td>${c.checked ? EXPLAIN[c.id] : html`niet gecontroleerd: ${c.note ? (CHECK_NOTES_NL[c.note] ?? c.note) : ''}`}</td></tr>`,
      )}</tbody><tfoot><tr><td>Totaal</td><td class="n">${int(sum.issues)}</td><td class="n">${euro(sum.amountCents)}</td><td></td></tr></tfoot></table>`;
      const section = (c: DataQualityCheck) => {
        if (!c.checked || !c.count) return '';
        const examples = joinHtml(
          c.examples.map((e) => {
            const href = lineageLink(e);
            return html`<tr><td>${e.fileName}:${e.sourceLine}</td><td>${cbsMunicipality(e.municipality)?.name ?? e.municipality}</td><td>${providersHtml(e.provider, names)}</td><td>${e.allocationNumber ?? ''}</td><td>${e.product ?? ''}</td><td>${nlDates(e.period ?? '')}</td><td class="n">${euro(e.amountCents)}</td><td>${nlDates(e.detail)}${e.related.length > 1 ? html`<br><span class="note">regels: ${e.related.join(', ')}</span>` : ''}</td><td>${href ? html`<a href="${href}">regels bekijken</a>` : ''}</td></tr>`;
          }),
          '',
        );
        const providers = joinHtml(
          c.byProvider.map(
            (p) =>
              html`<tr><td>${providersHtml(p.provider, names)}</td><td class="n">${int(p.count)}</td><td class="n">${euro(p.amountCents)}</td></tr>`,
          ),
          '',
        );
        return html`<section id="${c.id}"><h2>${CHECK_TITLES[c.id].nl}: ${int(c.count)}, ${euro(c.amountCents)}</h2><p class="note">${EXPLAIN[c.id]}</p>
<div style="overflow-x:auto"><table><caption>De grootste ${int(c.examples.length)} van ${int(c.count)}, met bronbestand en regel</caption><thead><tr><th scope="col">Bestand:regel</th><th scope="col">Gemeente</th><th scope="col">Aanbieder</th><th scope="col">Toewijzing</th><th scope="col">Product</th><th scope="col">Periode</th><th scope="col" class="n">Bedrag</th><th scope="col">Toelichting</th><th scope="col">Details</th></tr></thead><tbody>${examples}</tbody></table></div>
${providers.html ? html`<table><caption>Per aanbieder (grootste bedrag eerst)</caption><thead><tr><th scope="col">Aanbieder</th><th scope="col" class="n">Aantal</th><th scope="col" class="n">Bedrag</th></tr></thead><tbody>${providers}</tbody></table>` : ''}</section>`;
      };
      return page(
        v.user,
        'Datakwaliteit',
        html`<h1>Datakwaliteit</h1>${form}
<p class="story">${sum.issues ? html`${int(sum.issues)} bevindingen voor ${where}, samen ${euro(sum.amountCents)} op het spel.` : html`Geen bevindingen voor ${where}.`}</p>
${summary}${r.checks.map(section)}
<p class="note">Toewijzingen worden gemeten tot ${r.horizon ? formatDateNl(r.horizon) : '—'}: drie maanden vóór de laatste declaratie, omdat later geleverde zorg vaak nog niet is gedeclareerd. Het tarief wordt vergeleken met de tarievenlijst (<code>grip tariffs import</code>). “Regels bekijken” opent de declaratieregels met hun bronbestand (cliëntniveau: de inzage wordt vastgelegd). Ook op de opdrachtregel: <code>grip check --json</code>.</p>`,
        { path: reqPath(req) },
      );
    },
  );
}
