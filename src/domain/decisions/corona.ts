/**
 * Corona revenue-loss check (omzetderving), seed 002 (the DB's reaction to Hendrik-Ido-Ambacht,
 * Hoeksche Waard, Sliedrecht and the Werkgroep Jeugd): "De inkomstenderving per maand voor de maanden
 * maart tot en met juni wordt conform landelijke afspraken vastgesteld als gemiddelde gevalideerde omzet
 * 2019 minus omzet in die maanden in 2020 welke eveneens gevalideerd wordt."
 *
 * Per provider and month M (March–June of `year`):
 * - baseline  = validated revenue of all production months of `year − 1` / 12, rounded to cents once;
 * - at the peildatum (the date the compensation is fixed): revenue(M) = validated revenue of production
 *   month M declared on or before the peildatum; provisional loss = max(0, baseline − max(0, revenue));
 * - catch-up care (inhaalzorg): validated lines for month M declared after the peildatum. The final loss
 *   counts them: final = max(0, baseline − max(0, revenue + late)). The difference provisional − final
 *   is netted ("verrekend"): compensation already paid for care that was declared after all, so nothing
 *   is paid twice. A negative difference means late credits raised the loss.
 * - Validated: not rejected in a JW325 (the warehouse's `toegekend` basis).
 * - Per municipality: a provider's losses are split over municipalities by their share of its baseline
 *   year revenue (largest remainder, so the parts add up to the cent); a municipality without baseline
 *   revenue with that provider gets no part. The late (catch-up) amounts are each municipality's own.
 * - Signal, not netted: revenue above the baseline in the months after June of `year` may also be
 *   catch-up care, declared for a later production month.
 */
import type { Cents } from '../money.js';
import { monthRange, type IsoDate, type MonthKey } from '../month.js';

/** Validated and rejected revenue of one provider × municipality × production month × declaration date. */
export interface CoronaInputRow {
  provider: string;
  municipality: string;
  /** Production month (ProductPeriode). */
  month: MonthKey;
  declarationDate: IsoDate;
  /** Net (debit − credit) amount of lines not rejected in a JW325. */
  validatedCents: Cents;
  validatedLines: number;
  /** Net amount and count of lines rejected in a JW325 (shown, not used). */
  rejectedCents: Cents;
  rejectedLines: number;
}

export interface CoronaOptions {
  /** The crisis year (2020). The baseline is the year before. */
  year: number;
  /** The date the compensation was fixed; later declarations for the months count as catch-up care. */
  peildatum: IsoDate;
  /** Months checked; default March–June of `year`. */
  months?: MonthKey[];
}

export interface CoronaMonth {
  month: MonthKey;
  baselineCents: Cents;
  /** Validated revenue of the month declared on or before the peildatum. */
  revenueCents: Cents;
  /** Validated revenue of the month declared after the peildatum (catch-up care). */
  lateCents: Cents;
  /** Loss at the peildatum: max(0, baseline − revenue). */
  provisionalLossCents: Cents;
  /** Loss counting the late declarations. */
  finalLossCents: Cents;
  /** provisional − final: compensation to net against the catch-up care. */
  nettedCents: Cents;
}

export interface CoronaTotals {
  provisionalLossCents: Cents;
  finalLossCents: Cents;
  nettedCents: Cents;
  lateCents: Cents;
}

export interface CoronaMunicipalityShare extends CoronaTotals {
  municipality: string;
  baselineYearCents: Cents;
}

export interface CoronaProvider {
  provider: string;
  baselineYearCents: Cents;
  baselineCents: Cents;
  months: CoronaMonth[];
  totals: CoronaTotals;
  /** Late validated declarations exist for a month that had a provisional loss. */
  catchUpDetected: boolean;
  /** Sum over later months of `year` of revenue above the baseline (signal only). */
  laterExcessCents: Cents;
  municipalities: CoronaMunicipalityShare[];
}

export interface CoronaMunicipality extends CoronaTotals {
  municipality: string;
  providers: number;
}

export interface CoronaReport {
  year: number;
  baselineYear: number;
  peildatum: IsoDate;
  months: MonthKey[];
  providers: CoronaProvider[];
  municipalities: CoronaMunicipality[];
  totals: CoronaTotals;
}

const zeroTotals = (): CoronaTotals => ({ provisionalLossCents: 0, finalLossCents: 0, nettedCents: 0, lateCents: 0 });

function addTotals(t: CoronaTotals, x: CoronaTotals): void {
  t.provisionalLossCents += x.provisionalLossCents;
  t.finalLossCents += x.finalLossCents;
  t.nettedCents += x.nettedCents;
  t.lateCents += x.lateCents;
}

/** Splits `total` over weights (≥ 0) by largest remainder; ties go to the earlier key. */
export function splitByWeights(total: Cents, weights: { key: string; weight: number }[]): Map<string, Cents> {
  const out = new Map<string, Cents>();
  const sum = weights.reduce((s, w) => s + w.weight, 0);
  if (sum <= 0 || total === 0) {
    for (const w of weights) out.set(w.key, 0);
    return out;
  }
  const sign = total < 0 ? -1 : 1;
  const abs = Math.abs(total);
  const parts = weights.map((w, i) => {
    const exact = (abs * w.weight) / sum;
    return { key: w.key, i, floor: Math.floor(exact), rest: exact - Math.floor(exact) };
  });
  let left = abs - parts.reduce((s, p) => s + p.floor, 0);
  for (const p of [...parts].sort((a, b) => b.rest - a.rest || a.i - b.i)) {
    if (left <= 0) break;
    p.floor++;
    left--;
  }
  for (const p of parts) out.set(p.key, sign * p.floor);
  return out;
}

/** Rounds x/12 to whole cents, half away from zero. */
const twelfth = (x: Cents): Cents => Math.sign(x) * Math.round(Math.abs(x) / 12);

export function coronaCheck(rows: readonly CoronaInputRow[], opts: CoronaOptions): CoronaReport {
  const baselineYear = opts.year - 1;
  const months = opts.months ?? monthRange(`${opts.year}-03`, `${opts.year}-06`);
  const checked = new Set(months);
  const laterMonths = new Set(monthRange(`${opts.year}-07`, `${opts.year}-12`).filter((m) => !checked.has(m)));
  const inBaseline = (m: MonthKey) => m.startsWith(`${baselineYear}-`);

  interface Acc {
    baselineYear: Map<string, Cents>; // per municipality
    onTime: Map<MonthKey, Cents>;
    late: Map<MonthKey, Cents>;
    later: Map<MonthKey, Cents>;
    lateByMunicipality: Map<string, Cents>;
  }
  const byProvider = new Map<string, Acc>();
  const add = (m: Map<string, Cents>, k: string, v: Cents) => m.set(k, (m.get(k) ?? 0) + v);
  for (const r of rows) {
    let a = byProvider.get(r.provider);
    if (!a)
      byProvider.set(
        r.provider,
        (a = {
          baselineYear: new Map(),
          onTime: new Map(),
          late: new Map(),
          later: new Map(),
          lateByMunicipality: new Map(),
        }),
      );
    if (inBaseline(r.month)) add(a.baselineYear, r.municipality, r.validatedCents);
    else if (checked.has(r.month)) {
      const late = r.declarationDate > opts.peildatum;
      add(late ? a.late : a.onTime, r.month, r.validatedCents);
      if (late) add(a.lateByMunicipality, r.municipality, r.validatedCents);
    } else if (laterMonths.has(r.month)) add(a.later, r.month, r.validatedCents);
  }

  const providers: CoronaProvider[] = [];
  for (const [provider, a] of [...byProvider].sort(([x], [y]) => x.localeCompare(y))) {
    const baselineYearCents = [...a.baselineYear.values()].reduce((s, v) => s + v, 0);
    const baselineCents = Math.max(0, twelfth(baselineYearCents));
    const monthRows: CoronaMonth[] = months.map((month) => {
      const revenueCents = a.onTime.get(month) ?? 0;
      const lateCents = a.late.get(month) ?? 0;
      const provisionalLossCents = Math.max(0, baselineCents - Math.max(0, revenueCents));
      const finalLossCents = Math.max(0, baselineCents - Math.max(0, revenueCents + lateCents));
      return {
        month,
        baselineCents,
        revenueCents,
        lateCents,
        provisionalLossCents,
        finalLossCents,
        nettedCents: provisionalLossCents - finalLossCents,
      };
    });
    const totals = zeroTotals();
    for (const m of monthRows) addTotals(totals, m);
    const laterExcessCents = [...a.later.values()].reduce((s, v) => s + Math.max(0, v - baselineCents), 0);
    const weights = [...a.baselineYear]
      .filter(([, v]) => v > 0)
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([key, weight]) => ({ key, weight }));
    const split = (t: Cents) => splitByWeights(t, weights);
    const prov = split(totals.provisionalLossCents);
    const fin = split(totals.finalLossCents);
    const keys = [...new Set([...weights.map((w) => w.key), ...a.lateByMunicipality.keys()])].sort();
    const municipalities = keys.map((key) => ({
      municipality: key,
      baselineYearCents: a.baselineYear.get(key) ?? 0,
      provisionalLossCents: prov.get(key) ?? 0,
      finalLossCents: fin.get(key) ?? 0,
      nettedCents: (prov.get(key) ?? 0) - (fin.get(key) ?? 0),
      lateCents: a.lateByMunicipality.get(key) ?? 0,
    }));
    providers.push({
      provider,
      baselineYearCents,
      baselineCents,
      months: monthRows,
      totals,
      catchUpDetected: monthRows.some((m) => m.lateCents > 0 && m.provisionalLossCents > 0),
      laterExcessCents,
      municipalities,
    });
  }

  const muni = new Map<string, CoronaMunicipality>();
  for (const p of providers)
    for (const s of p.municipalities) {
      const m = muni.get(s.municipality) ?? { municipality: s.municipality, providers: 0, ...zeroTotals() };
      addTotals(m, s);
      m.providers++;
      muni.set(s.municipality, m);
    }
  const totals = zeroTotals();
  for (const p of providers) addTotals(totals, p.totals);
  return {
    year: opts.year,
    baselineYear,
    peildatum: opts.peildatum,
    months,
    providers,
    municipalities: [...muni.values()].sort((x, y) => x.municipality.localeCompare(y.municipality)),
    totals,
  };
}
