/**
 * The forecast's parts that the gemeente page (and the overview) show beside the figures: how reliable it has
 * been, why it changed, the chance of an overrun and the track of published forecasts. The sentences come
 * from the domain (the same on the A4, the maand report and the API); here they are only escaped and laid out.
 */
import { componentsForAggregate } from '../../domain/forecast/explain.js';
import {
  overrunProbability,
  revisionLead,
  type ForecastExplanation,
  type ForecastHistory,
  type RegionForecast,
} from '../../app/forecast.js';
import type { BacktestReport } from '../../domain/forecast/backtest.js';
import { chanceText, reliabilityOf, reliabilityText } from '../../domain/forecast/reliability.js';
import { asOfMonthNumber } from '../../domain/forecast/yearEnd.js';
import { formatDateNl } from '../../domain/month.js';
import { vintageTrackOption } from '../../charts/echarts.js';
import { chart, euro } from '../layout.js';
import { html, joinHtml, type SafeHtml } from '../html.js';

/** The one reliability sentence for a municipality at the forecast's stand. */
export function reliabilitySentence(
  bt: { municipality: string; report: BacktestReport }[],
  code: string,
  year: number,
  asOf: string,
): string {
  const report = bt.find((b) => b.municipality === code)?.report;
  return reliabilityText(report ? reliabilityOf(report.cases, asOfMonthNumber(year, asOf)) : null);
}

/** "kans op overschrijding 73%" of a municipality's forecast against its budget (null without a budget or forecast). */
export function overrunChance(forecast: RegionForecast, code: string, budgetCents: number | null): number | null {
  const fc = forecast.municipalities.find((m) => m.municipality === code);
  if (!fc || budgetCents === null) return null;
  return overrunProbability(fc, budgetCents, forecast.calibration.municipalities);
}

export function overrunText(p: number | null): string {
  return p === null ? '' : `kans op overschrijding ${chanceText(p)}`;
}

/** "Waarom veranderde de prognose?": one sentence per component that moved it. */
export function explanationHtml(
  e: ForecastExplanation & { since: 'vintage' | 'month' },
  code: string,
  showCases = false,
  aggregate = false,
): SafeHtml {
  const m = e.municipalities.find((x) => x.municipality === code);
  if (!m) return html``;
  const head = revisionLead(e, m, aggregate);
  // The hand-marked special cases by their reasons: only for analysts (showCases), never for aggregate roles.
  const cases = (c: { cases?: string[] }) =>
    showCases && c.cases?.length
      ? html`<ul>${c.cases.map((x) => html`<li>met de hand gemarkeerd: ${x}</li>`)}</ul>`
      : '';
  // Aggregate roles: the components' direction and cause, largest first, without amounts (componentsForAggregate).
  const items = aggregate
    ? joinHtml(
        componentsForAggregate(m.components).map((c) => html`<li>${c.text}</li>`),
        '',
      )
    : joinHtml(
        m.components.filter((c) => c.cents !== 0).map((c) => html`<li>${c.text}${cases(c)}</li>`),
        '',
      );
  const note =
    aggregate && items.html
      ? html`<p class="note">Oorzaken van groot naar klein. Bedragen per oorzaak staan hier niet: ze kunnen rusten op de declaraties van enkele cliënten.</p>`
      : '';
  return html`<section class="why"><h2>Waarom veranderde de prognose?</h2><p>${head}</p>${items.html ? html`<ul>${items}</ul>` : ''}${note}</section>`;
}

/** The track of published forecasts of the year for one scope, with the budget and (once known) the outcome. */
export function vintageTrackHtml(
  history: ForecastHistory[],
  scope: string,
  budgetCents: number | null,
  year: number,
): SafeHtml {
  const h = history.find((x) => x.scope === scope);
  if (!h || !h.vintages.length)
    return html`<p class="note">Nog geen gepubliceerde prognoses voor ${year} (publiceren: <code>grip forecast publish --year ${year}</code>).</p>`;
  const rows = joinHtml(
    h.vintages.map(
      (v) =>
        html`<tr><th scope="row">${v.label ?? `versie ${v.id}`}</th><td>${formatDateNl(v.asOf)}</td><td class="n">${euro(v.forecastCents)}</td><td class="n">${euro(v.lowCents)} – ${euro(v.highCents)}</td></tr>`,
    ),
    '',
  );
  const foot = html`<tr class="total"><th scope="row">Begroting</th><td></td><td class="n">${euro(budgetCents)}</td><td></td></tr><tr class="total"><th scope="row">Uitkomst</th><td></td><td class="n">${h.actualCents === null ? 'nog niet bekend' : euro(h.actualCents)}</td><td></td></tr>`;
  const picture =
    h.vintages.length > 1 || h.actualCents !== null
      ? chart(
          vintageTrackOption(
            h.vintages.map((v) => ({
              forecastCents: v.forecastCents,
              lowCents: v.lowCents,
              highCents: v.highCents,
              label: `${v.label ?? `versie ${v.id}`} (${formatDateNl(v.asOf)})`,
            })),
            budgetCents,
            h.actualCents,
          ),
          1000,
          260,
          `Gepubliceerde prognoses ${year}: elke versie met haar 80%-interval, de begroting en (zodra bekend) de uitkomst`,
        )
      : '';
  return html`${picture}<table><caption>Gepubliceerde prognoses ${year}</caption><thead><tr><th scope="col">Versie</th><th scope="col">Stand</th><th scope="col" class="n">Prognose</th><th scope="col" class="n">80%-interval</th></tr></thead><tbody>${rows}${foot}</tbody></table>`;
}
