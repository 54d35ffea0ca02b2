/**
 * Special cases marked by hand (bijzondere casussen), as `grip special-cases`, the Bijzondere casussen page and
 * the forecast use them. An analyst marks a client (its pseudonym `p_…`), a family (its family key) or an
 * allocation (its number, optionally with the provider) of one municipality as a special case, with a reason and
 * a period of production months. Their lines count in the special-case run-off (warehouse specialCaseRunoff), so
 * the forecast shows them apart ("zonder bijzondere casussen") and the explanation of a forecast change names them.
 *
 * Privacy: a subject is never a BSN — a client is given by its pseudonym, and a family key or allocation number
 * that is a valid BSN is refused. The reason is free text for analysts; aggregate roles never see cases.
 */
import { isValidBsn } from '../domain/bsn.js';
import { cbsMunicipality, normaliseMunicipalityCode } from '../domain/codes/index.js';
import { GripError } from '../domain/errors.js';
import type { Cents } from '../domain/money.js';
import { formatMonthNl, formatPeriodNl, isMonthKey, type IsoDate, type MonthKey } from '../domain/month.js';
import { SPECIAL_CASE_KINDS, type MarkedSpecialCase, type SpecialCaseKind } from '../warehouse/types.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export { SPECIAL_CASE_KINDS };
export type { MarkedSpecialCase, SpecialCaseKind };

export const SPECIAL_CASE_KIND_NL: Record<SpecialCaseKind, string> = {
  client: 'cliënt',
  family: 'gezin',
  allocation: 'toewijzing',
};

export interface NewSpecialCase {
  municipality: string;
  kind: string;
  subject: string;
  provider?: string | null;
  reason: string;
  from: string;
  to?: string | null;
}

const PSEUDONYM = /^p_[0-9a-f]{20}$/;
const bad = (field: string, message: string) => new GripError('BAD_INPUT', message, { element: field });

/** Checks a new case; returns it normalised, or throws a Dutch error naming the field. */
export function validateSpecialCase(
  x: NewSpecialCase,
): Omit<MarkedSpecialCase, 'id' | 'removedBy' | 'removedAt' | 'enteredBy' | 'enteredAt'> {
  const municipality = normaliseMunicipalityCode(x.municipality.trim());
  if (!municipality || !cbsMunicipality(municipality))
    throw bad('municipality', `"${x.municipality}" is geen CBS-gemeentecode (bijv. 0482)`);
  const kind = x.kind.trim() as SpecialCaseKind;
  if (!SPECIAL_CASE_KINDS.includes(kind))
    throw bad('kind', `soort moet een van deze zijn: ${SPECIAL_CASE_KINDS.join(', ')}`);
  const subject = x.subject.trim();
  if (!subject) throw bad('subject', 'geef de cliënt (pseudoniem), de gezinssleutel of het toewijzingsnummer');
  // Never a BSN: a client by its pseudonym only; a BSN given as a family key or allocation number is refused.
  const digits = subject.replace(/\s/g, '');
  if (/^\d{8,9}$/.test(digits) && isValidBsn(digits) && kind !== 'allocation')
    throw bad(
      'subject',
      'dit lijkt een BSN; het BSN staat niet in Grip — geef het pseudoniem (p_…) of de gezinssleutel zoals Grip die toont',
    );
  if (kind === 'client' && !PSEUDONYM.test(subject))
    throw bad(
      'subject',
      `een cliënt wordt aangewezen met het pseudoniem zoals Grip dat toont (p_ en 20 tekens), niet "${subject.slice(0, 24)}"`,
    );
  if (kind === 'family' && subject.length > 200) throw bad('subject', 'een gezinssleutel is ten hoogste 200 tekens');
  if (kind === 'allocation' && !/^[A-Za-z0-9-]{1,20}$/.test(subject))
    throw bad('subject', `"${subject.slice(0, 24)}" is geen toewijzingsnummer`);
  const provider = x.provider?.trim() || null;
  if (provider !== null && (kind !== 'allocation' || !/^\d{8}$/.test(provider)))
    throw bad(
      'provider',
      kind === 'allocation'
        ? 'een aanbieder is een AGB-code van 8 cijfers'
        : 'een aanbieder hoort alleen bij een toewijzing',
    );
  const reason = x.reason.trim();
  if (!reason) throw bad('reason', 'geef een reden');
  if (reason.length > 500) throw bad('reason', 'de reden is ten hoogste 500 tekens');
  const from = x.from.trim();
  if (!isMonthKey(from)) throw bad('from', `"${from}" is geen maand (JJJJ-MM)`);
  const to = x.to?.trim() || null;
  if (to !== null && !isMonthKey(to)) throw bad('to', `"${to}" is geen maand (JJJJ-MM)`);
  if (to !== null && to < from) throw bad('to', `de periode eindigt (${to}) vóór ze begint (${from})`);
  return { municipality, kind, subject, provider, reason, from, to };
}

/** Marks a case; returns it with what its lines cost so far (zero when nothing in the ledger matches yet). */
export async function addSpecialCase(
  w: Warehouse,
  x: NewSpecialCase,
  who: { enteredBy: string; enteredAt?: string },
): Promise<SpecialCaseWithCost> {
  const c = validateSpecialCase(x);
  const id = await w.addSpecialCase({
    ...c,
    enteredBy: who.enteredBy,
    enteredAt: who.enteredAt ?? new Date().toISOString(),
  });
  const [stored] = (await listSpecialCases(w, { municipalities: [c.municipality] })).filter((s) => s.id === id);
  if (!stored) throw new GripError('NOT_FOUND', `bijzondere casus ${id} is niet opgeslagen`);
  return stored;
}

export interface SpecialCaseWithCost extends MarkedSpecialCase {
  /** Net declared for its lines (on or before asOf), clients among them. */
  amountCents: Cents;
  clients: number;
}

/** The active cases (of some municipalities), each with what its lines cost (declared on or before `asOf`). */
export async function listSpecialCases(
  w: Warehouse,
  q: { municipalities?: string[]; asOf?: IsoDate; includeRemoved?: boolean } = {},
): Promise<SpecialCaseWithCost[]> {
  const [cases, costs] = await Promise.all([
    w.markedSpecialCases({ municipalities: q.municipalities, includeRemoved: q.includeRemoved }),
    w.markedCaseCosts({ municipalities: q.municipalities, asOf: q.asOf }),
  ]);
  const by = new Map(costs.map((c) => [c.id, c]));
  return cases.map((c) => ({ ...c, amountCents: by.get(c.id)?.amountCents ?? 0, clients: by.get(c.id)?.clients ?? 0 }));
}

/** Removes (stamps) an active case, only within `municipalities` when given. */
export async function removeSpecialCase(
  w: Warehouse,
  id: number,
  who: { by: string; at?: string; municipalities?: string[] },
): Promise<void> {
  if (!(await w.removeSpecialCase(id, who.by, who.at ?? new Date().toISOString(), who.municipalities)))
    throw new GripError(
      'NOT_FOUND',
      `er is geen actieve bijzondere casus met nummer ${id}${who.municipalities ? ' bij deze gemeente' : ''}`,
    );
}

/** A case's period as the UI shows it: "maart t/m december 2025", or "vanaf maart 2025" when open-ended. */
export const periodNl = (from: MonthKey, to: MonthKey | null) =>
  to ? formatPeriodNl(from, to) : `vanaf ${formatMonthNl(from)}`;

/** "Crisisplaatsing (cliënt, maart t/m december 2025)" — how the explanation and lists name a case. */
export function specialCaseLabel(c: Pick<MarkedSpecialCase, 'kind' | 'reason' | 'from' | 'to'>): string {
  return `${c.reason} (${SPECIAL_CASE_KIND_NL[c.kind]}, ${periodNl(c.from, c.to)})`;
}

/** A case's period as raw month keys, for the CLI: "2025-03 t/m 2025-12", or "vanaf 2025-03". */
export const periodIso = (from: MonthKey, to: MonthKey | null) => (to ? `${from} t/m ${to}` : `vanaf ${from}`);
