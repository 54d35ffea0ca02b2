/**
 * Maatregelen (`/maatregelen`): the measures ledger, the risk-adjusted coverage of the savings targets per
 * municipality and year, and per measure (`/maatregelen/:id`) realised vs planned savings over time from the
 * actuals (app/measures.ts measureRealised). CSV paste import of measures and targets (beheerder, regio).
 */
import { z } from 'zod';
import { HIDDEN } from '../protected.js';
import { VIEWERS } from '../../access/policy.js';
import {
  PLAN_METHOD_NL,
  importMeasuresCsv,
  importTargetsCsv,
  measureRealised,
  measureRealisedProtected,
  measuresOverview,
  type MeasuresOverview,
  type RealisedReport,
  type StoredMeasure,
} from '../../app/measures.js';
import { DID_METHOD_NL } from '../../domain/steering/counterfactual.js';
import { PALETTE, euroAxisLabel, type ChartOption } from '../../charts/echarts.js';
import { PRODUCT_CATEGORIES, cbsMunicipality, normaliseMunicipalityCode } from '../../domain/codes/index.js';
import { GripError } from '../../domain/errors.js';
import { formatDateNl, formatMonthNl } from '../../domain/month.js';
import { measureCostsInYear, riskAdjusted, type CoverageRow } from '../../domain/steering/measures.js';
import { scoped, type Viewer } from '../core.js';
import { getPage, postForm } from '../route.js';
import { addNav, chart, euro, page, pct, qs, rangeWrap, reqPath, EXAMPLE_MARK } from '../layout.js';
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
} from './steering-common.js';
import { isExample } from '../../domain/example.js';
import { NO_PROVIDER_NAMES, providerNameWithCode, type ProviderNames } from '../../domain/providers.js';

const query = yearAndMunicipalityQuery;
const importForm = z.object({
  kind: z.preprocess(
    blankToUndefined,
    z.enum(['maatregelen', 'taakstelling'], {
      required_error: 'kies maatregelen of taakstelling',
      invalid_type_error: 'kies maatregelen of taakstelling',
    }),
  ),
  csv: z.preprocess(
    blankToUndefined,
    z.string({ required_error: 'plak de inhoud van het CSV-bestand' }).max(2_000_000, 'te groot (max. 2 MB)'),
  ),
});

const muniName = (code: string) => cbsMunicipality(code)?.name ?? code;

export function ownerLabel(m: StoredMeasure): string {
  switch (m.owner.kind) {
    case 'gemeente':
      return `gemeente ${muniName(m.owner.municipality)}`;
    case 'SOJ':
      return 'SOJ (Service Organisatie Jeugd)';
    case 'SJT':
      return 'SJT (Stichting Jeugdteams)';
    default:
      return m.owner.name;
  }
}

export function scopeLabel(m: StoredMeasure, names: ProviderNames = NO_PROVIDER_NAMES): string {
  const s = m.scope;
  const parts = [s.municipalities.length ? s.municipalities.map(muniName).join(', ') : 'de hele regio'];
  if (s.categories?.length)
    parts.push(`categorie ${s.categories.map((c) => `${c} ${PRODUCT_CATEGORIES[c] ?? ''}`.trim()).join(', ')}`);
  if (s.products?.length) parts.push(`product ${s.products.join(', ')}`);
  if (s.provider) parts.push(`aanbieder ${providerNameWithCode(s.provider, names)}`);
  return parts.join('; ');
}

/** Whether a viewer limited to some municipalities may see this measure: it acts only on their municipalities. */
/**
 * Under the coverage table: what the region row sets against what. Without a region target of its own, only the
 * municipalities' targets that exist count, covered by the savings in those municipalities.
 */
function regionNote(r: CoverageRow | undefined, name: (code: string) => string): SafeHtml {
  if (!r || r.targetBasis === null) return html``;
  if (r.targetBasis === 'own')
    return html`<p class="note">Regio: de regionale taakstelling tegenover alle maatregelen in de regio.</p>`;
  const ms = r.targetScopes.map(name).join(', ');
  return html`<p class="note">Regio: de regio heeft geen eigen taakstelling, dus de regiorij telt alleen de taakstellingen die bestaan (${ms}). De dekking zet de risicogewogen besparing in ${r.targetScopes.length > 1 ? 'die gemeenten' : 'die gemeente'} (${euro(r.countedRiskAdjustedCents)}) tegenover de som van die taakstellingen (${euro(r.targetCents ?? 0)}); besparingen die niet in een gemeente met taakstelling vallen (samen ${euro(r.riskAdjustedCents - r.countedRiskAdjustedCents)}) dekken geen taakstelling en tellen daar niet mee.</p>`;
}

/** Planned, expected and realised savings of the year per measure, with the methods in one sentence each. */
function savingsTable(o: MeasuresOverview, lines: MeasuresOverview['lines']): SafeHtml {
  if (!lines.length) return html`<p class="empty">Geen lopende maatregelen in ${o.year}.</p>`;
  const range = (l: MeasuresOverview['lines'][number]) =>
    l.realised && l.realised.lowCents !== null && l.realised.highCents !== null
      ? rangeWrap(euro(l.realised.lowCents), euro(l.realised.highCents))
      : '—';
  return html`<div class="compact"><table><caption>Besparing per maatregel in ${o.year}: gepland, verwacht (naar status) en gerealiseerd tot nu${o.basis === 'protected' ? ' (hele productiejaren uit de beschermde tabellen)' : ''}</caption>
<thead><tr><th scope="col">Maatregel</th><th scope="col">Status</th><th scope="col" class="n">Gepland</th><th scope="col" class="n">Risicogewogen</th><th scope="col" class="n">Verwacht</th><th scope="col" class="n">Gerealiseerd tot nu</th><th scope="col" class="n">80%-bandbreedte</th><th scope="col">Toelichting</th></tr></thead>
<tbody>${lines.map(
    (l) =>
      html`<tr><th scope="row"><a href="/maatregelen/${encodeURIComponent(l.measure.id)}">${l.measure.id} ${l.measure.title}</a></th><td>${l.measure.status}</td><td class="n">${euro(l.plannedCents)}</td><td class="n">${euro(l.riskAdjustedCents)}</td><td class="n">${euro(l.expectedCents)}</td><td class="n">${l.realised ? html`<span class="${l.realised.cents >= 0 ? 'under' : 'over'}">${euro(l.realised.cents)}</span>` : '—'}</td><td class="n wrap">${range(l)}</td><td class="note">${l.realisedNote ?? ''}</td></tr>`,
  )}</tbody></table></div>
<p class="note"><strong>Methode gerealiseerd:</strong> ${o.didMethod} Maatregelen met overlappend bereik meten dezelfde verandering; tel ze niet op.</p>
<p class="note"><strong>Verwacht:</strong> ${PLAN_METHOD_NL.replace('verandering t.o.v. het basisjaar van ', '')}; dit bedrag telt mee in de meerjarenprognose.</p>`;
}

function visible(v: Viewer, m: StoredMeasure): boolean {
  if (!v.scope) return true;
  if (!m.scope.municipalities.length) return false;
  return m.scope.municipalities.every((c) => v.scope!.includes(c));
}

/** Cumulative planned vs realised savings per month, and the realised saving of each month as bars. */
export function realisedOption(r: RealisedReport): ChartOption {
  const months = r.months.map((m) => m.month);
  return {
    grid: { left: 70, right: 16, top: 16, bottom: 56 },
    legend: {
      bottom: 0,
      textStyle: { fontSize: 11 },
      data: ['Gerealiseerd per maand', 'Gerealiseerd (cumulatief)', 'Gepland (cumulatief)'],
    },
    xAxis: { type: 'category', data: months.map((m) => formatMonthNl(m)), axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', axisLabel: { fontSize: 10, formatter: (x: number) => euroAxisLabel(x) } },
    series: [
      {
        name: 'Gerealiseerd per maand',
        type: 'bar',
        data: r.months.map((m) => m.realisedCents),
        itemStyle: { color: PALETTE[2] },
      },
      {
        name: 'Gerealiseerd (cumulatief)',
        type: 'line',
        data: r.months.map((m) => m.cumulativeRealisedCents),
        itemStyle: { color: PALETTE[6] },
        lineStyle: { width: 2 },
      },
      {
        name: 'Gepland (cumulatief)',
        type: 'line',
        data: r.months.map((m) => m.cumulativePlannedCents),
        itemStyle: { color: PALETTE[4] },
        lineStyle: { type: 'dashed', width: 2 },
      },
    ],
  };
}

export function registerMaatregelen({ app, deps, data }: WebContext): void {
  const w = deps.warehouse;
  addNav({ href: '/maatregelen', label: 'Maatregelen', roles: VIEWERS });

  getPage(
    app,
    '/maatregelen',
    {
      rule: { roles: VIEWERS, municipalityScoped: true },
      query,
      invalid: 'Ongeldige filter: jaar (bijv. 2025) of gemeente (CBS-code, bijv. 0482).',
    },
    async ({ req, v, q }) => {
      const requested = q.municipality ? normaliseMunicipalityCode(q.municipality)! : undefined;
      const [measures, targets, munis, names] = await Promise.all([
        w.measures(),
        w.savingsTargets(),
        w.municipalities(),
        w.providers().then((ps) => new Map(ps.map((p) => [p.agb, p.name]))),
      ]);
      // Default year: the latest year with a savings target, else the latest year with a potential, else this year.
      const targetYears = targets.map((t) => t.year);
      const potentialYears = measures.flatMap((m) => Object.keys(m.savingsPerYear).map(Number));
      const year =
        q.year ??
        (targetYears.length
          ? Math.max(...targetYears)
          : potentialYears.length
            ? Math.min(...potentialYears)
            : new Date().getFullYear());
      const inScope = scoped(v, requested ? [requested] : undefined);
      const shown = measures.filter(
        (m) =>
          visible(v, m) &&
          (!requested ||
            !m.scope.municipalities.length ||
            m.scope.municipalities.includes(requested) ||
            (m.owner.kind === 'gemeente' && m.owner.municipality === requested)),
      );
      const overview = await measuresOverview(w, year, {
        protectedYear: v.suppress ? (y) => data.protectedYear(y) : undefined,
      });
      const coverage = overview.coverage;
      const exampleTargets = new Set(
        targets.filter((t) => t.year === year && isExample(t.description)).map((t) => t.municipality ?? 'regio'),
      );
      const covRows = coverage.rows.filter((r) =>
        r.scope === 'regio' ? !v.scope && !requested : !inScope || inScope.includes(r.scope),
      );
      const covTable = covRows.length
        ? html`<div class="compact"><table><caption>Dekking van de taakstelling ${year}, risicogewogen: Σ besparing × (1 − risico) tegenover de taakstelling</caption>
<thead><tr><th scope="col">Gemeente</th><th scope="col" class="n">Taakstelling</th><th scope="col" class="n">Besparings&shy;potentieel</th><th scope="col" class="n">Risicogewogen</th><th scope="col" class="n">Dekking</th><th scope="col" class="n">Nog te vinden</th><th scope="col" class="n">Kosten maatregelen</th><th scope="col">Maatregelen</th></tr></thead>
<tbody>${covRows.map(
            (
              r,
            ) => html`<tr><th scope="row">${r.scope === 'regio' ? 'Regio' : muniName(r.scope)}</th><td class="n">${r.targetCents === null ? html`<span class="note">geen taakstelling</span>` : html`${euro(r.targetCents)}${exampleTargets.has(r.scope) ? EXAMPLE_MARK : ''}${r.targetBasis === 'municipalities' ? html`<br><span class="note">som van de taakstelling${r.targetScopes.length > 1 ? 'en' : ''} van ${r.targetScopes.map(muniName).join(', ')}</span>` : ''}`}</td><td class="n">${euro(r.potentialCents)}</td><td class="n">${euro(r.riskAdjustedCents)}${r.targetBasis === 'municipalities' ? html`<br><span class="note">waarvan <span class="nw">${euro(r.countedRiskAdjustedCents)}</span> tegen een taakstelling</span>` : ''}</td>
<td class="n">${r.coverage === null ? '—' : html`<span class="${r.coverage >= 1 ? 'under' : 'over'}">${pct(r.coverage, 0)}</span>`}</td><td class="n">${r.gapCents === null ? '—' : r.gapCents > 0 ? html`<span class="over">${euro(r.gapCents)}</span>` : html`<span class="under">gedekt</span>`}</td><td class="n">${euro(r.costsCents)}</td><td>${r.measures.join(', ')}</td></tr>`,
          )}</tbody></table></div>
<p class="note">Maatregelen voor meer gemeenten of de hele regio zijn verdeeld naar ${coverage.splitBasis}. Gestopte maatregelen tellen niet mee.</p>${regionNote(
            covRows.find((r) => r.scope === 'regio'),
            muniName,
          )}`
        : html`<p class="empty">Geen taakstelling of besparingen voor ${year}.${canEdit(v) ? ' Importeer een taakstelling hieronder (CSV).' : ''}</p>`;
      const ledger = shown.length
        ? html`<div class="compact"><table><caption>Maatregelen (${shown.length})</caption>
<thead><tr><th scope="col">Maatregel</th><th scope="col">Trekker</th><th scope="col">Status</th><th scope="col">Plan</th><th scope="col" class="n">Besparing per jaar</th><th scope="col" class="n">Risico</th><th scope="col" class="n">Risicogewogen ${year}</th><th scope="col" class="n">Kosten ${year}</th><th scope="col">Werkt op</th></tr></thead>
<tbody>${shown.map((m) => {
            const years = Object.entries(m.savingsPerYear).sort(([a], [b]) => Number(a) - Number(b));
            const pot = m.savingsPerYear[year] ?? 0;
            return html`<tr><th scope="row"><a href="/maatregelen/${encodeURIComponent(m.id)}">${m.id} ${m.title}</a>${isExample(m.description) ? EXAMPLE_MARK : ''}</th><td>${ownerLabel(m)}</td><td>${m.status}</td>
<td>${m.plan.what}<br><span class="note">vanaf ${formatMonthNl(m.plan.start)}${m.plan.end ? html` t/m ${formatMonthNl(m.plan.end)}` : ''}</span></td>
<td class="n">${
              years.length
                ? joinHtml(
                    years.map(([y, c]) => `${y}: ${euro(c)}`),
                    html`<br>`,
                  )
                : '—'
            }</td><td class="n">${m.riskPercent.toLocaleString('nl-NL')}%</td><td class="n">${euro(riskAdjusted(pot, m.riskPercent))}</td>
<td class="n">${euro(measureCostsInYear(m, year))}<br><span class="note">${m.oneOffCostsCents ? html`eenmalig <span class="nw">${euro(m.oneOffCostsCents)}</span>` : ''}${m.oneOffCostsCents && m.structuralCostsPerYearCents ? ', ' : ''}${m.structuralCostsPerYearCents ? html`structureel <span class="nw">${euro(m.structuralCostsPerYearCents)}/jr</span>` : ''}</span></td><td>${scopeLabel(m, names)}</td></tr>`;
          })}</tbody></table></div>`
        : html`<p class="empty">Nog geen maatregelen${v.scope ? ' voor uw gemeente' : ''}. ${canEdit(v) ? html`Plak hieronder een CSV-bestand, of gebruik <code>grip measures import</code>.` : ''}</p>`;
      const shownMunis = munis.filter((m) => !v.scope || v.scope.includes(m.code));
      const filter = html`<form class="filters" method="get" action="/maatregelen" aria-label="Filters"><label>Jaar<input name="year" type="number" min="2000" max="2100" value="${year}"></label>
<label>Gemeente<select name="municipality">${municipalityOptions(shownMunis, requested ?? '', v.scope ? undefined : 'Alle gemeenten')}</select></label><button type="submit">Toon</button></form>`;
      const forms = canEdit(v)
        ? html`<details class="box"><summary>Maatregelen of taakstelling importeren (CSV plakken)</summary>
<p class="note">Maatregelen: <code>id,title,owner,status,what,start,end,riskPercent,municipalities,categories,products,provider,oneOffCostsEuros,structuralCostsEuros,savings2025Euros,…,description</code>; een maatregel met een bekend id wordt vervangen.
Taakstelling: <code>municipality,year,amountEuros,description</code> (municipality leeg of <code>regio</code> voor de regio). Alle regels of geen.</p>
<form class="edit" method="post" action="/maatregelen/import">${csrfField(v)}<label>Soort<select name="kind"><option value="maatregelen">maatregelen</option><option value="taakstelling">taakstelling</option></select></label>
<label class="wide">CSV<textarea name="csv" rows="8"></textarea></label><div><button type="submit">Importeren</button></div></form></details>`
        : '';
      const realisedTable = savingsTable(
        overview,
        overview.lines.filter((l) => shown.some((m) => m.id === l.measure.id)),
      );
      return page(
        v.user,
        'Maatregelen',
        html`${FORM_STYLE}<h1>Maatregelen en taakstelling ${year}</h1>${filter}<h2>Dekking van de taakstelling</h2>${covTable}<h2>Besparing ${year}: gepland en gerealiseerd</h2>${realisedTable}<h2>Maatregelenregister</h2>${ledger}
<p class="note">Risicogewogen = besparingspotentieel van het jaar × (1 − risicomarge). Klik op een maatregel voor de gerealiseerde besparing uit de declaraties.</p>${forms}`,
        { path: reqPath(req), crumbs: [{ href: '/', label: 'Overzicht' }, { label: 'Maatregelen' }] },
      );
    },
  );

  getPage(app, '/maatregelen/:id', { rule: { roles: VIEWERS } }, async ({ req, reply, v }) => {
    const id = (req.params as { id: string }).id;
    const [[m], names] = await Promise.all([
      w.measures({ ids: [id] }),
      w.providers().then((ps) => new Map(ps.map((p) => [p.agb, p.name]))),
    ]);
    if (!m) return fail(reply, v, 404, `Maatregel ${id} bestaat niet.`);
    if (!visible(v, m))
      return fail(
        reply,
        v,
        403,
        'Deze maatregel werkt (ook) op andere gemeenten dan de uwe; u heeft geen toegang tot die gegevens.',
      );
    // Aggregate roles: the realised saving from the protected tables only, per whole production year
    // (measureRealisedProtected); nothing month by month, no baseline level.
    if (v.suppress) {
      const [all, region, asOf] = await Promise.all([
        w.measures(),
        w.municipalities(),
        data.status().then((st) => st.lastDeclarationDate ?? null),
      ]);
      const lastYear = asOf ? Number(asOf.slice(0, 4)) : new Date().getFullYear();
      const pr = await measureRealisedProtected(
        m,
        all,
        region.map((x) => x.code),
        lastYear,
        (y) => data.protectedYear(y),
      );
      const rows = pr.years.length
        ? html`<table><caption>Per heel productiejaar, uit de beschermde tabellen</caption><thead><tr><th scope="col">Jaar</th><th scope="col" class="n">Besparing gepland</th><th scope="col" class="n">Gerealiseerd</th><th scope="col" class="n">80%-bandbreedte</th></tr></thead>
<tbody>${pr.years.map((y) => html`<tr><th scope="row">${y.year}${y.year === lastYear ? ' (tot nu)' : ''}</th><td class="n">${euro(y.plannedYearCents)}</td><td class="n">${y.realisedCents === null ? HIDDEN : euro(y.realisedCents)}</td><td class="n">${y.lowCents !== null && y.highCents !== null ? html`${euro(y.lowCents)} – ${euro(y.highCents)}` : '—'}</td></tr>`)}</tbody></table>
<p class="note">Tegen ${pr.preYear}, met ${pr.controls.length} vergelijkingsgemeenten; het lopende jaar zoals tot nu gedeclareerd (de vergelijkingsgemeenten ook).</p>`
        : '';
      return page(
        v.user,
        `Maatregel ${m.id}`,
        html`${FORM_STYLE}<h1>${m.id} ${m.title}${isExample(m.description) ? EXAMPLE_MARK : ''}</h1>
<p>${m.plan.what}${m.description ? html` — ${m.description}` : ''}</p>
<p class="note">Trekker: ${ownerLabel(m)} · werkt op ${scopeLabel(m, names)} · vanaf ${formatMonthNl(m.plan.start)}${m.plan.end ? html` t/m ${formatMonthNl(m.plan.end)}` : ''} · status ${m.status}</p>
<p class="story"><strong>Methode:</strong> ${DID_METHOD_NL}</p>${pr.reason ? html`<p class="note">${pr.reason}</p>` : ''}${rows}`,
        {
          path: '/maatregelen',
          crumbs: [
            { href: '/', label: 'Overzicht' },
            { href: `/maatregelen${qs({})}`, label: 'Maatregelen' },
            { label: m.id },
          ],
        },
      );
    }
    let r: RealisedReport;
    try {
      r = await measureRealised(w, id);
    } catch (e) {
      if (e instanceof GripError) return fail(reply, v, 400, `De besparing is niet te berekenen: ${e.message}`);
      throw e;
    }
    const total = r.years.reduce(
      (a, y) => ({ planned: a.planned + y.plannedToDateCents, realised: a.realised + y.realisedCents }),
      { planned: 0, realised: 0 },
    );
    const did = r.did;
    const rangeText =
      r.total.lowCents !== null && r.total.highCents !== null
        ? `80%: ${euro(r.total.lowCents)} – ${euro(r.total.highCents)}`
        : did
          ? 'geen bandbreedte (minder dan 3 vergelijkingsgemeenten)'
          : 'basislijn − werkelijke kosten';
    const cards = html`<div class="cards"><div class="card"><div class="k">Gepland tot nu</div><div class="v">${euro(total.planned)}</div><div class="s">over ${r.months.length} volgroeide maanden</div></div>
<div class="card"><div class="k">Gerealiseerd tot nu</div><div class="v ${total.realised >= total.planned ? 'under' : 'over'}">${euro(total.realised)}</div><div class="s">${rangeText}</div></div>
${did ? html`<div class="card"><div class="k">Zonder maatregel</div><div class="v">${euro(did.counterfactualCents)}</div><div class="s">werkelijk ${euro(did.actualCents)}; ${did.controls.length} vergelijkingsgemeenten</div></div>` : html`<div class="card"><div class="k">Basislijn per maand</div><div class="v">${euro(r.baselineLevelCents)}</div><div class="s">gemiddelde ${formatMonthNl(r.baselineFrom)} – ${formatMonthNl(r.baselineTo)}</div></div>`}
<div class="card"><div class="k">Status</div><div class="v">${m.status}</div><div class="s">risicomarge ${m.riskPercent.toLocaleString('nl-NL')}%</div></div></div>`;
    const baselineSentence = did
      ? html`<p class="story"><strong>Methode:</strong> ${DID_METHOD_NL} Hier: ${scopeLabel(m, names)}; vóór de start (${formatMonthNl(r.baselineFrom)} t/m ${formatMonthNl(r.baselineTo)}) kostte de doelgroep ${euro(did.targetPreCents)} tegen ${euro(did.controlPreCents)} in ${did.controls.map(muniName).join(', ')}; alleen maanden t/m ${formatMonthNl(r.matureUntil)}, die vrijwel volledig gedeclareerd zijn.</p>`
      : html`<p class="story"><strong>Basislijn:</strong> de gemiddelde maandelijkse kosten binnen het bereik van deze maatregel (${scopeLabel(m, names)}) in de 12 maanden vóór de start, ${formatMonthNl(r.baselineFrom)} t/m ${formatMonthNl(r.baselineTo)}: ${euro(r.baselineLevelCents)} per maand; gerealiseerd = basislijn − werkelijke kosten, alleen voor maanden t/m ${formatMonthNl(r.matureUntil)} die vrijwel volledig gedeclareerd zijn (zonder trendcorrectie, dus bij stijgende kosten voorzichtig).</p>`;
    const yearTable = r.years.length
      ? html`<table><caption>Per jaar</caption><thead><tr><th scope="col">Jaar</th><th scope="col" class="n">Besparing gepland (heel jaar)</th><th scope="col" class="n">Gepland tot nu</th><th scope="col" class="n">Gerealiseerd tot nu</th><th scope="col" class="n">Maanden</th></tr></thead>
<tbody>${r.years.map((y) => html`<tr><th scope="row">${y.year}</th><td class="n">${euro(y.plannedYearCents)}</td><td class="n">${euro(y.plannedToDateCents)}</td><td class="n"><span class="${y.realisedCents >= y.plannedToDateCents ? 'under' : 'over'}">${euro(y.realisedCents)}</span>${y.lowCents !== null && y.highCents !== null ? html`<br><span class="note">80%: ${euro(y.lowCents)} – ${euro(y.highCents)}</span>` : ''}</td><td class="n">${y.months}</td></tr>`)}</tbody></table>`
      : '';
    const monthTable = r.months.length
      ? html`<details class="box"><summary>Per maand</summary><table><thead><tr><th scope="col">Maand</th><th scope="col" class="n">${did ? 'Zonder maatregel' : 'Basislijn'}</th><th scope="col" class="n">Werkelijk</th><th scope="col" class="n">Gerealiseerd</th><th scope="col" class="n">Gepland</th></tr></thead>
<tbody>${r.months.map((x) => html`<tr><th scope="row">${formatMonthNl(x.month)}</th><td class="n">${euro(x.baselineCents)}</td><td class="n">${euro(x.actualCents)}</td><td class="n">${euro(x.realisedCents)}</td><td class="n">${euro(x.plannedCents)}</td></tr>`)}</tbody></table></details>`
      : '';
    const graph = r.months.length
      ? chart(
          realisedOption(r),
          1000,
          320,
          `${m.title}: gerealiseerde tegenover geplande besparing per maand en cumulatief`,
        )
      : '';
    return page(
      v.user,
      `Maatregel ${m.id}`,
      html`${FORM_STYLE}<h1>${m.id} ${m.title}${isExample(m.description) ? EXAMPLE_MARK : ''}</h1>
<p>${m.plan.what}${m.description ? html` — ${m.description}` : ''}</p>
<p class="note">Trekker: ${ownerLabel(m)} · werkt op ${scopeLabel(m, names)} · vanaf ${formatMonthNl(m.plan.start)}${m.plan.end ? html` t/m ${formatMonthNl(m.plan.end)}` : ''} · stand per ${formatDateNl(r.asOf)}</p>
${cards}${baselineSentence}${r.notes.map((n) => html`<p class="note">${n}</p>`)}${graph}${yearTable}${monthTable}`,
      {
        path: '/maatregelen',
        crumbs: [
          { href: '/', label: 'Overzicht' },
          { href: `/maatregelen${qs({})}`, label: 'Maatregelen' },
          { label: m.id },
        ],
      },
    );
  });

  postForm(
    app,
    '/maatregelen/import',
    {
      rule: { roles: STEERING_EDITORS },
      body: importForm,
      invalid: (e) => formErrors(e, { kind: 'Soort', csv: 'CSV' }),
    },
    async ({ req, reply, v, body }) => {
      let n: number;
      try {
        n =
          body.kind === 'maatregelen'
            ? await importMeasuresCsv(w, body.csv, 'geplakte CSV', { enteredBy: v.user!.username })
            : await importTargetsCsv(w, body.csv, 'geplakte CSV', { enteredBy: v.user!.username });
      } catch (e) {
        return fail(reply, v, 400, csvErrorNl(e));
      }
      await auditChange(
        deps,
        req,
        body.kind === 'maatregelen' ? 'measures.import' : 'targets.import',
        null,
        `${n} ${body.kind === 'maatregelen' ? 'maatregelen' : 'taakstellingen'} uit geplakte CSV`,
      );
      return reply.redirect('/maatregelen', 303);
    },
  );
}
