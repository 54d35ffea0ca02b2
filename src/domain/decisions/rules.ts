/**
 * The rules for changing a stored decision case, apart from the storage: what must exist before a view point,
 * a reaction, a commitment or a vote is added, which ids they get, and what a vote does to the proposal's
 * dates. The warehouse (warehouse/sql/decisions.ts) reads the little state these need and writes what they
 * decide; the sentences are Dutch because they go straight to the user (web form, CLI).
 */
import type { IsoDate } from '../month.js';
import type { Stance, Vote } from './types.js';

/** A change to a decision case that the rules refuse; its message is for the user (Dutch). */
export class DecisionInputError extends Error {}

/** A proposal must exist before anything is added to it. */
export function requireProposal(exists: boolean, proposalId: string): void {
  if (!exists) throw new DecisionInputError(`Voorstel ${proposalId} bestaat niet.`);
}

/** A new case may not take the id of a stored proposal. */
export function requireNewProposal(exists: boolean, proposalId: string): void {
  if (exists) throw new DecisionInputError(`Voorstel ${proposalId} bestaat al.`);
}

/** The id of a council's view point: `<municipality>-<number>`. */
export const viewPointId = (municipality: string, number: string): string => `${municipality}-${number}`;

/** The stance of a view created by its first point (the council said nothing explicit yet). */
export const DEFAULT_VIEW_STANCE: Stance = 'geen-expliciet-standpunt';

/**
 * What adding a point to a council's view does: refuses a point number the council already used; creates the
 * view (stance DEFAULT_VIEW_STANCE) when the council had none; sets the view's received date when the point
 * brings one that differs from the view's.
 */
export function planViewPoint(
  p: { municipality: string; number: string; received?: IsoDate | null },
  state: { pointExists: boolean; view: { received: IsoDate | null } | null },
): { pointId: string; createView: boolean; setReceived: IsoDate | null } {
  if (state.pointExists) throw new DecisionInputError(`Punt ${p.number} van deze gemeente bestaat al.`);
  const pointId = viewPointId(p.municipality, p.number);
  if (!state.view) return { pointId, createView: true, setReceived: null };
  return {
    pointId,
    createView: false,
    setReceived: p.received && state.view.received !== p.received ? p.received : null,
  };
}

/** A reaction answers a point of the proposal's views. */
export function requirePoint(exists: boolean, pointId: string): void {
  if (!exists) throw new DecisionInputError(`Punt ${pointId} bestaat niet bij dit voorstel.`);
}

/**
 * What recording an AB vote does to the proposal: only a member of the AB at this proposal votes; a vote needs
 * the date of the AB meeting, given now or stored before. A date given sets the vote date, and the AB's
 * decision date when the proposal has none yet.
 */
export function planVote(
  proposalId: string,
  proposal: { members: readonly string[]; voteDate: IsoDate | null; decidedByAbOn: IsoDate | null } | null,
  v: Pick<Vote, 'municipality'>,
  date?: IsoDate,
): { setVoteDate: IsoDate | null; setDecidedByAbOn: IsoDate | null } {
  if (!proposal) throw new DecisionInputError(`Voorstel ${proposalId} bestaat niet.`);
  if (!proposal.members.includes(v.municipality))
    throw new DecisionInputError(`Gemeente ${v.municipality} is geen lid van het AB bij dit voorstel.`);
  if (!date && !proposal.voteDate)
    throw new DecisionInputError('Geef de datum van de AB-vergadering waarin is gestemd.');
  if (!date) return { setVoteDate: null, setDecidedByAbOn: null };
  return { setVoteDate: date, setDecidedByAbOn: proposal.decidedByAbOn ? null : date };
}
