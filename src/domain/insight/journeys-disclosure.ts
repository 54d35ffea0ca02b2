/**
 * What of Cliëntroutes an aggregate role (raad, partner) may see: the one rule the page (and anything else
 * that publishes routes) follows.
 *
 * - Whole calendar years only, as everywhere else for these roles. Any month range gave two overlapping
 *   periods (January–June and January–July) whose figures differ by what a few clients did: in a hand case
 *   the median waiting time of January–July was the waiting time of the one request of July
 *   (src/web/routes-periods.attack.test.ts).
 * - A waiting-time percentile (nearest rank) is always one allocation's own waiting time. It is published
 *   only when at least `MIN_CLIENTS` allocations lie on either side of its rank: the median from 21
 *   allocations, the 90th percentile from 100. Over 11 allocations the 90th percentile is the second
 *   longest wait, one child's exact number of days (same test file). The mean is published from
 *   `MIN_CLIENTS` allocations in whole days, the number of allocations rounded to 5.
 */
import type { MonthKey } from '../month.js';
import { MIN_CLIENTS, roundCount } from '../suppression.js';
import type { WaitingStats } from './journeys.js';

/** Null when an aggregate role may see the routes of `from`…`to`, else the reason in Dutch. */
export function routesPeriodRefusal(aggregate: boolean, from: MonthKey, to: MonthKey): string | null {
  if (!aggregate) return null;
  const wholeYear = from.endsWith('-01') && to.endsWith('-12') && from.slice(0, 4) === to.slice(0, 4);
  return wholeYear ? null : 'kies een heel kalenderjaar (bijv. 2025)';
}

/**
 * Whether the nearest-rank `p`-percentile of `n` values may be published to an aggregate role: at least
 * `MIN_CLIENTS` values rank below it and at least as many above it.
 */
export function percentileProtected(n: number, p: number): boolean {
  const rank = Math.max(1, Math.ceil(p * n));
  return rank - 1 >= MIN_CLIENTS && n - rank >= MIN_CLIENTS;
}

/** The fewest values from which the `p`-percentile may be published to an aggregate role (median 21, p90 100). */
export function percentileMinimum(p: number): number {
  let n = 1;
  while (!percentileProtected(n, p)) n++;
  return n;
}

/** Waiting times as published: null fields are not shown. */
export interface PublishedWaiting {
  /** Exact for analysts; rounded to 5 for aggregate roles. */
  allocations: number;
  medianDays: number | null;
  /** Exact (one decimal) for analysts; whole days for aggregate roles. */
  meanDays: number | null;
  p90Days: number | null;
}

/**
 * The waiting times (request → start) a viewer may see; null when none (no allocations, or for an aggregate
 * role fewer than `MIN_CLIENTS`).
 */
export function publishedWaiting(aggregate: boolean, w: WaitingStats | null): PublishedWaiting | null {
  if (!w || w.allocations <= 0) return null;
  if (!aggregate)
    return { allocations: w.allocations, medianDays: w.medianDays, meanDays: w.meanDays, p90Days: w.p90Days };
  if (w.allocations < MIN_CLIENTS) return null;
  return {
    allocations: roundCount(w.allocations),
    medianDays: percentileProtected(w.allocations, 0.5) ? w.medianDays : null,
    meanDays: w.meanDays === null ? null : Math.round(w.meanDays),
    p90Days: percentileProtected(w.allocations, 0.9) ? w.p90Days : null,
  };
}
