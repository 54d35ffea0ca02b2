/**
 * Scenario (`/scenario`): the "jeugdhulp naar de voorkant" calculator. Move a share of individual care (a product
 * category and/or product) to general local provisions at a cost ratio (and a provider discount); the net effect
 * per year and per municipality on the warehouse's costs of a base year, plus a calculator for one amount and
 * the figures from the council documents (seed 001 and seed 004), computed with the same function.
 */
import { at } from '../../domain/indexing.js';
import { HIDDEN_CELL } from '../../domain/disclosure.js';
import { z } from 'zod';
import { VIEWERS } from '../../access/policy.js';
import { defaultScenarioYear } from '../../domain/steering/scenario.js';
import { voorkantScenario, type VoorkantBasis } from '../../app/scenario.js';
import { PRODUCT_CATEGORIES, isKnownCategory } from '../../domain/codes/index.js';
import { formatEuro, type Cents } from '../../domain/money.js';
import {
  voorkantEffect,
  type ScenarioYear,
  type VoorkantEffect,
  type VoorkantParams,
} from '../../domain/steering/scenario.js';
import { scoped } from '../core.js';
import { getPage } from '../route.js';
import { addNav, euro, page, reqPath } from '../layout.js';
import { html, joinHtml, type SafeHtml } from '../html.js';
import type { WebContext } from '../server.js';
import { FORM_STYLE, blankToUndefined, fail, parseEurosNl } from './steering-common.js';
import { filterYear } from '../filters.js';

const percent = (max: number) =>
  z
    .preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^\d{1,3}([.,]\d{1,4})?$/)
        .optional(),
    )
    .transform((s, ctx) => {
      if (s === undefined) return undefined;
      const x = Number(s.replace(',', '.'));
      if (x > max) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `ten hoogste ${max}%` });
        return z.NEVER;
      }
      return x / 100;
    });

const query = z.object({
  amount: z.preprocess(blankToUndefined, z.string().max(40).optional()),
  share: percent(100),
  ratio: percent(500),
  discount: percent(99),
  category: z.preprocess(blankToUndefined, z.string().refine(isKnownCategory, 'onbekende productcategorie').optional()),
  product: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[0-9A-Za-z]{1,5}$/, 'productcode van ten hoogste 5 tekens')
      .optional(),
  ),
  year: filterYear.optional(),
  ramp: z.preprocess(blankToUndefined, z.string().max(200).optional()),
});

/** `2026:10,2027:20,2028:30` (percentages) → years with their share. */
export function parseRampPercent(text: string): ScenarioYear[] | null {
  const out: ScenarioYear[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\d{4})\s*:\s*(\d{1,3}(?:[.,]\d+)?)\s*%?$/.exec(part);
    if (!m) return null;
    const year = Number(at(m, 1));
    const share = Number(at(m, 2).replace(',', '.')) / 100;
    if (share > 1 || out.some((y) => y.year === year)) return null;
    out.push({ year, share });
  }
  return out.length ? out : null;
}

const nlPct = (x: number) => `${(x * 100).toLocaleString('nl-NL', { maximumFractionDigits: 2 })}%`;
/** Exact amounts (the seed figures are whole euros; cents shown only when there are any). */
const money = (c: Cents) => (c % 100 === 0 ? euro(c) : formatEuro(c));

/** The examples from the council documents, with the parameters that reproduce them. */
export const SEED_EXAMPLES: {
  label: string;
  source: string;
  baseCents: Cents;
  params: VoorkantParams;
  says: string;
}[] = [
  {
    label: 'Begeleiding, per 5 kinderen per maand',
    source: 'Raadsinformatiebrief Alblasserdam, Jeugdhulp naar de voorkant (2020), bijlage',
    baseCents: 27_000_00,
    params: { share: 0.5, ratio: 1, discount: 0.1 },
    says: 'van € 27.000 naar € 13.500 in de zorgmarkt; SJT levert met 10% korting',
  },
  {
    label: 'Opvoedhulp, per 5 kinderen per maand',
    source: 'Raadsinformatiebrief Alblasserdam, Jeugdhulp naar de voorkant (2020), bijlage',
    baseCents: 14_000_00,
    params: { share: 0.5, ratio: 1, discount: 0.1 },
    says: 'van € 14.000 naar € 7.000',
  },
  {
    label: 'Begeleiding, CJG-businesscase',
    source: 'Rekenkamer-rapport 2021, preventie in het jeugdbeleid Alblasserdam',
    baseCents: 218_000_00,
    params: { share: 1, ratio: 0.9 },
    says: '€ 218.000; preventie kost 90%: netto besparing € 21.800 per jaar',
  },
  {
    label: 'Opvoedhulp, CJG-businesscase',
    source: 'Rekenkamer-rapport 2021, preventie in het jeugdbeleid Alblasserdam',
    baseCents: 92_400_00,
    params: { share: 1, ratio: 0.9 },
    says: '€ 92.400; preventie kost 90%: "ongeveer 10.000 euro"',
  },
];

function effectCells(e: VoorkantEffect): SafeHtml {
  return html`<td class="n">${money(e.baseCents)}</td><td class="n">${money(e.movedCents)}</td><td class="n">${money(e.remainingCents)}</td><td class="n">${money(e.frontCostCents)}</td><td class="n"><strong class="${e.netSavingCents >= 0 ? 'under' : 'over'}">${money(e.netSavingCents)}</strong></td>`;
}
const EFFECT_HEAD = html`<th scope="col" class="n">Kosten nu</th><th scope="col" class="n">Naar de voorkant</th><th scope="col" class="n">Blijft in de zorgmarkt</th><th scope="col" class="n">Kosten voorkant</th><th scope="col" class="n">Netto besparing</th>`;

export function registerScenario({ app, deps, data }: WebContext): void {
  const w = deps.warehouse;
  addNav({ href: '/scenario', label: 'Scenario', roles: VIEWERS });

  getPage(
    app,
    '/scenario',
    {
      rule: { roles: VIEWERS },
      query,
      invalid: (error) =>
        `Ongeldige invoer: ${error.issues.map((i) => `${String(i.path[0])}${i.message && i.message !== 'Invalid' ? ` (${i.message})` : ''}`).join(', ')}. Percentages als 50 of 12,5; productcategorie als 45.`,
    },
    async ({ req, reply, v, q }) => {
      const params: Required<VoorkantParams> = {
        share: q.share ?? 0.5,
        ratio: q.ratio ?? 1,
        discount: q.discount ?? 0.1,
      };
      const amountText = q.amount ?? '27.000';
      let amountCents: Cents;
      try {
        amountCents = parseEurosNl(amountText, 'bedrag');
        if (amountCents < 0) throw new RangeError('negative');
      } catch {
        return fail(
          reply,
          v,
          400,
          `Ongeldig bedrag: "${amountText}" is geen positief bedrag in euro's (bijv. 27.000).`,
        );
      }
      const ramp = q.ramp ? parseRampPercent(q.ramp) : undefined;
      if (ramp === null)
        return fail(
          reply,
          v,
          400,
          `Ongeldig ingroeipad "${q.ramp}": geef JAAR:PERCENTAGE, bijv. 2026:10,2027:20,2028:30.`,
        );
      const category = q.category ?? (q.product ? undefined : '45');
      const product = q.product?.toUpperCase();
      const one = voorkantEffect(amountCents, params);

      const st = await data.status();
      const baseYear = q.year ?? defaultScenarioYear(st.lastMonth) ?? new Date().getFullYear() - 1;
      // Aggregate roles: the cost basis is a protected cell (municipality × category, or a product within a
      // municipality's category); a municipality whose cell is hidden is left out of the scenario (and the total).
      let hiddenMunis: string[] = [];
      let basis: VoorkantBasis | undefined;
      if (v.suppress) {
        const allMunis = (await w.municipalities()).filter((m) => !v.scope || v.scope.includes(m.code));
        const py = await data.protectedYear(baseYear);
        const cat = category ?? product?.slice(0, 2) ?? '';
        const cells = await Promise.all(
          allMunis.map(async (m) => {
            if (product)
              return (
                (await data.protectedProducts(baseYear, m.code, cat)).get(product) ??
                (py.cross('category').cell(m.code, cat).hidden
                  ? HIDDEN_CELL
                  : { clients: 0, amountCents: 0, hidden: null })
              );
            return py.cross('category').cols.includes(cat)
              ? py.cross('category').cell(m.code, cat)
              : { clients: 0, amountCents: 0, hidden: null };
          }),
        );
        hiddenMunis = allMunis.filter((_, i) => at(cells, i).hidden !== null).map((m) => m.name);
        basis = {
          municipalities: allMunis.filter((m) => !hiddenMunis.includes(m.name)),
          costs: allMunis.flatMap((m, i) => {
            const amountCents = at(cells, i).amountCents;
            return amountCents === null ? [] : [{ municipality: m.code, amountCents }];
          }),
        };
      }
      const report = await voorkantScenario(
        w,
        { baseYear, category, product, params, ramp, municipalities: scoped(v) },
        basis,
      );
      const what = [
        category ? `categorie ${category} ${PRODUCT_CATEGORIES[category] ?? ''}`.trim() : null,
        product ? `product ${product}` : null,
      ]
        .filter(Boolean)
        .join(', ');
      const regionLabel = v.scope ? 'Totaal' : hiddenMunis.length ? 'Totaal van de getoonde gemeenten' : 'Regio';
      const hiddenNote = hiddenMunis.length
        ? html`<p class="note">Niet getoond (te weinig cliënten in de kostenbasis): ${hiddenMunis.join(', ')}.</p>`
        : '';
      const yearTables = joinHtml(
        report.perYear.map(
          (
            y,
          ) => html`<table><caption>${y.year}: ${nlPct(y.share)} van ${what} naar de voorkant (kostenbasis ${baseYear})</caption><thead><tr><th scope="col">Gemeente</th>${EFFECT_HEAD}</tr></thead>
<tbody>${report.perMunicipality
            .filter((m) => m.year === y.year)
            .map(
              (m) => html`<tr><th scope="row">${m.name}</th>${effectCells(m)}</tr>`,
            )}</tbody><tfoot><tr><th scope="row">${regionLabel}</th>${effectCells(y)}</tr></tfoot></table>`,
        ),
        '',
      );
      const multi =
        report.perYear.length > 1
          ? html`<p>Totaal ${at(report.perYear, 0).year}–${at(report.perYear, report.perYear.length - 1).year}: netto besparing <strong>${money(report.total.netSavingCents)}</strong>.</p>`
          : '';
      const pctInput = (name: string, label: string, value: number) =>
        html`<label>${label}<input name="${name}" inputmode="decimal" size="6" value="${(value * 100).toLocaleString('nl-NL', { maximumFractionDigits: 4 })}"></label>`;
      const catOpt = (k: string, label: string) =>
        html`<option value="${k}"${k === (q.category ?? (q.product ? '' : '45')) ? ' selected' : ''}>${label}</option>`;
      const form = html`<form class="filters" method="get" action="/scenario" aria-label="Scenario">
${pctInput('share', 'Aandeel naar de voorkant (%)', params.share)}${pctInput('ratio', 'Kosten voorkant per euro zorg (%)', params.ratio)}${pctInput('discount', 'Korting aanbieder voorkant (%)', params.discount)}
<label>Bedrag voor het rekenvoorbeeld (€)<input name="amount" value="${amountText}" inputmode="decimal" size="10"></label>
<label>Productcategorie<select name="category">${catOpt('', '(geen: kies een product)')}${Object.entries(PRODUCT_CATEGORIES).map(([k, l]) => catOpt(k, `${k} ${l}`))}</select></label>
<label>Productcode<input name="product" value="${product ?? ''}" size="6" placeholder="45A48"></label>
<label>Kostenbasis (jaar)<input name="year" type="number" min="2000" max="2100" value="${baseYear}"></label>
<label>Ingroeipad (jaar:%)<input name="ramp" value="${q.ramp ?? ''}" size="22" placeholder="2026:10,2027:20,2028:30"></label>
<button type="submit">Bereken</button></form>`;
      const examples = html`<table><caption>Uit de stukken — met dezelfde rekenregel</caption><thead><tr><th scope="col">Voorbeeld</th><th scope="col">Aannames</th>${EFFECT_HEAD}<th scope="col">In de stukken</th></tr></thead>
<tbody>${SEED_EXAMPLES.map((x) => {
        const e = voorkantEffect(x.baseCents, x.params);
        return html`<tr><th scope="row">${x.label}<br><span class="note">${x.source}</span></th><td class="note">${nlPct(x.params.share)} naar de voorkant, kosten ${nlPct(x.params.ratio)}${x.params.discount ? html`, korting ${nlPct(x.params.discount)}` : ''}</td>${effectCells(e)}<td class="note">${x.says}</td></tr>`;
      })}</tbody></table>`;
      return page(
        v.user,
        'Scenario voorkant',
        html`${FORM_STYLE}<h1>Jeugdhulp naar de voorkant</h1>
<p class="note">Verplaats een deel van de individuele jeugdhulp naar algemene voorzieningen (de voorkant). Verplaatst = kosten × aandeel; kosten voorkant = verplaatst × kostenverhouding × (1 − korting); netto besparing = verplaatst − kosten voorkant.</p>
${form}
<h2>Rekenvoorbeeld</h2>
<table><caption>${money(amountCents)} met ${nlPct(params.share)} naar de voorkant, kosten ${nlPct(params.ratio)}${params.discount ? html`, korting ${nlPct(params.discount)}` : ''}</caption><thead><tr>${EFFECT_HEAD}</tr></thead><tbody><tr>${effectCells(one)}</tr></tbody></table>
<h2>Per gemeente en per jaar — ${what}</h2>${st.declarationLines ? html`${yearTables}${hiddenNote}${multi}<p class="note">Kostenbasis: netto gedeclareerde kosten naar productiemaand in ${baseYear}${baseYear === defaultScenarioYear(st.lastMonth) ? ' (het laatste volledige jaar)' : ''}; elk jaar van het ingroeipad gaat uit van die kosten.</p>` : html`<p class="empty">Nog geen declaraties; importeer ze met <code>grip import</code>.</p>`}
${examples}`,
        { path: reqPath(req), crumbs: [{ href: '/', label: 'Overzicht' }, { label: 'Scenario' }] },
      );
    },
  );
}
