/**
 * Test helper: the hand case of "even ver gedeclareerd" at the same lag (app/like-for-like.test.ts and
 * web/like-for-like.test.ts). Production January–September of 2025 and of 2026 in the two municipalities of
 * twoMunicipalityLines (each month declared on its last day; Alblasserdam's category 45 at € 1.000 a client in
 * 2025 and € 1.050 in 2026), plus three lines of Alblasserdam (0482), category 45:
 * - September 2025, clients 1 and 2, € 617 each (€ 1.234), declared 15-10-2025: after the month's end
 *   (30-09-2025) but before the same day a year before the latest declaration (17-10-2025) — it counts;
 * - August 2025, client 3, € 300, declared 20-10-2025: after 17-10-2025 (and before 31-10-2025) — it does not;
 * - September 2026, client 4, € 500, declared 17-10-2026: the latest declaration date.
 * The figures below are worked out by hand from those lines.
 */
import { monthRange } from '../../domain/month.js';
import { twoMunicipalityLines, type DeclarationSpec } from './ledger.js';

const lines: DeclarationSpec[] = [
  ...twoMunicipalityLines([...monthRange('2025-01', '2025-09'), ...monthRange('2026-01', '2026-09')], (month) =>
    month.startsWith('2025') ? 100_000 : 105_000,
  ),
  {
    municipality: '0482',
    month: '2025-09',
    client: 1,
    category: '45',
    amountCents: 61_700,
    declarationDate: '2025-10-15',
  },
  {
    municipality: '0482',
    month: '2025-09',
    client: 2,
    category: '45',
    amountCents: 61_700,
    declarationDate: '2025-10-15',
  },
  {
    municipality: '0482',
    month: '2025-08',
    client: 3,
    category: '45',
    amountCents: 30_000,
    declarationDate: '2025-10-20',
  },
  {
    municipality: '0482',
    month: '2026-09',
    client: 4,
    category: '45',
    amountCents: 50_000,
    declarationDate: '2026-10-17',
  },
];

/** Alblasserdam, January–September 2025: 9 months × (20 × € 1.000 in 45 + 15 × € 800 in 43). */
const BASE_2025 = 9 * (20 * 100_000 + 15 * 80_000); // € 288.000

export const LAG = {
  lines,
  /** Alblasserdam, January–September 2026 as known on 17-10-2026: 9 × (20 × € 1.050 + 15 × € 800) + € 500. */
  now0482: 9 * (20 * 105_000 + 15 * 80_000) + 50_000, // € 297.500
  /** January–September 2025 as known on 17-10-2025 (the same lag): with the € 1.234 of 15-10-2025. */
  sameLag0482: BASE_2025 + 2 * 61_700, // € 289.234
  sameLag0482_45: 9 * 20 * 100_000 + 2 * 61_700, // € 181.234
  sameLag0482_43: 9 * 15 * 80_000, // € 108.000
  /** As known on 30-09-2025 (September's last day a year earlier: main before this fix): none of the late lines. */
  monthEnd0482: BASE_2025, // € 288.000
  /** As known now (the council's comparison): with the € 300 of 20-10-2025 as well. */
  known0482: BASE_2025 + 2 * 61_700 + 30_000, // € 289.534
};
