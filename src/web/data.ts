/**
 * What the pages share: the warehouse's status, the forecast and the back-test, computed once per data
 * version (the last import) and reused by every page and API call until the next import.
 */
import {
  forecastHistory,
  latestExplanation,
  regionBacktest,
  regionForecast,
  type ForecastExplanation,
  type ForecastHistory,
  type RegionForecast,
} from '../app/forecast.js';
import { protectedProducts, protectedYear, type ProtectedYear } from '../app/disclosure.js';
import type { ProtectedCell } from '../domain/disclosure.js';
import type { BacktestReport } from '../domain/forecast/backtest.js';
import type { IsoDate } from '../domain/month.js';
import type { ProviderNames } from '../domain/providers.js';
import type { CostQuery, CostRow, StatusReport, Warehouse } from '../warehouse/warehouse.js';

const STATUS_TTL_MS = 3_000;
/** At most this many cached results; beyond it the cache starts afresh (filters make keys unbounded). */
const MAX_CACHED = 2_000;

export class WebData {
  private statusAt = 0;
  private statusP: Promise<StatusReport> | null = null;
  private version = '';
  private memo = new Map<string, Promise<unknown>>();
  private warmUps: ((data: WebData) => Promise<unknown>)[] = [];
  private warmP: Promise<void> = Promise.resolve();

  private namesAt = 0;
  private namesP: Promise<ProviderNames> | null = null;

  constructor(readonly warehouse: Warehouse) {}

  /** AGB code → provider name from the register, re-read at most every few seconds (an import of the register bumps no data version). */
  providerNames(): Promise<ProviderNames> {
    const now = Date.now();
    if (!this.namesP || now - this.namesAt > STATUS_TTL_MS) {
      this.namesAt = now;
      this.namesP = this.warehouse.providers().then((rows) => new Map(rows.map((p) => [p.agb, p.name])));
      this.namesP.catch(() => (this.namesP = null));
    }
    return this.namesP;
  }

  /**
   * Work to start in the background whenever a new data version is seen (and at the first status read):
   * the region pages' heavy aggregates, so the first visitor after an import does not wait for them (on
   * PostgreSQL at national size the first overview took 8–11 s). Failures are ignored: the page recomputes.
   */
  warmUpWith(fn: (data: WebData) => Promise<unknown>): void {
    this.warmUps.push(fn);
  }

  /** The warehouse status, re-read at most every few seconds; a new import clears the caches. */
  async status(): Promise<StatusReport> {
    const now = Date.now();
    if (!this.statusP || now - this.statusAt > STATUS_TTL_MS) {
      this.statusAt = now;
      this.statusP = this.warehouse.status();
      const st = await this.statusP.catch((e: unknown) => {
        this.statusP = null;
        throw e;
      });
      const v = `${st.lastImport}|${st.declarationLines}|${st.totalCents}`;
      if (v !== this.version) {
        this.version = v;
        this.memo.clear();
        if (st.declarationLines)
          this.warmP = Promise.all(this.warmUps.map((w) => w(this).catch(() => {}))).then(() => undefined);
      }
    }
    return this.statusP;
  }

  /** Resolves when the background work for the current data version is done (for benchmarks and tests). */
  async warm(): Promise<void> {
    await this.status();
    await this.warmP;
  }

  /**
   * A cached computation if it is (or becomes) ready within `waitMs`; otherwise null while it goes on in the
   * background, so a page can say it is being computed instead of keeping the visitor waiting.
   */
  async cachedWithin<T>(key: string, fn: () => Promise<T>, waitMs: number): Promise<T | null> {
    const p = this.cached(key, fn);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs)));
    try {
      return await Promise.race([p, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Caches a computation for the current data version. */
  async cached<T>(key: string, fn: () => Promise<T>): Promise<T> {
    await this.status();
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      if (this.memo.size >= MAX_CACHED) this.memo.clear();
      p = fn();
      this.memo.set(key, p);
      p.catch(() => this.memo.delete(key));
    }
    return p;
  }

  /** Aggregates of the ledger, cached until the next import (the ledger does not change in between). */
  costs(q: CostQuery): Promise<CostRow[]> {
    return this.cached(`costs:${JSON.stringify(q)}`, () => this.warehouse.costs(q));
  }

  /** The protected tables of a year: the only source of figures for aggregate roles (raad, partner). */
  protectedYear(year: number): Promise<ProtectedYear> {
    return this.cached(`protected:${year}`, () => protectedYear((q) => this.costs(q), year));
  }

  /** The products within one municipality's category, protected as a line of that cell. */
  async protectedProducts(year: number, code: string, category: string): Promise<Map<string, ProtectedCell>> {
    const py = await this.protectedYear(year);
    return this.cached(`protected-products:${year}:${code}:${category}`, () =>
      protectedProducts((q) => this.costs(q), py, code, category),
    );
  }

  /** The latest production year with data (or this year when empty). */
  async currentYear(): Promise<number> {
    const st = await this.status();
    return Number((st.lastMonth ?? new Date().toISOString()).slice(0, 4));
  }

  async asOf(): Promise<IsoDate> {
    return (await this.status()).lastDeclarationDate ?? new Date().toISOString().slice(0, 10);
  }

  forecast(year: number, asOf?: IsoDate): Promise<RegionForecast> {
    return this.cached(`forecast:${year}:${asOf ?? ''}`, async () =>
      regionForecast(this.warehouse, year, asOf ?? (await this.asOf())),
    );
  }

  /** Back-test (rolling origin) over every year whose run-off is complete, per municipality: the same on every page and report. */
  backtest(_year?: number): Promise<{ municipality: string; report: BacktestReport }[]> {
    return this.cached('backtest', () => regionBacktest(this.warehouse));
  }

  /** The published forecasts of a year per scope (a municipality or 'regio'). */
  /**
   * Not cached: publishing a forecast (from the CLI, another process) changes no data version, and the
   * page must show a new vintage at once. The query is small.
   */
  vintages(year: number): Promise<ForecastHistory[]> {
    return forecastHistory(this.warehouse, year);
  }

  /** Why the forecast of `year` changed up to the current stand (app/forecast.ts latestExplanation); recomputed when a vintage is published. */
  async explanation(year: number): Promise<ForecastExplanation & { since: 'vintage' | 'month' }> {
    const latest =
      (await this.vintages(year)).find((h) => h.scope === 'regio')?.vintages.reduce((m, v) => Math.max(m, v.id), 0) ??
      0;
    return this.cached(`explain:${year}:${latest}`, async () =>
      latestExplanation(this.warehouse, year, await this.asOf()),
    );
  }
}
