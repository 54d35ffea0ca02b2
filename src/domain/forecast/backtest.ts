/** Back-test: Grip's year-end forecast vs the naive run-rate vs the final actual, per as-of month. */
import { lastDayOfMonth } from '../month.js';
import { forecastYearEnd, type RunoffCell, type YearEndInput } from './yearEnd.js';

export interface BacktestCase {
  year: number;
  asOfMonth: number;
  actualCents: number;
  gripCents: number;
  naiveCents: number;
  lowCents: number;
  highCents: number;
}

export interface BacktestReport {
  cases: BacktestCase[];
  byAsOfMonth: { asOfMonth: number; gripMape: number; naiveMape: number; ratio: number; coverage: number }[];
  coverage: number;
}

export function backtest(input: { cells: RunoffCell[]; clients?: YearEndInput['clients']; activeAllocations?: YearEndInput['activeAllocations']; years: number[]; asOfMonths?: number[] }): BacktestReport {
  const asOfMonths = input.asOfMonths ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const cases: BacktestCase[] = [];
  for (const year of input.years) {
    const actual = input.cells.filter((c) => c.month.startsWith(`${year}-`)).reduce((s, c) => s + c.amountCents, 0);
    if (actual <= 0) continue;
    for (const k of asOfMonths) {
      const asOfMonth = `${year}-${String(k).padStart(2, '0')}`;
      const f = forecastYearEnd({ year, asOf: lastDayOfMonth(asOfMonth), cells: input.cells, clients: input.clients, activeAllocations: input.activeAllocations });
      cases.push({ year, asOfMonth: k, actualCents: actual, gripCents: f.forecastCents, naiveCents: Math.round((f.declaredCents * 12) / k), lowCents: f.lowCents, highCents: f.highCents });
    }
  }
  const byAsOfMonth = asOfMonths.map((k) => {
    const cs = cases.filter((c) => c.asOfMonth === k);
    const mape = (get: (c: BacktestCase) => number) => cs.reduce((s, c) => s + Math.abs(get(c) - c.actualCents) / c.actualCents, 0) / Math.max(1, cs.length);
    const gripMape = mape((c) => c.gripCents);
    const naiveMape = mape((c) => c.naiveCents);
    return { asOfMonth: k, gripMape, naiveMape, ratio: naiveMape > 0 ? gripMape / naiveMape : 0, coverage: cs.filter((c) => c.actualCents >= c.lowCents && c.actualCents <= c.highCents).length / Math.max(1, cs.length) };
  });
  return { cases, byAsOfMonth, coverage: cases.filter((c) => c.actualCents >= c.lowCents && c.actualCents <= c.highCents).length / Math.max(1, cases.length) };
}
