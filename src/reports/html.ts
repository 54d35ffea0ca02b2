/**
 * HTML renderings of the reports (A4 dashboard, monthly report, Burap), with the charts inline as SVG from
 * src/charts/echarts.ts. Print-ready: A4 portrait, readable in black-and-white (patterns, line styles and
 * shapes carry the meaning, colour only helps). The web app can show the same HTML on screen.
 */
import { costDevelopmentOption, renderSvg, yearTotalsOption } from '../charts/echarts.js';
import { formatDateNl, formatMonthNl } from '../domain/month.js';
import { chanceText, reliabilityText } from '../domain/forecast/reliability.js';
import type { A4Data, BurapData, CauseLine, Light, RegionOverview } from '../app/reports.js';
import {
  COVERAGE_HEADERS,
  MEASURE_HEADERS,
  NO_COMPARISON,
  comparisonWords,
  coverageRows,
  measureRows,
  ownVsShareIntro,
} from '../app/reports.js';
import { html, joinHtml, raw, type SafeHtml } from '../web/html.js';
import { euro, int, pct, signedEuro, signedPct } from '../domain/format/nl.js';
import type { Cents } from '../domain/money.js';

const FONT = "'Liberation Sans', Arial, Helvetica, sans-serif";

export const REPORT_CSS = `
@page { size: A4 portrait; margin: 10mm 12mm; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: ${FONT}; font-size: 8.6pt; line-height: 1.3; color: #111; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.sheet { width: 186mm; height: 276mm; position: relative; overflow: visible; display: flex; flex-direction: column; page-break-after: always; break-after: page; }
.sheet:last-child { page-break-after: auto; break-after: auto; }
.doc { width: 186mm; }
header.top { display: flex; justify-content: space-between; align-items: flex-end; border-bottom: 2px solid #0b3d5c; padding-bottom: 2mm; margin-bottom: 3mm; }
header.top h1 { font-size: 15pt; margin: 0; color: #0b3d5c; }
header.top .sub { font-size: 9pt; color: #333; margin-top: 1mm; }
header.top .brand { text-align: right; font-size: 8pt; color: #444; }
header.top .brand b { font-size: 11pt; color: #0b3d5c; display: block; }
.tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 2.5mm; margin-bottom: 3mm; }
.tile { border: 1px solid #888; border-radius: 1.5mm; padding: 2mm 2.5mm; min-height: 21mm; }
.tile .label { font-size: 7.5pt; text-transform: uppercase; letter-spacing: .03em; color: #444; }
.tile .value { font-size: 13pt; font-weight: 700; margin: .8mm 0; white-space: nowrap; }
.tile .detail { font-size: 7.5pt; color: #333; }
.nw { white-space: nowrap; }
td.name { white-space: nowrap; }
h2 { font-size: 10pt; margin: 0 0 1.2mm 0; color: #0b3d5c; }
h3 { font-size: 9pt; margin: 2mm 0 1mm 0; }
.chart svg { display: block; }
.row2 { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; margin-top: 2.5mm; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: .6mm 1.2mm; text-align: left; vertical-align: top; }
th { font-size: 7.5pt; border-bottom: 1px solid #333; font-weight: 700; }
td { border-bottom: .5px solid #ccc; }
td.n, th.n { text-align: right; white-space: nowrap; }
tr.total td { font-weight: 700; border-top: 1px solid #333; border-bottom: none; }
.light { display: inline-block; font-weight: 700; white-space: nowrap; }
.light .sym { font-size: 10pt; margin-right: .8mm; }
.light.groen .sym { color: #2e7d32; } .light.oranje .sym { color: #c77700; } .light.rood .sym { color: #b71c1c; }
p { margin: 0 0 1.3mm 0; }
.muted { color: #555; }
.vb { font-size: 7pt; font-weight: 600; color: #8a4b00; border: 1px solid #c98a2b; border-radius: 2px; padding: 0 2px; text-transform: uppercase; letter-spacing: .02em; }
sup.vb { border: 0; padding: 0; }
.vbt { color: #8a4b00; font-weight: 600; }
.small { font-size: 7.3pt; }
footer.bottom { margin-top: auto; flex: none; border-top: 1px solid #999; padding-top: 1.2mm; font-size: 6.8pt; color: #444; background: #fff; }
.box p { font-size: 7.9pt; line-height: 1.25; margin-bottom: 1mm; }
td.cat { font-size: 7.6pt; }
.box { border-left: 2px solid #0b3d5c; padding-left: 2.5mm; }
ol.decision li { margin-bottom: 1.5mm; }
.doc h1 { font-size: 16pt; color: #0b3d5c; margin: 0 0 1mm 0; }
.doc h2 { font-size: 11.5pt; margin: 5mm 0 2mm 0; }
.doc p, .doc li { font-size: 9.5pt; }
.doc table { font-size: 8.5pt; margin-bottom: 2mm; }
.avoid { break-inside: avoid; }
`;

const LIGHT_SYMBOL: Record<Light, string> = { groen: '●', oranje: '▲', rood: '■' };
const LIGHT_WORD: Record<Light, string> = { groen: 'groen', oranje: 'oranje', rood: 'rood' };

export function lightHtml(light: Light | null, word?: string): SafeHtml {
  if (!light) return html`<span class="muted">—</span>`;
  return html`<span class="light ${light}"><span class="sym">${LIGHT_SYMBOL[light]}</span>${word ?? LIGHT_WORD[light]}</span>`;
}

function page(title: string, body: SafeHtml): string {
  return html`<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>${title}</title><style>${raw(REPORT_CSS)}</style></head><body>${body}</body></html>`
    .html;
}

/** The same sentence as on the gemeente page (domain/forecast/reliability.ts). */
function reliabilityHtml(d: A4Data): SafeHtml {
  return html`<p>${reliabilityText(d.reliability)}</p>`;
}

/** Why the forecast changed: the lead and the largest components (app/forecast.ts, domain/forecast/explain.ts). */
function revisionHtml(d: A4Data): SafeHtml {
  if (!d.revision) return html``;
  return html`<p>${d.revision.lead} ${joinHtml(d.revision.sentences, ' ')}</p>`;
}

function kpisHtml(d: A4Data): SafeHtml {
  if (!d.kpis.length) return html`<p class="muted">Geen indicatoren met streef- en signaalwaarde ingevoerd.</p>`;
  return html`<table><thead><tr><th>Indicator</th><th class="n">Waarde</th><th class="n">Streef</th><th>Status</th></tr></thead><tbody>${d.kpis
    .slice(0, 5)
    .map(
      (k) =>
        html`<tr><td>${k.name}${k.period || k.example ? html` <span class="muted">(${joinHtml([k.period ? k.period : '', k.example ? html`<b class="vbt">voorbeeld</b>` : ''].filter(Boolean), ', ')})</span>` : ''}</td><td class="n">${k.value}</td><td class="n">${k.target ?? '—'}</td><td>${lightHtml(k.light)}</td></tr>`,
    )}</tbody></table>`;
}

/** Last year's figure in a tile: the same moment (like for like) or the same months as known now (see the note). */
const sameMoment = (d: A4Data) => (d.likeForLike ? `zelfde moment ${d.year - 1}` : `zelfde maanden ${d.year - 1}*`);

/** The change against last year (— without a comparison or last year's figure zero). */
const changePct = (now: Cents, previous: Cents | null) =>
  signedPct(previous !== null && previous > 0 ? now / previous - 1 : null);

/** The note under the category table: which stand of last year the columns marked * compare with. */
function previousNote(d: A4Data): string {
  if (d.previousCostsToDateCents === null)
    return `* Geen vergelijking met ${d.previousPeriodLabel} zoals nu bekend: ${NO_COMPARISON}.`;
  if (d.likeForLike)
    return `* ${d.previousPeriodLabel}, stand per ${formatDateNl(d.previousAsOf)} (${comparisonWords(true)}).`;
  return `* ${d.previousPeriodLabel} ${comparisonWords(false)} (stand per ${formatDateNl(d.previousAsOf)}). ${d.year} is nog minder volledig gedeclareerd dan ${d.year - 1}: een stijging lijkt daardoor kleiner, een daling groter.`;
}

function categoriesHtml(d: A4Data): SafeHtml {
  if (!d.categories.length) return html`<p class="muted">Nog geen declaraties in deze periode.</p>`;
  const rows = joinHtml(
    d.categories.map(
      (c) =>
        html`<tr><td class="cat">${c.label}</td><td class="n">${euro(c.cents)}</td><td class="n">${pct(c.share)}</td><td class="n">${euro(c.previousCents)}</td><td class="n">${changePct(c.cents, c.previousCents)}</td></tr>`,
    ),
    '',
  );
  return html`<table><thead><tr><th>Categorie</th><th class="n">${String(d.year)} t/m ${formatMonthNl(d.month, true).split(' ')[0]}</th><th class="n">aandeel</th><th class="n">${d.year - 1}*</th><th class="n">verschil</th></tr></thead><tbody>${rows}<tr class="total"><td>Totaal</td><td class="n">${euro(d.costsToDateCents)}</td><td class="n">100%</td><td class="n">${euro(d.previousCostsToDateCents)}</td><td class="n">${changePct(d.costsToDateCents, d.previousCostsToDateCents)}</td></tr></tbody></table>`;
}

/** The body of one A4 (a `.sheet` div): used alone (renderA4Html) and as a section of the monthly report. */
export function renderA4Section(d: A4Data): SafeHtml {
  const f = d.forecast;
  const isRegion = d.municipality === 'regio';
  const title = isRegion ? `Jeugdhulp regio ${d.name}` : `Jeugdhulp ${d.name}`;
  const monthlySvg = raw(renderSvg(costDevelopmentOption(d.monthly, { previousLabel: `${d.year - 1}` }), 703, 235)); // ECharts' own SVG output (a trusted renderer)
  const years = [
    ...d.yearly.slice(-4).map((y) => ({ year: y.year, actualCents: y.actualCents })),
    {
      year: d.year,
      actualCents: f.declaredCents,
      forecast: { forecastCents: f.forecastCents, lowCents: f.lowCents, highCents: f.highCents },
      budgetCents: d.budget.budgetCents,
    },
  ];
  const yearlySvg = raw(renderSvg(yearTotalsOption(years), 340, 200));
  const cpc = d.costPerClientCents === null ? '—' : euro(d.costPerClientCents);
  const budgetTile =
    d.budget.budgetCents === null
      ? html`<div class="value" style="font-size:10pt">geen begroting ingevoerd</div><div class="detail">Verschil met de prognose kan niet worden bepaald.</div>`
      : html`<div class="value">${euro(d.budget.budgetCents)}</div><div class="detail">Verschil: <b>${signedEuro(d.budget.differenceCents!)}</b> ${lightHtml(d.budget.light, d.budget.light === 'groen' ? 'binnen' : d.budget.light === 'oranje' ? 'let op' : 'overschrijding')}${d.overrunChance === null ? '' : html`<br><span class="nw">kans op overschrijding <b>${chanceText(d.overrunChance)}</b></span>`}</div>`;
  return html`<div class="sheet">
<header class="top"><div><h1>${title}</h1><div class="sub">Periode: ${d.periodLabel} · stand per ${formatDateNl(d.asOf)}${isRegion ? '' : html` · gemeente ${d.municipality}`}</div></div>
<div class="brand"><b>Grip</b>Regio ${d.regionName}<br>A4-dashboard ${formatMonthNl(d.month)}</div></header>
<section class="tiles">
<div class="tile"><div class="label">Kosten tot nu toe</div><div class="value">${euro(d.costsToDateCents)}</div><div class="detail">gedeclareerd, ${d.periodLabel}<br><span class="nw">${sameMoment(d)}: ${euro(d.previousCostsToDateCents)}</span> ${d.previousCostsToDateCents === null ? '' : html`<span class="nw">(${changePct(d.costsToDateCents, d.previousCostsToDateCents)})</span>`}</div></div>
<div class="tile"><div class="label">Prognose ${d.year}</div><div class="value">${euro(f.forecastCents)}</div><div class="detail">80%-bandbreedte:<br><span class="nw">${euro(f.lowCents)} – ${euro(f.highCents)}</span><br><span class="nw">kosten ${d.year - 1}: ${euro(d.previousYearCents)}</span></div></div>
<div class="tile"><div class="label">Begroting ${d.year}${d.budget.example ? html` <span class="vb">voorbeeld</span>` : ''}</div>${budgetTile}</div>
<div class="tile"><div class="label">Cliënten ${d.periodLabel.replace(/ \d{4}$/, '')}</div><div class="value">${int(d.clients)}</div><div class="detail"><span class="nw">kosten per cliënt ${cpc}</span><br>${sameMoment(d)}:<br><span class="nw">${d.previousClients === null ? '—' : html`${int(d.previousClients)} cliënten · ${euro(d.previousCostPerClientCents)}`}</span></div></div>
</section>
<h2>Kostenontwikkeling ${d.year} per maand</h2>
<div class="chart">${monthlySvg}</div>
<div class="row2">
<div><h2>Jaartotalen en prognose</h2><div class="chart">${yearlySvg}</div>
<p class="small muted">Prognose = gedeclareerd ${euro(f.declaredCents)} + nog te declareren ${euro(f.ibnrCents)} + resterende maanden ${euro(f.remainingCents)}.</p></div>
<div><h2>Kosten per categorie</h2>${categoriesHtml(d)}<p class="small muted">${previousNote(d)}</p></div>
</div>
<div class="row2">
<div class="box"><h2>Wat veranderde en waarom</h2><p><b>${d.changes.headline}</b></p>${revisionHtml(d)}${d.changes.sentences.map((s) => html`<p>${s}</p>`)}</div>
<div><h2>Hoe betrouwbaar is deze prognose?</h2>${reliabilityHtml(d)}<h3>Indicatoren</h3>${kpisHtml(d)}${a4MeasuresHtml(d)}</div>
</div>
<footer class="bottom">Bron: iJw-declaraties (JW323) zoals bekend op ${formatDateNl(d.asOf)}; bedragen netto (debet − credit) per productiemaand, afgerond op hele euro's. Prognose: chain ladder en Bornhuetter–Ferguson voor nog te declareren zorg, niveau × seizoen × gedempte trend voor de resterende maanden. Gemaakt met Grip op ${formatDateNl(d.generatedOn)}.</footer>
</div>`;
}

/** One A4 dashboard as a complete HTML document. */
export function renderA4Html(d: A4Data): string {
  return page(`Jeugdhulp ${d.name} – ${d.periodLabel}`, renderA4Section(d));
}

/** Several A4s in one document (one page each). */
export function renderA4sHtml(ds: A4Data[]): string {
  return page('Jeugdhulp – A4-dashboards', joinHtml(ds.map(renderA4Section), '\n'));
}

/** The monthly report: a region overview page, then one A4 section per municipality. */
export function renderMaandHtml(o: RegionOverview): string {
  const r = o.region;
  const rows = joinHtml(
    o.municipalities.map(
      (m) =>
        html`<tr><td class="name">${m.municipality} ${m.name}</td><td class="n">${euro(m.costsToDateCents)}</td><td class="n">${euro(m.forecast.forecastCents)}</td><td class="n">${euro(m.forecast.lowCents)} – ${euro(m.forecast.highCents)}</td><td class="n">${m.budget.budgetCents === null ? 'geen begroting' : euro(m.budget.budgetCents)}${m.budget.example ? html`<sup class="vb">vb</sup>` : ''}</td><td class="n">${m.budget.differenceCents === null ? '—' : signedEuro(m.budget.differenceCents)}</td><td>${lightHtml(m.budget.light)}</td><td class="n">${int(m.clients)}</td><td class="n">${m.costPerClientCents === null ? '—' : euro(m.costPerClientCents)}</td><td class="n">${m.reliability?.mape == null ? '—' : pct(m.reliability.mape)}</td></tr>`,
    ),
    '',
  );
  const total = html`<tr class="total"><td>Regio</td><td class="n">${euro(r.costsToDateCents)}</td><td class="n">${euro(r.forecast.forecastCents)}</td><td class="n">${euro(r.forecast.lowCents)} – ${euro(r.forecast.highCents)}</td><td class="n">${r.budget.budgetCents === null ? '—' : euro(r.budget.budgetCents)}</td><td class="n">${r.budget.differenceCents === null ? '—' : signedEuro(r.budget.differenceCents)}</td><td>${lightHtml(r.budget.light)}</td><td class="n">${int(r.clients)}</td><td class="n">${r.costPerClientCents === null ? '—' : euro(r.costPerClientCents)}</td><td class="n">—</td></tr>`;
  const monthlySvg = raw(renderSvg(costDevelopmentOption(r.monthly, { previousLabel: `${r.year - 1}` }), 703, 230));
  const overview = html`<div class="sheet">
<header class="top"><div><h1>Maandrapportage jeugdhulp ${formatMonthNl(r.month)}</h1><div class="sub">Regio ${r.name} · periode ${r.periodLabel} · stand per ${formatDateNl(r.asOf)}</div></div><div class="brand"><b>Grip</b>${o.municipalities.length} gemeenten</div></header>
<h2>Overzicht per gemeente</h2>
<table><thead><tr><th>Gemeente</th><th class="n">Kosten t/m ${formatMonthNl(r.month, true).split(' ')[0]}</th><th class="n">Prognose ${r.year}</th><th class="n">80%-bandbreedte</th><th class="n">Begroting</th><th class="n">Verschil</th><th>Status</th><th class="n">Cliënten</th><th class="n">Per cliënt</th><th class="n">Afwijking*</th></tr></thead><tbody>${rows}${total}</tbody></table>
<p class="small muted">* Hoe betrouwbaar is de prognose: gemiddelde afwijking van de prognose op dit moment van het jaar in eerdere jaren (terugtoets). Verschil = prognose − begroting.${[r, ...o.municipalities].some((x) => x.budget.example) ? html` <sup class="vb">vb</sup> voorbeeld: een voorbeeldbedrag, geen vastgestelde begroting.` : ''}</p>
<h2 style="margin-top:3mm">Kostenontwikkeling regio ${r.year} per maand</h2><div class="chart">${monthlySvg}</div>
<div class="row2"><div class="box"><h2>Wat veranderde en waarom</h2><p><b>${r.changes.headline}</b></p>${revisionHtml(r)}${r.changes.sentences.map((s) => html`<p>${s}</p>`)}</div>
<div><h2>Kosten per categorie</h2>${categoriesHtml(r)}<p class="small muted">* ${r.previousPeriodLabel}, stand per ${formatDateNl(r.previousAsOf)}.</p></div></div>
<footer class="bottom">Bron: iJw-declaraties (JW323) zoals bekend op ${formatDateNl(r.asOf)}; bedragen netto per productiemaand. Per gemeente volgt hierna het A4-dashboard. Gemaakt met Grip op ${formatDateNl(r.generatedOn)}.</footer>
</div>`;
  return page(
    `Maandrapportage jeugdhulp ${formatMonthNl(r.month)}`,
    joinHtml([overview, ...o.municipalities.map(renderA4Section)], '\n'),
  );
}

function causeTable(lines: CauseLine[], first: string, d: BurapData): SafeHtml {
  if (!lines.length) return html`<p class="muted">Geen declaraties in deze perioden.</p>`;
  return html`<table><thead><tr><th>${first}</th><th class="n">${d.previousPeriodLabel}</th><th class="n">${d.periodLabel}</th><th class="n">verschil</th><th class="n">cliënten</th><th class="n">inzet per cliënt</th><th class="n">tarief</th></tr></thead><tbody>${lines.map(
    (c) =>
      html`<tr><td>${c.label}</td><td class="n">${euro(c.beforeCents)}</td><td class="n">${euro(c.afterCents)}</td><td class="n">${signedEuro(c.changeCents)}</td><td class="n">${signedEuro(c.volumeCents)}</td><td class="n">${signedEuro(c.intensityCents)}</td><td class="n">${signedEuro(c.priceCents)}</td></tr>`,
  )}</tbody></table>`;
}

const OWN_VS_SHARE_INTRO = (d: BurapData) => (ownVsShareIntro(d) ? html`<p>${ownVsShareIntro(d)}</p>` : '');

function simpleTable(headers: string[], rows: string[][], numeric: (i: number) => boolean): SafeHtml {
  return html`<table class="avoid"><thead><tr>${headers.map((x, i) => html`<th${numeric(i) ? html` class="n"` : ''}>${x}</th>`)}</tr></thead><tbody>${rows.map((r) => html`<tr>${r.map((c, i) => html`<td${numeric(i) ? html` class="n"` : ''}>${c}</td>`)}</tr>`)}</tbody></table>`;
}

/** Burap section 5: the measures and the coverage of the savings targets (the DOCX has the same). */
function burapMeasuresHtml(d: BurapData): SafeHtml {
  const m = d.measures;
  const cov = coverageRows(m, euro, pct);
  return html`${m.lines.length ? simpleTable(MEASURE_HEADERS(m.year), measureRows(m, euro), (i) => i >= 2 && i <= 6) : html`<p>Geen lopende maatregelen in ${m.year}.</p>`}
${cov.length ? html`<p>Dekking van de taakstelling ${m.year}: per gemeente tegen de eigen taakstelling, risicogewogen.</p>${simpleTable(COVERAGE_HEADERS, cov, (i) => i >= 1)}` : html`<p>Geen taakstelling voor ${m.year} ingevoerd.</p>`}
<p class="small muted">Gerealiseerd: ${m.method} Maatregelen met overlappend bereik meten dezelfde verandering; tel ze niet op.</p>
<p class="small muted">${m.planMethod} De verwachte besparing telt mee in de meerjarenprognose.</p>`;
}

/**
 * The measures on an A4, in two or three short lines (the page is full): the coverage of the own target, and the
 * measure with the largest expected saving that has a realised figure, with its 80% range (measures with the same
 * scope measure the same change, so they are named together). The Burap and the Maatregelen page give them all.
 */
function a4MeasuresHtml(d: A4Data): SafeHtml {
  const m = d.measures;
  if (!m) return html``;
  const c = m.coverage.find((r) => r.targetCents !== null);
  const withFigure = m.lines.filter((x) => x.realisedCents !== null).sort((a, b) => b.expectedCents - a.expectedCents);
  const top = withFigure[0];
  const same = top
    ? withFigure.filter(
        (l) => l.realisedCents === top.realisedCents && l.lowCents === top.lowCents && l.highCents === top.highCents,
      )
    : [];
  const cov = c
    ? html`taakstelling ${euro(c.targetCents ?? 0)}${c.example ? html` (<b class="vbt">voorbeeld</b>)` : ''}, risicogewogen ${c.coverage === null ? '—' : pct(c.coverage)} gedekt${c.gapCents !== null && c.gapCents > 0 ? `, nog te vinden ${euro(c.gapCents)}` : ''}`
    : '';
  const real = top
    ? html`gerealiseerd tot nu${m.protectedBasis ? ' (hele jaren)' : ''} ${same.map((l) => l.id).join(', ')} ${euro(top.realisedCents ?? 0)}${top.lowCents !== null && top.highCents !== null ? html` <span class="nw">(80%: ${euro(top.lowCents)} – ${euro(top.highCents)})</span>` : ''}, tegen vergelijkbare gemeenten`
    : '';
  return cov || real
    ? html`<p class="small" style="margin-top:1.5mm"><b>Maatregelen ${m.year}:</b> ${joinHtml(
        [cov, real].filter((x) => x !== ''),
        '; ',
      )}.</p>`
    : html``;
}

/** The Burap draft as HTML (for PDF); the DOCX (docx.ts) has the same content. */
export function renderBurapHtml(d: BurapData): string {
  const money = (c: number | null) => (c === null ? '—' : euro(c));
  const rows = joinHtml(
    d.rows.map(
      (r) =>
        html`<tr><td class="name">${r.municipality} ${r.name}</td><td class="n">${r.budgetCents === null ? 'geen begroting ingevoerd' : euro(r.budgetCents)}</td><td class="n">${euro(r.forecastCents)}</td><td class="n">${euro(r.lowCents)} – ${euro(r.highCents)}</td><td class="n">${r.differenceCents === null ? '—' : signedEuro(r.differenceCents)}</td><td class="n">${signedPct(r.differenceShare)}</td></tr>`,
    ),
    '',
  );
  const t = d.total;
  const shareRows = joinHtml(
    d.rows.map(
      (r) =>
        html`<tr><td>${r.municipality} ${r.name}</td><td class="n">${pct(r.keyFraction)}</td><td class="n">${r.differenceCents === null ? '—' : signedEuro(r.differenceCents)}</td><td class="n">${r.shareCents === null ? '—' : signedEuro(r.shareCents)}</td><td class="n">${r.ownVsShare === null ? '—' : signedEuro(r.ownVsShare.differenceCents)}</td>${d.rows.some((x) => x.reservationCents !== null) ? html`<td class="n">${money(r.reservationCents)}</td><td class="n">${r.balanceCents === null ? '—' : signedEuro(r.balanceCents)}</td>` : ''}</tr>`,
    ),
    '',
  );
  const hasRes = d.rows.some((x) => x.reservationCents !== null);
  const body = html`<div class="doc">
<h1>Concept ${d.ordinal} bestuursrapportage jeugdhulp ${d.year}</h1>
<p class="muted">Regio ${d.regionName} · periode ${d.periodLabel} · stand per ${formatDateNl(d.asOf)} · gemaakt met Grip op ${formatDateNl(d.generatedOn)}. Alle cijfers in dit concept zijn berekend uit de declaraties.</p>
<h2>1. Samenvatting</h2>${d.summary.map((s) => html`<p>${s}</p>`)}
<h2>2. Prognose per gemeente</h2>
<table><thead><tr><th>Gemeente</th><th class="n">Begroting ${d.year}</th><th class="n">Prognose ${d.year}</th><th class="n">80%-bandbreedte</th><th class="n">Verschil</th><th class="n">%</th></tr></thead><tbody>${rows}
<tr class="total"><td>${t.name}</td><td class="n">${money(t.budgetCents)}</td><td class="n">${euro(t.forecastCents)}</td><td class="n">${euro(t.lowCents)} – ${euro(t.highCents)}</td><td class="n">${t.differenceCents === null ? '—' : signedEuro(t.differenceCents)}</td><td class="n">${signedPct(t.differenceShare)}</td></tr></tbody></table>
<p class="small muted">Verschil = prognose − begroting; positief is een verwachte overschrijding.</p>
<h2>3. Belangrijkste oorzaken</h2>
<p>${d.causes.totalSentence} (${d.periodLabel} vergeleken met ${d.previousPeriodLabel}, even ver gedeclareerd.)</p>
<h3>Naar categorie</h3>${causeTable(d.causes.categories, 'Categorie', d)}
${d.causes.categories.map((c) => html`<p>${c.sentence}</p>`)}
<h3>Naar aanbieder</h3>${causeTable(d.causes.providers, 'Aanbieder', d)}
<h2>4. Aandeel per gemeente</h2>
<p>Verdeelsleutel: ${d.keyLabel}.${d.budgetsComplete ? html` Te verdelen: het verschil tussen prognose en begroting van de regio, ${signedEuro(t.differenceCents ?? 0)}.` : ' Niet alle begrotingen zijn ingevoerd; het aandeel in het tekort kan nog niet worden berekend.'}</p>
<table class="avoid"><thead><tr><th>Gemeente</th><th class="n">Aandeel sleutel</th><th class="n">Eigen verschil (prognose − begroting)</th><th class="n">Aandeel in verschil regio</th><th class="n">Aandeel − eigen verschil</th>${hasRes ? html`<th class="n">Gereserveerd</th><th class="n">Tegenvaller (+) / meevaller (−)</th>` : ''}</tr></thead><tbody>${shareRows}
<tr class="total"><td>Totaal</td><td class="n">100%</td><td class="n">${t.differenceCents === null ? '—' : signedEuro(t.differenceCents)}</td><td class="n">${t.shareCents === null ? '—' : signedEuro(t.shareCents)}</td><td class="n">${t.differenceCents === null ? '—' : signedEuro(0)}</td>${hasRes ? html`<td class="n">${money(t.reservationCents)}</td><td class="n">${t.balanceCents === null ? '—' : signedEuro(t.balanceCents)}</td>` : ''}</tr></tbody></table>
${OWN_VS_SHARE_INTRO(d)}${d.rows.filter((r) => r.ownVsShare || r.reservation).map((r) => html`<p class="small"><b>${r.name}.</b> ${[r.ownVsShare?.sentence, r.reservation?.sentence].filter(Boolean).join(' ')}</p>`)}
<h2>5. Maatregelen</h2>${burapMeasuresHtml(d)}
<h2>6. Voorgesteld besluit</h2>
<p>Het dagelijks bestuur stelt het algemeen bestuur voor:</p>
<ol class="decision">${d.decision.map((x) => html`<li>${x}</li>`)}</ol>
<h2>Verantwoording</h2>${d.notes.map((n) => html`<p class="small">${n}</p>`)}
</div>`;
  return page(`Concept bestuursrapportage jeugdhulp ${d.year}-${d.half}`, body);
}
