/**
 * The gemeente page's "Tekort" section: the own result (own forecast − own budget), the share of the region's
 * result under the key, their difference with the sentence saying why, the reservation and what is still to come
 * — the figures of app/deficit.ts, the same as in the Burap.
 */
import type { DeficitView } from '../../app/deficit.js';
import { formatDateNl } from '../../domain/month.js';
import { EXAMPLE_MARK, euro, html, pct, qs, term, type SafeHtml } from '../layout.js';

const signed = (c: number | null) => (c === null ? '—' : `${c > 0 ? '+' : ''}${euro(c)}`);

export function deficitHtml(v: DeficitView, code: string, example: boolean): SafeHtml {
  const r = v.rows.find((x) => x.municipality === code);
  if (!r) return html``;
  const budgetLink = html`<a href="${`/begroting${qs({ year: v.year, municipality: code })}`}">begroting</a>${example ? EXAMPLE_MARK : ''}`;
  if (r.ownCents === null)
    return html`<section class="deficit"><h2>Tekort ${v.year}</h2><p class="note">Geen ${budgetLink} ingevoerd: het eigen resultaat en het aandeel in het resultaat van de regio zijn niet te bepalen.</p></section>`;
  const rows: [string, string, string][] = [
    ['Eigen resultaat', 'eigen prognose − eigen begroting', signed(r.ownCents)],
  ];
  if (r.shareCents !== null) {
    rows.push([
      'Aandeel in het resultaat van de regio',
      `naar ${v.keyLabel}: ${pct(r.keyFraction)} van ${signed(v.region.resultCents)}`,
      signed(r.shareCents),
    ]);
    rows.push(['Verschil', 'aandeel − eigen resultaat', signed(r.ownVsShare?.differenceCents ?? null)]);
    rows.push([
      'Reservering',
      r.reservationCents === null
        ? 'niet ingevoerd (grip budget import-reservations)'
        : 'gereserveerd voor het aandeel',
      r.reservationCents === null ? '—' : euro(r.reservationCents),
    ]);
    // A windfall reads as a positive amount under its own name (reservation − share), not as a minus.
    if (r.balanceCents !== null)
      rows.push(
        r.balanceCents < 0
          ? ['Meevaller', 'reservering − aandeel', euro(-r.balanceCents)]
          : [r.balanceCents > 0 ? 'Tegenvaller' : 'Nog te dekken', 'aandeel − reservering', signed(r.balanceCents)],
      );
  }
  const why = [r.ownVsShare?.sentence, r.reservation?.sentence].filter((x): x is string => !!x);
  const missing = v.missingBudgets.length
    ? html`<p class="note">Het aandeel in het resultaat van de regio is niet te bepalen: niet alle gemeenten hebben een begroting ${v.year} ingevoerd.</p>`
    : v.splitError
      ? html`<p class="note">${v.splitError}</p>`
      : '';
  return html`<section class="deficit"><h2>${term(`Tekort ${v.year}: eigen resultaat, aandeel en reservering`, 'tekort')}</h2>
<table><caption>Stand per ${formatDateNl(v.asOf)}; ${budgetLink} en prognose zoals op deze pagina</caption><thead><tr><th scope="col"></th><th scope="col"></th><th scope="col" class="n">Bedrag</th></tr></thead>
<tbody>${rows.map(([k, s, c]) => html`<tr><th scope="row">${k}</th><td class="note">${s}</td><td class="n">${c}</td></tr>`)}</tbody></table>
${why.map((s) => html`<p>${s}</p>`)}${missing}</section>`;
}
