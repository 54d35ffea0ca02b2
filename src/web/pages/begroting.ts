/**
 * Begroting (`/begroting`): budget vs realisation vs year-end forecast per municipality and for the region, with
 * the expected over/underrun and its range; the history of budget versions (primitief + wijzigingen, nothing
 * overwritten); entry of an amendment and a CSV paste import (beheerder, regio); CSV export.
 */
import { z } from 'zod';
import { VIEWERS } from '../../access/policy.js';
import { isExample } from '../../domain/example.js';
import {
  BUDGET_KINDS,
  CATEGORY_GROUPS,
  budgetHistory,
  budgetVsForecast,
  importBudgetCsv,
  type BudgetVsForecastRow,
} from '../../app/budgets.js';
import { eurosNl, writeCsvNl } from '../../app/csv.js';
import { cbsMunicipality, normaliseMunicipalityCode } from '../../domain/codes/index.js';
import { formatDateNl, formatDateTimeNl, isIsoDate } from '../../domain/month.js';
import { scoped } from '../core.js';
import { HIDDEN } from '../protected.js';
import { getFile, getPage, postForm } from '../route.js';
import { addNav, euro, page, pct, qs, rangeWrap, reqPath, EXAMPLE_MARK } from '../layout.js';
import { html, joinHtml, type SafeHtml } from '../html.js';
import type { WebContext } from '../server.js';
import {
  FORM_STYLE,
  STEERING_EDITORS,
  auditChange,
  blankToUndefined,
  canEdit,
  csrfField,
  csvErrorNl,
  fail,
  formErrors,
  municipalityOptions,
  yearAndMunicipalityQuery,
  parseEurosNl,
} from './steering-common.js';

const query = yearAndMunicipalityQuery;

const amendmentForm = z.object({
  municipality: z.preprocess(
    blankToUndefined,
    z
      .string({ required_error: 'kies een gemeente' })
      .refine((c) => !!cbsMunicipality(normaliseMunicipalityCode(c) ?? ''), 'geen bekende gemeente'),
  ),
  year: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ required_error: 'vul een jaar in', invalid_type_error: 'vul een jaar in' })
      .int()
      .min(2000, 'een jaar als 2025')
      .max(2100, 'een jaar als 2025'),
  ),
  kind: z.preprocess(
    blankToUndefined,
    z
      .enum(BUDGET_KINDS, {
        required_error: 'kies primitief of wijziging',
        invalid_type_error: 'kies primitief of wijziging',
      })
      .default('wijziging'),
  ),
  date: z.preprocess(
    blankToUndefined,
    z.string({ required_error: 'vul de besluitdatum in' }).refine(isIsoDate, 'een datum als 2025-07-01'),
  ),
  amount: z.preprocess(blankToUndefined, z.string({ required_error: 'vul een bedrag in' })),
  decisionReference: z.preprocess(
    blankToUndefined,
    z.string({ required_error: 'vul het kenmerk van het besluit in' }).max(200, 'te lang (max. 200 tekens)'),
  ),
  categoryGroup: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine((g) => CATEGORY_GROUPS.includes(g), 'onbekende categoriegroep')
      .optional(),
  ),
  description: z.preprocess(blankToUndefined, z.string().max(500, 'te lang (max. 500 tekens)').optional()),
});
const LABELS: Record<string, string> = {
  reference: 'Kenmerk',
  municipality: 'Gemeente',
  year: 'Jaar',
  kind: 'Soort',
  date: 'Besluitdatum',
  amount: 'Bedrag',
  decisionReference: 'Besluit (kenmerk)',
  categoryGroup: 'Categoriegroep',
  description: 'Omschrijving',
  csv: 'CSV',
};

const reservationForm = z.object({
  municipality: amendmentForm.shape.municipality,
  year: amendmentForm.shape.year,
  date: amendmentForm.shape.date,
  amount: amendmentForm.shape.amount,
  reference: z.preprocess(blankToUndefined, z.string().max(200, 'te lang (max. 200 tekens)').optional()),
});

const importForm = z.object({
  csv: z.preprocess(
    blankToUndefined,
    z.string({ required_error: 'plak de inhoud van het CSV-bestand' }).max(2_000_000, 'te groot (max. 2 MB)'),
  ),
});

const EXPORT_HEADER_NL = [
  'Gemeentecode',
  'Gemeente',
  'Jaar',
  'Soort',
  'Besluitdatum',
  'Bedrag (€)',
  'Besluit',
  'Categoriegroep',
  'Omschrijving',
  'Ingevoerd door',
  'Ingevoerd op',
];

/** The over/underrun of a row as HTML: `+€ 12.000` in red (over), `-€ 3.000` in green (under). */
export function overrunCell(cents: number | null): SafeHtml {
  if (cents === null) return html`—`;
  const cls = cents > 0 ? 'over' : cents < 0 ? 'under' : '';
  return html`<span${cls ? html` class="${cls}"` : ''}>${cents > 0 ? '+' : ''}${euro(cents)}</span>`;
}

function bvfRow(r: BudgetVsForecastRow, label: string, link: string | null): SafeHtml {
  const name = link ? html`<a href="${link}">${label}</a>` : label;
  if (r.budgetCents === null)
    return html`<tr><th scope="row">${name}</th><td class="n note">geen begroting ingevoerd</td><td class="n">${euro(r.realisedCents)}</td><td class="n">—</td><td class="n">${euro(r.forecastCents)}</td><td class="n wrap">${rangeWrap(euro(r.lowCents), euro(r.highCents))}</td><td class="n">—</td><td class="n">—</td></tr>`;
  return html`<tr><th scope="row">${name}</th><td class="n">${euro(r.budgetCents)}</td><td class="n">${euro(r.realisedCents)}</td><td class="n">${pct(r.usedShare)}</td><td class="n">${euro(r.forecastCents)}</td><td class="n wrap">${rangeWrap(euro(r.lowCents), euro(r.highCents))}</td>
<td class="n">${overrunCell(r.overrunCents)}</td><td class="n wrap">${r.overrunLowCents === null || r.overrunHighCents === null ? '—' : rangeWrap(overrunCell(r.overrunLowCents), overrunCell(r.overrunHighCents))}</td></tr>`;
}

export function registerBegroting({ app, deps, data }: WebContext): void {
  const w = deps.warehouse;
  addNav({ href: '/begroting', label: 'Begroting', roles: VIEWERS });

  getPage(
    app,
    '/begroting',
    {
      rule: { roles: VIEWERS, municipalityScoped: true },
      query,
      invalid: 'Ongeldige filter: jaar (bijv. 2025) of gemeente (CBS-code, bijv. 0482).',
    },
    async ({ req, v, q }) => {
      const year = q.year ?? (await data.currentYear());
      const requested = q.municipality ? [normaliseMunicipalityCode(q.municipality)!] : undefined;
      const inScope = scoped(v, requested);
      const st = await data.status();
      const [munis, history] = await Promise.all([
        w.municipalities(),
        budgetHistory(w, { year, municipality: requested?.[0] }),
      ]);
      const shownHistory = history.filter((h) => !inScope || inScope.includes(h.municipality));
      const editable = canEdit(v);
      const anyExample = shownHistory.some((h) => isExample(h.decisionReference, h.description));
      const exampleNote = anyExample
        ? html`<p class="note"><span class="vb">voorbeeld</span> Deze begrotingen zijn voorbeeldbedragen (zie de omschrijving per regel), geen vastgestelde begroting.</p>`
        : '';
      let table: SafeHtml = html`${exampleNote}`;
      if (st.declarationLines) {
        // Aggregate roles: a municipality whose total is hidden in the protected table shows its budget only.
        const py = v.suppress ? await data.protectedYear(year) : null;
        const bvf = await budgetVsForecast(w, year, undefined, inScope, {
          hidden: (code) => !!py && py.municipality(code).hidden !== null,
        });
        const rows = joinHtml(
          [
            ...bvf.municipalities.map((r) => ({
              code: r.municipality,
              html: bvfRow(r, r.name, `/gemeente/${r.municipality}${qs({ year })}`),
            })),
            ...bvf.hidden.map((r) => ({
              code: r.municipality,
              html: html`<tr><th scope="row">${r.name}</th><td class="n">${r.budgetCents === null ? html`<span class="note">geen begroting ingevoerd</span>` : euro(r.budgetCents)}</td><td class="n">${HIDDEN}</td><td class="n">—</td><td class="n">${HIDDEN}</td><td class="n">—</td><td class="n">—</td><td class="n">—</td></tr>`,
            })),
          ]
            .sort((a, b) => a.code.localeCompare(b.code))
            .map((r) => r.html),
          '',
        );
        const regionLabel = inScope ? 'Totaal' : 'Regio';
        const missing = bvf.missingBudgets.length
          ? html`<p class="note">Zonder begroting voor ${year}: ${bvf.missingBudgets.map((c) => munis.find((m) => m.code === c)?.name ?? c).join(', ')}. Het verschil voor de ${regionLabel.toLowerCase()} wordt pas berekend als elke gemeente met kosten een begroting heeft.</p>`
          : '';
        table = html`${table}<div class="compact"><table><caption>Begroting, realisatie en prognose ${year} (stand per ${formatDateNl(bvf.asOf)}) <a class="dl" href="/begroting.csv${qs({ year })}">CSV (begrotingsregels)</a></caption>
<thead><tr><th scope="col">Gemeente</th><th scope="col" class="n">Begroting${anyExample ? EXAMPLE_MARK : ''}</th><th scope="col" class="n">Realisatie tot nu</th><th scope="col" class="n">Besteed</th><th scope="col" class="n">Prognose jaareinde</th><th scope="col" class="n">80%-interval</th><th scope="col" class="n">Verwachte over-/<wbr>onder&shy;schrijding</th><th scope="col" class="n">Bandbreedte</th></tr></thead>
<tbody>${rows}</tbody><tfoot>${bvfRow(bvf.region, regionLabel, null)}</tfoot></table></div>${missing}
<p class="note">Verwachte over-/onderschrijding = prognose jaareinde − begroting: positief (rood) is een verwachte overschrijding, negatief (groen) een onderschrijding. De bandbreedte volgt uit het 80%-interval van de prognose. De begroting telt de primitieve begroting en alle wijzigingen met een besluitdatum tot en met de stand.</p>`;
      } else {
        table = html`${table}<p class="empty">Nog geen declaraties: realisatie en prognose volgen na <code>grip import</code>. De begrotingsregels staan hieronder.</p>`;
      }
      const historyTable = shownHistory.length
        ? html`<div class="compact"><table><caption>Versies van de begroting ${year}: primitieve begroting en wijzigingen (niets wordt overschreven) <a class="dl" href="/begroting.csv${qs({ year })}">CSV</a></caption>
<thead><tr><th scope="col">Gemeente</th><th scope="col">Soort</th><th scope="col">Besluit&shy;datum</th><th scope="col">Besluit</th><th scope="col">Categorie&shy;groep</th><th scope="col">Omschrijving</th><th scope="col" class="n">Bedrag</th><th scope="col" class="n">Begroting daarna</th><th scope="col">Ingevoerd door</th></tr></thead>
<tbody>${shownHistory.map(
            (
              h,
            ) => html`<tr><td>${munis.find((m) => m.code === h.municipality)?.name ?? h.municipality}</td><td>${h.kind}</td><td class="nw">${formatDateNl(h.date)}</td><td>${h.decisionReference ?? ''}</td><td>${h.categoryGroup ?? 'geheel'}</td><td>${h.description ?? ''}</td>
<td class="n">${h.kind === 'wijziging' && h.amountCents > 0 ? '+' : ''}${euro(h.amountCents)}</td><td class="n">${euro(h.budgetAfterCents)}</td><td>${h.enteredBy}</td></tr>`,
          )}</tbody></table></div>`
        : html`<p class="empty">Geen begroting ingevoerd voor ${year}${requested ? ' voor deze gemeente' : ''}.${editable ? ' Voer hieronder een primitieve begroting in, of plak een CSV-bestand.' : ''}</p>`;
      const shownMunis = munis.filter((m) => !v.scope || v.scope.includes(m.code));
      const filter = html`<form class="filters" method="get" action="/begroting" aria-label="Filters"><label>Jaar<input name="year" type="number" min="2000" max="2100" value="${year}"></label>
<label>Gemeente<select name="municipality">${municipalityOptions(shownMunis, requested?.[0] ?? '', v.scope ? undefined : 'Alle gemeenten')}</select></label><button type="submit">Toon</button></form>`;
      const forms = editable
        ? html`<h2 id="wijziging">Begrotingswijziging invoeren</h2>
<form class="edit" method="post" action="/begroting/wijziging">${csrfField(v)}
<label>Gemeente<select name="municipality" required>${municipalityOptions(munis, requested?.[0] ?? '')}</select></label>
<label>Jaar<input name="year" type="number" min="2000" max="2100" value="${year}" required></label>
<label>Soort<select name="kind"><option value="wijziging" selected>wijziging</option><option value="primitief">primitieve begroting</option></select></label>
<label>Besluitdatum<input name="date" type="date" required></label>
<label>Bedrag (€, negatief voor een verlaging)<input name="amount" inputmode="decimal" placeholder="-125.000" required></label>
<label>Besluit (kenmerk)<input name="decisionReference" placeholder="2e begrotingswijziging 2025" required></label>
<label>Categoriegroep<select name="categoryGroup"><option value="">de hele begroting</option>${CATEGORY_GROUPS.map((g) => html`<option value="${g}">${g}</option>`)}</select></label>
<label class="wide">Omschrijving<input name="description" maxlength="500"></label>
<div><button type="submit">Opslaan</button></div></form>
<h2 id="reservering">Reservering invoeren</h2>
<p class="note">Wat een gemeente heeft gereserveerd voor haar aandeel in het tekort van de regio (bijv. bij haar eigen Burap). Een nieuwe reservering vervangt de vorige vanaf haar datum; de gemeentepagina en de Burap zetten haar naast het aandeel (ook: <code>grip budget import-reservations</code>, CSV of XLSX).</p>
<form class="edit" method="post" action="/begroting/reservering">${csrfField(v)}
<label>Gemeente<select name="municipality" required>${municipalityOptions(munis, requested?.[0] ?? '')}</select></label>
<label>Jaar<input name="year" type="number" min="2000" max="2100" value="${year}" required></label>
<label>Datum<input name="date" type="date" required></label>
<label>Gereserveerd (€)<input name="amount" inputmode="decimal" placeholder="600.000" required></label>
<label>Kenmerk<input name="reference" placeholder="1e Burap ${year}"></label>
<div><button type="submit">Opslaan</button></div></form>
<details class="box"><summary>Begrotingsregels importeren (CSV plakken)</summary>
<p class="note">Kolommen: <code>municipality,year,kind,date,amountEuros,decisionReference,categoryGroup,description</code> (of <code>amountCents</code>). Soort <code>primitief</code> of <code>wijziging</code>; een wijziging is een bedrag erbij of eraf. Alle regels of geen.</p>
<form class="edit" method="post" action="/begroting/import">${csrfField(v)}<label class="wide">CSV<textarea name="csv" rows="8" placeholder="municipality,year,kind,date,amountEuros,decisionReference,categoryGroup,description"></textarea></label><div><button type="submit">Importeren</button></div></form></details>`
        : '';
      return page(
        v.user,
        'Begroting',
        html`${FORM_STYLE}<h1>Begroting ${year}</h1>${filter}${table}<h2>Versies van de begroting</h2>${historyTable}${forms}`,
        { path: reqPath(req), crumbs: [{ href: '/', label: 'Overzicht' }, { label: 'Begroting' }] },
      );
    },
  );

  getFile(
    app,
    '/begroting.csv',
    { rule: { roles: VIEWERS, municipalityScoped: true }, query, invalid: 'Ongeldige filter.' },
    async ({ reply, v, q }) => {
      const requested = q.municipality ? [normaliseMunicipalityCode(q.municipality)!] : undefined;
      const entries = await w.budgetEntries({ year: q.year, municipalities: scoped(v, requested) });
      // For Dutch Excel (Dutch headers, euros with a decimal comma, `;`, a BOM); `grip budget export` writes the import format.
      const csv = writeCsvNl(
        EXPORT_HEADER_NL,
        entries.map((e) => [
          e.municipality,
          cbsMunicipality(e.municipality)?.name ?? e.municipality,
          e.year,
          e.kind,
          formatDateNl(e.date),
          eurosNl(e.amountCents),
          e.decisionReference,
          e.categoryGroup ?? 'geheel',
          e.description,
          e.enteredBy,
          formatDateTimeNl(e.enteredAt),
        ]),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="begroting${q.year ? `-${q.year}` : ''}.csv"`)
        .send(csv);
    },
  );

  postForm(
    app,
    '/begroting/wijziging',
    {
      rule: { roles: STEERING_EDITORS, municipalityScoped: true },
      body: amendmentForm,
      invalid: (e) => formErrors(e, LABELS),
    },
    async ({ req, reply, v, body: x }) => {
      let amountCents: number;
      try {
        amountCents = parseEurosNl(x.amount, 'bedrag');
      } catch {
        return fail(
          reply,
          v,
          400,
          `Het formulier is niet opgeslagen. Controleer: Bedrag: "${x.amount}" is geen bedrag in euro's (bijv. 125000, 125.000,50 of -50000).`,
        );
      }
      const municipality = normaliseMunicipalityCode(x.municipality)!;
      const stored = await w.budgetEntries({ year: x.year, municipalities: [municipality] });
      const group = x.categoryGroup ?? null;
      if (x.kind === 'primitief') {
        if (amountCents < 0)
          return fail(
            reply,
            v,
            400,
            'Het formulier is niet opgeslagen: een primitieve begroting kan niet negatief zijn.',
          );
        if (stored.some((e) => e.kind === 'primitief' && (e.categoryGroup ?? null) === group))
          return fail(
            reply,
            v,
            400,
            `Het formulier is niet opgeslagen: ${municipality} heeft al een primitieve begroting voor ${x.year}. Voer een verandering in als wijziging.`,
          );
      } else if (!stored.some((e) => e.kind === 'primitief')) {
        return fail(
          reply,
          v,
          400,
          `Het formulier is niet opgeslagen: voor een wijziging is eerst een primitieve begroting ${x.year} van ${municipality} nodig.`,
        );
      }
      if (amountCents === 0 && x.kind === 'wijziging')
        return fail(reply, v, 400, 'Het formulier is niet opgeslagen: een wijziging van € 0 verandert niets.');
      if (
        stored.some(
          (e) =>
            e.kind === x.kind &&
            e.date === x.date &&
            (e.decisionReference ?? null) === x.decisionReference &&
            e.amountCents === amountCents &&
            (e.categoryGroup ?? null) === group,
        )
      )
        return fail(
          reply,
          v,
          400,
          'Het formulier is niet opgeslagen: deze regel (zelfde soort, datum, besluit en bedrag) staat er al.',
        );
      await w.saveSteering({
        budgetEntries: [
          {
            municipality,
            year: x.year,
            categoryGroup: group,
            kind: x.kind,
            date: x.date,
            decisionReference: x.decisionReference,
            amountCents,
            description: x.description ?? null,
            enteredBy: v.user!.username,
            enteredAt: new Date().toISOString(),
          },
        ],
      });
      await auditChange(
        deps,
        req,
        'budget.entry',
        municipality,
        `${x.kind} ${x.year} ${x.date} ${amountCents} cent (${x.decisionReference})`,
      );
      return reply.redirect(`/begroting${qs({ year: x.year, municipality })}`, 303);
    },
  );

  postForm(
    app,
    '/begroting/reservering',
    {
      rule: { roles: STEERING_EDITORS, municipalityScoped: true },
      body: reservationForm,
      invalid: (e) => formErrors(e, LABELS),
    },
    async ({ req, reply, v, body }) => {
      let amountCents: number;
      try {
        amountCents = parseEurosNl(body.amount, 'bedrag');
      } catch {
        return fail(
          reply,
          v,
          400,
          `Het formulier is niet opgeslagen. Controleer: Bedrag: "${body.amount}" is geen bedrag in euro's (bijv. 600000 of 600.000,00).`,
        );
      }
      if (amountCents < 0)
        return fail(reply, v, 400, 'Het formulier is niet opgeslagen: een reservering kan niet negatief zijn.');
      const municipality = normaliseMunicipalityCode(body.municipality)!;
      await w.saveSteering({
        reservations: [
          {
            municipality,
            year: body.year,
            date: body.date,
            amountCents,
            reference: body.reference ?? null,
            description: null,
            enteredBy: v.user!.username,
            enteredAt: new Date().toISOString(),
          },
        ],
      });
      await auditChange(
        deps,
        req,
        'reservation.add',
        municipality,
        `reservering ${body.year} ${body.date}: ${amountCents} cent`,
      );
      return reply.redirect(`/begroting${qs({ year: body.year, municipality })}#reservering`, 303);
    },
  );

  postForm(
    app,
    '/begroting/import',
    { rule: { roles: STEERING_EDITORS }, body: importForm, invalid: (e) => formErrors(e, LABELS) },
    async ({ req, reply, v, body }) => {
      let n: number;
      try {
        n = await importBudgetCsv(w, body.csv, 'geplakte CSV', { enteredBy: v.user!.username });
      } catch (e) {
        return fail(reply, v, 400, csvErrorNl(e));
      }
      await auditChange(deps, req, 'budget.import', null, `${n} begrotingsregels uit geplakte CSV`);
      return reply.redirect('/begroting', 303);
    },
  );
}
