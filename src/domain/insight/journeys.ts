/**
 * Client journeys and referral routes.
 *
 * Episode: one allocation (JW301, latest version of a ToewijzingNummer) from its Ingangsdatum to the
 * earliest of its Einddatum and its stop date (JW307 Einddatum). A client without any allocation in the
 * municipality (CSV input) gets episodes from its declarations instead: per provider × allocation number ×
 * category, from the first ProductPeriode start to the last end; such an episode counts as ended once its
 * last period lies more than three months before the horizon (declaration lag).
 * Horizon: the as-of date, or else the latest declaration date in the warehouse.
 *
 * Flows (for a Sankey): clients whose first episode in the municipality starts in the period, as
 * referrer (COD327 of the first allocation) → first category → next category (the first later episode
 * with another category, if any) → end (`lopend` while any episode runs past the horizon, else `afgesloten`).
 *
 * Request → start: days from the JW315 (its message date, else its requested start date) to the first
 * JW305 start of the allocation it led to (matched on ReferentieAanbieder; else the allocation start).
 *
 * Re-entry: an exit is the end of an episode with no other episode of the client running on or starting
 * within `continuationDays` (default 31) after it — a renewal is not an exit. A re-entry is a new episode
 * starting within 12 months (365 days) after an exit. Exits whose 12 months run past the horizon are not
 * yet observable and are left out of the rate.
 */
import { at } from '../indexing.js';
import type { Cents } from '../money.js';
import type { IsoDate, MonthKey } from '../month.js';
import { PRODUCT_CATEGORIES, REFERRERS } from '../codes/index.js';

export const DEFAULT_CONTINUATION_DAYS = 31;
/** A re-entry: a new episode within this many days (12 months) after an exit. */
export const RE_ENTRY_WINDOW_DAYS = 365;
/** An episode known only from declarations has ended once its last period lies this many days (three months) before the horizon. */
export const DECLARED_EPISODE_LAG_DAYS = 92;

export interface JourneyQuery {
  /** Period: first episodes (flows), requests (request → start) or exits (re-entry) in these months. */
  from: MonthKey;
  to: MonthKey;
  municipalities?: string[];
  /** Horizon date; default: the latest declaration date in the warehouse. */
  asOf?: IsoDate;
  continuationDays?: number;
}

export interface FlowRow {
  municipality: string;
  referrer: string;
  firstCategory: string;
  /** null: no later episode with another category. */
  nextCategory: string | null;
  end: 'lopend' | 'afgesloten';
  clients: number;
}

export interface WaitingRow {
  municipality: string;
  days: number;
  allocations: number;
}

export interface ReEntryRow {
  municipality: string;
  exits: number;
  /** Exits at least 12 months before the horizon. */
  observable: number;
  /** Observable exits followed by a new episode within 12 months. */
  reEntries: number;
}

export type JourneyEventKind = 'request' | 'allocation' | 'start' | 'declarations' | 'stop';

export interface JourneyEvent {
  date: IsoDate;
  kind: JourneyEventKind;
  municipality: string;
  provider: string;
  allocationNumber: string | null;
  category: string | null;
  product: string | null;
  /** request: referrer type; stop: JZ588 reason; allocation: "start … end"; declarations: "2025-01 … 2025-06, 6 regels". */
  detail: string | null;
  amountCents: Cents | null;
  fileName: string;
  sourceLine: number;
}

const KIND_ORDER: Record<JourneyEventKind, number> = { request: 0, allocation: 1, start: 2, declarations: 3, stop: 4 };

/** Orders a client's events in time (request → allocation → start → declarations → stop on the same day). */
export function orderJourney(events: readonly JourneyEvent[]): JourneyEvent[] {
  return [...events].sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      (a.allocationNumber ?? '').localeCompare(b.allocationNumber ?? ''),
  );
}

export const JOURNEY_KIND_NL: Readonly<Record<JourneyEventKind, string>> = {
  request: 'aanvraag (JW315)',
  allocation: 'toewijzing (JW301)',
  start: 'start zorg (JW305)',
  declarations: 'declaraties (JW323)',
  stop: 'stop zorg (JW307)',
};

export interface SankeyNode {
  id: string;
  label: string;
  level: number;
}
export interface SankeyLink {
  source: string;
  target: string;
  value: number;
}

/**
 * Sankey nodes and links from flow rows (summed over municipalities): referrer → first category →
 * next category → end. A client without a next category flows from its first category straight to the end.
 */
export function sankey(rows: readonly FlowRow[]): { nodes: SankeyNode[]; links: SankeyLink[] } {
  const nodes = new Map<string, SankeyNode>();
  const links = new Map<string, SankeyLink>();
  const node = (level: number, key: string, label: string) => {
    const id = `${level}:${key}`;
    if (!nodes.has(id)) nodes.set(id, { id, label, level });
    return id;
  };
  const link = (source: string, target: string, value: number) => {
    const k = `${source}\u0000${target}`;
    const l = links.get(k);
    if (l) l.value += value;
    else links.set(k, { source, target, value });
  };
  const cat = (c: string) => `${c} ${PRODUCT_CATEGORIES[c] ?? ''}`.trim();
  for (const r of rows) {
    if (r.clients <= 0) continue;
    const ref = node(0, r.referrer, REFERRERS[r.referrer] ?? r.referrer);
    const first = node(1, r.firstCategory, cat(r.firstCategory));
    const end = node(3, r.end, r.end === 'lopend' ? 'Lopend' : 'Afgesloten');
    link(ref, first, r.clients);
    if (r.nextCategory) {
      const next = node(2, r.nextCategory, `daarna ${cat(r.nextCategory)}`);
      link(first, next, r.clients);
      link(next, end, r.clients);
    } else link(first, end, r.clients);
  }
  const byLevel = (a: SankeyNode, b: SankeyNode) => a.level - b.level || a.id.localeCompare(b.id);
  return {
    nodes: [...nodes.values()].sort(byLevel),
    links: [...links.values()].sort(
      (a, b) => b.value - a.value || a.source.localeCompare(b.source) || a.target.localeCompare(b.target),
    ),
  };
}

export interface WaitingStats {
  municipality: string | null;
  allocations: number;
  medianDays: number | null;
  meanDays: number | null;
  p90Days: number | null;
  /** Allocations whose care started before the request was dated (retroactive allocations). */
  negative: number;
}

/** Nearest-rank percentile of a days histogram (sorted ascending by days). */
function percentile(hist: readonly { days: number; n: number }[], total: number, p: number): number | null {
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const h of hist) {
    seen += h.n;
    if (seen >= rank) return h.days;
  }
  return at(hist, hist.length - 1).days;
}

/** Median, mean and 90th percentile of request → start days, per municipality and (municipality null) for all. */
export function waitingStats(rows: readonly WaitingRow[]): WaitingStats[] {
  const groups = new Map<string | null, { days: number; n: number }[]>();
  for (const r of rows) {
    for (const k of [r.municipality, null]) {
      const g = groups.get(k) ?? [];
      g.push({ days: r.days, n: r.allocations });
      groups.set(k, g);
    }
  }
  const out: WaitingStats[] = [];
  for (const [municipality, raw] of groups) {
    const merged = new Map<number, number>();
    for (const h of raw) merged.set(h.days, (merged.get(h.days) ?? 0) + h.n);
    const hist = [...merged].map(([days, n]) => ({ days, n })).sort((a, b) => a.days - b.days);
    const total = hist.reduce((s, h) => s + h.n, 0);
    out.push({
      municipality,
      allocations: total,
      medianDays: percentile(hist, total, 0.5),
      meanDays: total ? Math.round((hist.reduce((s, h) => s + h.days * h.n, 0) / total) * 10) / 10 : null,
      p90Days: percentile(hist, total, 0.9),
      negative: hist.filter((h) => h.days < 0).reduce((s, h) => s + h.n, 0),
    });
  }
  return out.sort((a, b) => (a.municipality ?? '\uffff').localeCompare(b.municipality ?? '\uffff'));
}

export interface ReEntryRate {
  municipality: string | null;
  exits: number;
  observable: number;
  reEntries: number;
  /** reEntries ÷ observable; null when no exit is observable yet. */
  rate: number | null;
}

/** Re-entry rate within 12 months per municipality and (municipality null) for all. */
export function reEntryRates(rows: readonly ReEntryRow[]): ReEntryRate[] {
  const all = { municipality: null, exits: 0, observable: 0, reEntries: 0 };
  const out: ReEntryRate[] = [];
  for (const r of [...rows].sort((a, b) => a.municipality.localeCompare(b.municipality))) {
    all.exits += r.exits;
    all.observable += r.observable;
    all.reEntries += r.reEntries;
    out.push({ ...r, rate: r.observable ? r.reEntries / r.observable : null });
  }
  out.push({ ...all, rate: all.observable ? all.reEntries / all.observable : null });
  return out;
}
