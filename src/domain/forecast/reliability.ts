/**
 * How reliable the forecast has been: the back-test's figures at the as-of month of the year, and the one
 * sentence every surface (gemeente page, A4, maand report, API) shows for it.
 */
import type { BacktestCase } from './backtest.js';
import { NL_MONTHS } from '../month.js';

export interface Reliability {
  /** The as-of month within the year (1..12) the back-test looked at. */
  asOfMonth: number;
  years: number[];
  /** Grip's mean absolute % error (fraction) at this as-of month; null without back-test years. */
  mape: number | null;
  /** Grip's mean signed error (fraction): below 0 the forecast ran low. */
  bias: number | null;
  /** The naive run-rate's (declared × 12 / months). */
  naiveMape: number | null;
  /** Last year's ratio (the controller's own method). */
  lastYearMape: number | null;
  /** Cases whose final actual fell inside the 80% interval, out of `cases` (out-of-sample intervals only). */
  inside: number;
  cases: number;
}

/** The reliability at `asOfMonth` from back-test cases (one entity's, or several pooled). */
export function reliabilityOf(cases: readonly BacktestCase[], asOfMonth: number): Reliability {
  const cs = cases.filter((c) => c.asOfMonth === asOfMonth);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
  const rel = (v: number, c: BacktestCase) => (v - c.actualCents) / c.actualCents;
  const withInterval = cs.filter((c) => c.lowCents !== null && c.highCents !== null);
  return {
    asOfMonth,
    years: [...new Set(cs.map((c) => c.year))].sort(),
    mape: mean(cs.map((c) => Math.abs(rel(c.gripCents, c)))),
    bias: mean(cs.map((c) => rel(c.gripCents, c))),
    naiveMape: mean(cs.map((c) => Math.abs(rel(c.naiveCents, c)))),
    lastYearMape: mean(cs.filter((c) => c.lastYearCents !== null).map((c) => Math.abs(rel(c.lastYearCents!, c)))),
    inside: withInterval.filter((c) => c.actualCents >= c.lowCents! && c.actualCents <= c.highCents!).length,
    cases: withInterval.length,
  };
}

/** The one Dutch sentence about the forecast's reliability. */
export function reliabilityText(r: Reliability | null): string {
  if (!r || r.mape === null || !r.years.length)
    return 'Nog te weinig afgesloten jaren om de prognose terug te toetsen.';
  const years = r.years.length > 1 ? `${r.years[0]}–${r.years[r.years.length - 1]}` : String(r.years[0]);
  const pct = (x: number) =>
    `${(x * 100).toLocaleString('nl-NL', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
  let head = `Terugtoets ${years}: met de stand in ${NL_MONTHS[r.asOfMonth - 1] ?? ''} week de prognose gemiddeld ${pct(r.mape)} af van de uiteindelijke kosten`;
  if (r.bias !== null)
    head += ` (${Math.abs(r.bias) < 0.0005 ? 'zonder richting' : r.bias < 0 ? `gemiddeld ${pct(-r.bias)} te laag` : `gemiddeld ${pct(r.bias)} te hoog`})`;
  const alt: string[] = [];
  if (r.lastYearMape !== null) alt.push(`vorig jaar als maatstaf: ${pct(r.lastYearMape)}`);
  if (r.naiveMape !== null) alt.push(`simpel doortrekken: ${pct(r.naiveMape)}`);
  let s = `${head}${alt.length ? `; ${alt.join(', ')}` : ''}.`;
  s += r.cases
    ? ` De uitkomst lag in ${r.inside} van de ${r.cases} gevallen binnen de 80%-bandbreedte.`
    : ' De bandbreedte is nog niet terug te toetsen.';
  return s;
}

/** A chance as a whole percentage, never a certain 0% or 100% (the back-test has only so many cases). */
export function chanceText(p: number): string {
  if (p > 0.99) return 'meer dan 99%';
  if (p < 0.01) return 'minder dan 1%';
  return `${Math.round(p * 100)}%`;
}
