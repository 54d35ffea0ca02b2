/**
 * The forecast as the CLI, the web app and the reports use it: gathers the ledger's aggregates through the
 * warehouse interface and hands them to the pure domain (src/domain/forecast). Computed once, shown anywhere.
 */
import { forecastYearEnd, type YearEndForecast } from '../domain/forecast/yearEnd.js';
import { backtest, type BacktestReport } from '../domain/forecast/backtest.js';
import type { IsoDate } from '../domain/month.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface MunicipalityForecast extends YearEndForecast {
  municipality: string;
}

export interface RegionForecast {
  year: number;
  asOf: IsoDate;
  municipalities: MunicipalityForecast[];
  total: Pick<YearEndForecast, 'declaredCents' | 'ibnrCents' | 'remainingCents' | 'forecastCents' | 'lowCents' | 'highCents'>;
}

/** The latest declaration date in the warehouse, or today when it is empty. */
export async function defaultAsOf(w: Warehouse, today = new Date()): Promise<IsoDate> {
  return (await w.status()).lastDeclarationDate ?? today.toISOString().slice(0, 10);
}

async function inputs(w: Warehouse, asOf: IsoDate | undefined, municipalities?: string[]) {
  const [cells, clients] = await Promise.all([w.runoff({ asOf, municipalities }), w.clientsByMonth({ asOf, municipalities })]);
  const first = cells.reduce((m, c) => (c.month < m ? c.month : m), '9999-12');
  const last = cells.reduce((m, c) => (c.month > m ? c.month : m), '0000-01');
  const active = cells.length ? await w.activeAllocations({ from: first, to: `${last.slice(0, 4)}-12`, asOf, municipalities }) : [];
  const group = <T extends { municipality: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.municipality, [...(m.get(r.municipality) ?? []), r]);
    return m;
  };
  return { cells: group(cells), clients: group(clients), active: group(active) };
}

/** Year-end forecast per municipality (all with data, or the ones asked for) and the region total. */
export async function regionForecast(w: Warehouse, year: number, asOf?: IsoDate, municipalities?: string[]): Promise<RegionForecast> {
  const at = asOf ?? (await defaultAsOf(w));
  const d = await inputs(w, at, municipalities);
  const out: MunicipalityForecast[] = [];
  for (const [municipality, cells] of [...d.cells].sort(([a], [b]) => a.localeCompare(b))) {
    const f = forecastYearEnd({
      year,
      asOf: at,
      cells: cells.map(({ month, declarationMonth, amountCents }) => ({ month, declarationMonth, amountCents })),
      clients: (d.clients.get(municipality) ?? []).map(({ month, clients }) => ({ month, clients })),
      activeAllocations: (d.active.get(municipality) ?? []).map(({ month, allocations, clients }) => ({ month, allocations, clients })),
    });
    out.push({ municipality, ...f });
  }
  const sum = (k: 'declaredCents' | 'ibnrCents' | 'remainingCents' | 'forecastCents') => out.reduce((s, m) => s + m[k], 0);
  // The region's interval: the municipalities' errors are correlated (common trend, common lag), so neither
  // adding their intervals nor treating them as independent is right. The region's own series is forecast
  // once more and its relative interval is applied to the sum of the municipalities' forecasts.
  const forecastCents = sum('forecastCents');
  const regionCells = [...d.cells.values()].flat();
  const region = regionCells.length
    ? forecastYearEnd({
        year,
        asOf: at,
        cells: regionCells.map(({ month, declarationMonth, amountCents }) => ({ month, declarationMonth, amountCents })),
        clients: mergeByMonth([...d.clients.values()].flat(), ['clients']),
        activeAllocations: mergeByMonth([...d.active.values()].flat(), ['allocations', 'clients']),
      })
    : null;
  const rel = (k: 'lowCents' | 'highCents') => (region && region.forecastCents ? region[k] / region.forecastCents : 1);
  return {
    year,
    asOf: at,
    municipalities: out,
    total: {
      declaredCents: sum('declaredCents'),
      ibnrCents: sum('ibnrCents'),
      remainingCents: sum('remainingCents'),
      forecastCents,
      lowCents: Math.min(forecastCents, Math.round(forecastCents * rel('lowCents'))),
      highCents: Math.max(forecastCents, Math.round(forecastCents * rel('highCents'))),
    },
  };
}

/** Back-test of the year-end forecast for the region's municipalities over past years. */
export async function regionBacktest(w: Warehouse, years: number[], municipalities?: string[]): Promise<{ municipality: string; report: BacktestReport }[]> {
  const d = await inputs(w, undefined, municipalities);
  const out: { municipality: string; report: BacktestReport }[] = [];
  for (const [municipality, cells] of [...d.cells].sort(([a], [b]) => a.localeCompare(b))) {
    out.push({
      municipality,
      report: backtest({
        cells: cells.map(({ month, declarationMonth, amountCents }) => ({ month, declarationMonth, amountCents })),
        clients: (d.clients.get(municipality) ?? []).map(({ month, clients }) => ({ month, clients })),
        activeAllocations: (d.active.get(municipality) ?? []).map(({ month, allocations, clients }) => ({ month, allocations, clients })),
        years,
      }),
    });
  }
  return out;
}

/** Sums numeric fields of rows per month (municipalities → region). */
function mergeByMonth<K extends string>(rows: ({ month: string } & Record<K, number>)[], keys: K[]): ({ month: string } & Record<K, number>)[] {
  const m = new Map<string, { month: string } & Record<K, number>>();
  for (const r of rows) {
    const acc = m.get(r.month) ?? ({ month: r.month, ...Object.fromEntries(keys.map((k) => [k, 0])) } as { month: string } & Record<K, number>);
    for (const k of keys) (acc as Record<K, number>)[k] += r[k];
    m.set(r.month, acc);
  }
  return [...m.values()].sort((a, b) => a.month.localeCompare(b.month));
}
