/**
 * What Grip derives from a decision case: the vote tally and result, each view's deadline status with
 * its reactions, and the open commitments on a given date.
 */
import type { IsoDate } from '../month.js';
import {
  addWeeks,
  daysBetween,
  reactionDueFor,
  viewTimeliness,
  wgrRulesOn,
  type DeadlineRules,
  type TimelinessStatus,
} from './deadlines.js';
import type {
  Commitment,
  DecisionCase,
  Reaction,
  ReactionStatus,
  Theme,
  ViewPoint,
  Vote,
  VoteRecord,
  VoteResult,
  Zienswijze,
} from './types.js';

export interface VoteTally {
  members: number;
  voor: number;
  tegen: number;
  onthouding: number;
  afwezig: number;
  /** Members present (all but `afwezig`). */
  present: number;
  quorum: boolean;
  result: VoteResult;
  /** Votes not in the member list, and members who appear twice: a tally with these is not trusted. */
  problems: string[];
}

/**
 * The AB decides by majority, one member per municipality: a quorum is more than half of the members
 * present; the proposal is adopted with more than half of the votes cast (voor + tegen); a tie is
 * "staken der stemmen". Members without a vote count as absent.
 */
export function tallyVotes(record: Pick<VoteRecord, 'votes'>, members: string[]): VoteTally {
  const problems: string[] = [];
  const byMember = new Map<string, Vote>();
  for (const v of record.votes) {
    if (!members.includes(v.municipality)) problems.push(`stem van ${v.municipality}: geen lid`);
    else if (byMember.has(v.municipality)) problems.push(`${v.municipality} stemt twee keer`);
    else byMember.set(v.municipality, v);
  }
  const count = (c: Vote['choice']) => members.filter((m) => (byMember.get(m)?.choice ?? 'afwezig') === c).length;
  const voor = count('voor');
  const tegen = count('tegen');
  const onthouding = count('onthouding');
  const afwezig = count('afwezig');
  const present = members.length - afwezig;
  const quorum = present * 2 > members.length;
  const cast = voor + tegen;
  const result: VoteResult = !quorum
    ? 'geen quorum'
    : voor * 2 > cast
      ? 'aangenomen'
      : voor === tegen
        ? 'staken'
        : 'verworpen';
  return { members: members.length, voor, tegen, onthouding, afwezig, present, quorum, result, problems };
}

export interface PointWithReaction extends ViewPoint {
  reaction: Reaction | null;
}

export interface ViewStatus {
  municipality: string;
  zienswijze: Zienswijze | null;
  termEnd: IsoDate;
  timeliness: TimelinessStatus;
  reactionDue: IsoDate | null;
  /** Reaction given (AB treated the nota) by the due date; null when either date is unknown. */
  reactionOnTime: boolean | null;
  points: PointWithReaction[];
  statusCounts: Record<ReactionStatus, number>;
}

const emptyCounts = (): Record<ReactionStatus, number> => ({ overgenomen: 0, deels: 0, niet: 0, kennisgenomen: 0 });

/** Per member municipality: its view, whether it was in time, the reactions, and the reaction term. */
export function viewStatuses(
  c: DecisionCase,
  rules: DeadlineRules = wgrRulesOn(c.proposal.sentForViewOn),
): ViewStatus[] {
  const termEnd = addWeeks(c.proposal.sentForViewOn, rules.viewTermWeeks);
  const reactions = new Map(c.nota.reactions.map((r) => [r.pointId, r]));
  const answered = c.nota.sentOn ?? c.nota.treatedByAbOn;
  return c.members.map((m) => {
    const z = c.zienswijzen.find((x) => x.municipality === m) ?? null;
    const points = (z?.points ?? []).map((p) => ({ ...p, reaction: reactions.get(p.id) ?? null }));
    const statusCounts = emptyCounts();
    for (const p of points) if (p.reaction) statusCounts[p.reaction.status]++;
    const reactionDue = z ? reactionDueFor(z, termEnd, rules) : null;
    return {
      municipality: m,
      zienswijze: z,
      termEnd,
      timeliness: z ? viewTimeliness(z.received, termEnd) : 'onbekend',
      reactionDue,
      reactionOnTime: reactionDue && answered ? answered <= reactionDue : null,
      points,
      statusCounts,
    };
  });
}

/** Count of points per theme over all views, most frequent first. */
export function themeCounts(c: DecisionCase): { theme: Theme; points: number; municipalities: number }[] {
  const m = new Map<Theme, { points: number; munis: Set<string> }>();
  for (const z of c.zienswijzen)
    for (const p of z.points) {
      const e = m.get(p.theme) ?? { points: 0, munis: new Set<string>() };
      e.points++;
      e.munis.add(z.municipality);
      m.set(p.theme, e);
    }
  return [...m]
    .map(([theme, e]) => ({ theme, points: e.points, municipalities: e.munis.size }))
    .sort((a, b) => b.municipalities - a.municipalities || b.points - a.points || a.theme.localeCompare(b.theme));
}

export interface CommitmentStatus extends Commitment {
  /** Past its due date on `asOf` and not done. */
  overdue: boolean;
  /** Days until due (negative: days overdue); null without a due date. */
  daysLeft: number | null;
}

/** Commitments not done, with overdue marks as of `asOf`; dated ones first, by due date. */
export function openCommitments(list: readonly Commitment[], asOf: IsoDate): CommitmentStatus[] {
  return list
    .filter((c) => c.status !== 'gedaan')
    .map((c) => ({ ...c, overdue: c.due !== null && c.due < asOf, daysLeft: c.due ? daysBetween(asOf, c.due) : null }))
    .sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999') || a.id.localeCompare(b.id));
}
