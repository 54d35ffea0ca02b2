// The gemeente page's "Tekort" table: a setback (tegenvaller) and a windfall (meevaller) each read as a
// positive amount under their own name. Figures by hand: share − reservation.
import { describe, expect, it } from 'vitest';
import type { DeficitRow, DeficitView } from '../../app/deficit.js';
import { deficitHtml } from './deficit-parts.js';

function view(shareCents: number, reservationCents: number): DeficitView {
  const row: DeficitRow = {
    municipality: '0482',
    name: 'Alblasserdam',
    budgetCents: 1_000_000_00,
    forecastCents: 1_100_000_00,
    ownCents: 100_000_00,
    keyBasis: 1,
    keyFraction: 0.1,
    shareCents,
    reservationCents,
    balanceCents: shareCents - reservationCents,
    ownVsShare: null,
    reservation: null,
  };
  return {
    year: 2026,
    asOf: '2026-11-05',
    key: 'usage',
    keyLabel: 'eigen gebruik',
    rows: [row],
    region: {
      budgetCents: null,
      forecastCents: 0,
      resultCents: 1_000_000_00,
      reservationCents: null,
      balanceCents: null,
    },
    missingBudgets: [],
    splitError: null,
    forecast: {} as DeficitView['forecast'], // not read by the section
  };
}

const cells = (h: string) =>
  [
    ...h.matchAll(/<tr><th scope="row">([^<]*)<\/th><td class="note">([^<]*)<\/td><td class="n">([^<]*)<\/td><\/tr>/g),
  ].map((m) => [m[1], m[2], m[3]]);

describe('deficitHtml', () => {
  it('shows a setback as share − reservation with a plus', () => {
    // Seed 000 (Burap case): € 660.000 share, € 600.000 reserved → € 60.000 still to come.
    const rows = cells(String(deficitHtml(view(660_000_00, 600_000_00), '0482', false)));
    expect(rows).toContainEqual(['Tegenvaller', 'aandeel − reservering', '+€ 60.000']);
  });
  it('shows a windfall as reservation − share, without a minus', () => {
    // € 52.899 share against € 430.000 reserved: € 377.101 reserved more than needed.
    const rows = cells(String(deficitHtml(view(52_899_00, 430_000_00), '0482', false)));
    expect(rows).toContainEqual(['Meevaller', 'reservering − aandeel', '€ 377.101']);
    expect(rows.flat().join(' ')).not.toMatch(/-€ 377/);
  });
});
