/**
 * Costly clients and families, and "bijzondere casussen": a family with several children placed out of home.
 *
 * What links clients into a family (never the BSN — only pseudonyms and keys are stored):
 * 1. the `family` column of the warehouse: a family key given in the input — the CSV column `family` on a
 *    declaration line, or `allocations.family`, which the importer derives from the parents (COD472 Soort
 *    10 Ouder) in a JW301's Client/Relaties: by the parent's BSN, pseudonymised, or else by surname and birth
 *    date, as a keyed hash (ingest/family.ts). A client's key is the largest key seen on any of its lines or
 *    allocations (one key per client, stable between runs);
 * 2. a client without a key is a family on its own (a household of one: `keyed` is false), so the
 *    costliest-families list also shows costly single clients.
 * Families are counted per municipality.
 *
 * Out of home (uithuisplaatsing): a client with net cost in, or an allocation running in, a residential
 * category during the period: JZ020 43/44 (verblijf incl./excl. behandeling) and the 2015 categories
 * 35–38 (pleegzorg, gezinsgericht, gesloten, overig residentieel).
 */
import type { Cents } from '../money.js';
import type { MonthKey } from '../month.js';

export const OUT_OF_HOME_CATEGORIES: readonly string[] = ['43', '44', '35', '36', '37', '38'];
export const DEFAULT_SPECIAL_CASE_CHILDREN = 3;

export interface FamilyQuery {
  /** First and last production month of the period looked at. */
  from: MonthKey;
  to: MonthKey;
  /** CBS codes; undefined = all, [] = none. */
  municipalities?: string[];
  /** Costliest families (or clients) per municipality to return (default 10). */
  top?: number;
  /** A family with at least this many children placed out of home is a bijzondere casus (default 3). */
  minChildren?: number;
}

export interface FamilyCostRow {
  municipality: string;
  /** The family key, or the client pseudonym for a client without one (keyed = false). */
  family: string;
  keyed: boolean;
  /** Clients (children) in the family with cost or an out-of-home allocation in the period. */
  clients: number;
  outOfHomeClients: number;
  amountCents: Cents;
  /** Net cost in the out-of-home categories. */
  outOfHomeCents: Cents;
  /** 1 = costliest family of the municipality in the period. */
  rank: number;
}

export interface MunicipalityCostTotal {
  municipality: string;
  amountCents: Cents;
  clients: number;
}

export interface FamilyCosts {
  from: MonthKey;
  to: MonthKey;
  minChildren: number;
  /** The `top` costliest families per municipality plus every family with ≥ minChildren placed out of home. */
  families: FamilyCostRow[];
  totals: MunicipalityCostTotal[];
}

export interface ClientCostRow {
  municipality: string;
  client: string;
  family: string | null;
  amountCents: Cents;
  outOfHome: boolean;
  categories: string[];
  providers: number;
  rank: number;
}

export interface SpecialCase {
  municipality: string;
  family: string;
  clients: number;
  outOfHomeClients: number;
  amountCents: Cents;
  /** Share of the municipality's net cost in the period (0–1). */
  share: number;
}

export interface SpecialCaseSummary {
  municipality: string;
  totalCents: Cents;
  specialCents: Cents;
  /** The municipality's cost "zonder bijzondere casussen". */
  withoutSpecialCents: Cents;
  share: number;
  cases: SpecialCase[];
}

export const isSpecialCase = (
  f: Pick<FamilyCostRow, 'keyed' | 'outOfHomeClients'>,
  minChildren = DEFAULT_SPECIAL_CASE_CHILDREN,
): boolean => f.keyed && f.outOfHomeClients >= minChildren;

/** Per municipality: its bijzondere casussen, their cost and share, and the cost without them. */
export function specialCases(input: FamilyCosts, minChildren = input.minChildren): SpecialCaseSummary[] {
  const out: SpecialCaseSummary[] = [];
  for (const t of input.totals) {
    const cases = input.families
      .filter((f) => f.municipality === t.municipality && isSpecialCase(f, minChildren))
      .map((f) => ({
        municipality: f.municipality,
        family: f.family,
        clients: f.clients,
        outOfHomeClients: f.outOfHomeClients,
        amountCents: f.amountCents,
        share: t.amountCents > 0 ? f.amountCents / t.amountCents : 0,
      }))
      .sort((a, b) => b.amountCents - a.amountCents || a.family.localeCompare(b.family));
    const specialCents = cases.reduce((s, c) => s + c.amountCents, 0);
    out.push({
      municipality: t.municipality,
      totalCents: t.amountCents,
      specialCents,
      withoutSpecialCents: t.amountCents - specialCents,
      share: t.amountCents > 0 ? specialCents / t.amountCents : 0,
      cases,
    });
  }
  return out.sort((a, b) => a.municipality.localeCompare(b.municipality));
}

/** The costliest families of a municipality, in rank order (limit: how many). */
export function costliestFamilies(input: FamilyCosts, municipality: string, limit = 10): FamilyCostRow[] {
  return input.families
    .filter((f) => f.municipality === municipality)
    .sort((a, b) => a.rank - b.rank)
    .slice(0, limit);
}

export interface MonthAmount {
  municipality: string;
  month: MonthKey;
  amountCents: Cents;
}

/** A monthly cost series minus the cost of the bijzondere casussen in the same months ("zonder bijzondere casussen"). */
export function withoutSpecialCases(series: readonly MonthAmount[], special: readonly MonthAmount[]): MonthAmount[] {
  const sp = new Map(special.map((s) => [`${s.municipality}\u0000${s.month}`, s.amountCents]));
  return series.map((s) => ({ ...s, amountCents: s.amountCents - (sp.get(`${s.municipality}\u0000${s.month}`) ?? 0) }));
}

/** A short, stable display name for a family key or client pseudonym (the key is already a pseudonym). */
export function shortKey(key: string): string {
  return key.length > 12 ? `${key.slice(0, 10)}…` : key;
}
