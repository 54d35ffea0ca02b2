/**
 * Storage of the decision cycle (domain/decisions): proposals with their split per municipality, frozen
 * figures and documents; the councils' views (zienswijzen) and their points; the DB's reaction per point
 * (nota van reactie); the AB vote per municipality; commitments. Portable SQL for DuckDB and PostgreSQL.
 *
 * A case is saved whole (replacing one with the same id) or added to point by point: a view point, a
 * reaction (replacing the reaction to that point), a commitment (replacing one with the same id).
 * Order is kept with a `seq` column, so a case read back equals the case saved.
 */
import type {
  Basis,
  Commitment,
  DecisionCase,
  DecisionItemKind,
  LinkedFigure,
  Reaction,
  ReactionStatus,
  Stance,
  Theme,
  ViewPoint,
  Vote,
  VoteChoice,
  VoteResult,
  Zienswijze,
} from '../../domain/decisions/types.js';
import type { IsoDate } from '../../domain/month.js';
import {
  DEFAULT_VIEW_STANCE,
  planViewPoint,
  planVote,
  requireNewProposal,
  requirePoint,
  requireProposal,
  viewPointId,
} from '../../domain/decisions/rules.js';
import { bind, num, str, strOrNull, type Param, type SqlDb, type SqlExec, type SqlRunner } from './run.js';
import type { DecisionRepository } from '../warehouse.js';
import type { DecisionCaseSummary, NewViewPoint, StoredCommitment, StoredDocument } from '../types.js';

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

async function nextSeq(run: SqlRunner, table: string, proposalId: string): Promise<number> {
  return num(
    (await run(`SELECT COALESCE(MAX(seq), -1) + 1 AS next FROM ${table} WHERE proposal_id = $1`, [proposalId]))[0]
      ?.next,
  );
}

const CASE_TABLES = [
  'decision_splits',
  'decision_figures',
  'decision_documents',
  'decision_views',
  'decision_points',
  'decision_reactions',
  'decision_votes',
  'decision_commitments',
];

/** Replaces the case with the proposal's id by `c` (call inside a transaction). */
export async function saveDecisionCase(exec: SqlExec, c: DecisionCase, by: string, at: string): Promise<void> {
  const p = c.proposal;
  for (const t of CASE_TABLES) await exec(`DELETE FROM ${t} WHERE proposal_id = $1`, [p.id]);
  await exec(`DELETE FROM decision_proposals WHERE id = $1`, [p.id]);
  await exec(
    `INSERT INTO decision_proposals VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
    [
      p.id,
      p.title,
      p.kind,
      p.budgetYear,
      p.amountCents,
      p.splitNote ?? null,
      p.sentForViewOn,
      p.decidedByAbOn,
      c.members.join(','),
      c.nota.treatedByAbOn,
      c.nota.sentOn,
      c.nota.statusBasis,
      c.vote.body,
      c.vote.date || null,
      c.vote.recordedResult ?? null,
      c.source,
      by,
      at,
      p.splitKey ?? null,
    ],
  );
  for (const s of p.split)
    await exec(`INSERT INTO decision_splits VALUES ($1, $2, $3)`, [p.id, s.municipality, s.amountCents]);
  let i = 0;
  for (const f of p.linkedFigures)
    await exec(`INSERT INTO decision_figures VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      p.id,
      i++,
      f.label,
      f.value.kind,
      f.value.kind === 'cents' ? f.value.cents : null,
      f.value.kind === 'percent' ? f.value.percent : null,
      f.asOf,
      f.source,
    ]);
  i = 0;
  for (const d of p.documents as StoredDocument[])
    await exec(`INSERT INTO decision_documents VALUES ($1, $2, $3, $4, $5)`, [
      p.id,
      i++,
      d.title,
      d.date,
      d.url ?? null,
    ]);
  i = 0;
  let k = 0;
  for (const z of c.zienswijzen) {
    await exec(`INSERT INTO decision_views VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      p.id,
      z.municipality,
      i++,
      z.received,
      z.stance,
      json(z.notes),
      json(z.earlierViews),
    ]);
    for (const pt of z.points)
      await exec(`INSERT INTO decision_points VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        p.id,
        pt.id,
        z.municipality,
        k++,
        pt.number,
        pt.theme,
        pt.text,
      ]);
  }
  i = 0;
  for (const r of c.nota.reactions)
    await exec(`INSERT INTO decision_reactions VALUES ($1, $2, $3, $4, $5)`, [p.id, r.pointId, i++, r.status, r.text]);
  i = 0;
  for (const v of c.vote.votes)
    await exec(`INSERT INTO decision_votes VALUES ($1, $2, $3, $4, $5)`, [
      p.id,
      v.municipality,
      i++,
      v.choice,
      v.basis,
    ]);
  i = 0;
  for (const cm of c.commitments) await insertCommitment(exec, p.id, i++, cm);
}

async function insertCommitment(exec: SqlExec, proposalId: string, seq: number, c: Commitment): Promise<void> {
  await exec(`INSERT INTO decision_commitments VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, [
    proposalId,
    c.id,
    seq,
    c.text,
    c.owner,
    c.due,
    c.dueNote ?? null,
    c.recurrence ?? null,
    c.origin,
    c.fromPoints.join(','),
    c.status,
    c.source,
  ]);
}

export async function decisionCaseSummaries(run: SqlRunner): Promise<DecisionCaseSummary[]> {
  const rows = await run(
    `SELECT p.id, p.title, p.kind, p.budget_year, p.amount_cents, p.sent_for_view_on, p.decided_by_ab_on, p.updated_at,
            (SELECT COUNT(*) FROM decision_views v WHERE v.proposal_id = p.id) AS views,
            (SELECT COUNT(*) FROM decision_points t WHERE t.proposal_id = p.id) AS points,
            (SELECT COUNT(*) FROM decision_commitments c WHERE c.proposal_id = p.id AND c.status <> 'gedaan') AS open_commitments
       FROM decision_proposals p ORDER BY p.sent_for_view_on DESC, p.id`,
  );
  return rows.map((r) => ({
    id: str(r.id),
    title: str(r.title),
    kind: str(r.kind) as DecisionItemKind,
    budgetYear: num(r.budget_year),
    amountCents: num(r.amount_cents),
    sentForViewOn: str(r.sent_for_view_on),
    decidedByAbOn: strOrNull(r.decided_by_ab_on),
    views: num(r.views),
    points: num(r.points),
    openCommitments: num(r.open_commitments),
    updatedAt: str(r.updated_at),
  }));
}

function toCommitment(r: Record<string, unknown>): Commitment {
  const c: Commitment = {
    id: str(r.commitment_id),
    text: str(r.text),
    owner: str(r.owner),
    due: strOrNull(r.due),
    origin: str(r.origin) as Commitment['origin'],
    fromPoints: str(r.from_points).split(',').filter(Boolean),
    status: str(r.status) as Commitment['status'],
    source: str(r.source),
  };
  if (r.due_note !== null && r.due_note !== undefined) c.dueNote = str(r.due_note);
  if (r.recurrence !== null && r.recurrence !== undefined) c.recurrence = str(r.recurrence) as Commitment['recurrence'];
  return c;
}

/** One case, or null when there is no proposal with this id. */
export async function decisionCase(run: SqlRunner, id: string): Promise<DecisionCase | null> {
  const p = (await run(`SELECT * FROM decision_proposals WHERE id = $1`, [id]))[0];
  if (!p) return null;
  const of = (table: string, order: string) =>
    run(`SELECT * FROM ${table} WHERE proposal_id = $1 ORDER BY ${order}`, [id]);
  // One after the other: an engine has one connection.
  const splits = await of('decision_splits', 'municipality');
  const figures = await of('decision_figures', 'seq');
  const documents = await of('decision_documents', 'seq');
  const views = await of('decision_views', 'seq');
  const points = await of('decision_points', 'seq');
  const reactions = await of('decision_reactions', 'seq');
  const votes = await of('decision_votes', 'seq');
  const commitments = await of('decision_commitments', 'seq');
  const linkedFigures: LinkedFigure[] = figures.map((f) => ({
    label: str(f.label),
    value:
      str(f.value_kind) === 'cents'
        ? { kind: 'cents', cents: num(f.value_cents) }
        : { kind: 'percent', percent: num(f.value_percent) },
    asOf: strOrNull(f.as_of),
    source: str(f.source),
  }));
  const docs: StoredDocument[] = documents.map((d) => {
    const doc: StoredDocument = { title: str(d.title), date: strOrNull(d.document_date) };
    if (d.url !== null && d.url !== undefined) doc.url = str(d.url);
    return doc;
  });
  const zienswijzen: Zienswijze[] = views.map((v) => {
    const m = str(v.municipality);
    const z: Zienswijze = {
      municipality: m,
      proposalId: id,
      received: strOrNull(v.received),
      stance: str(v.stance) as Stance,
      points: points
        .filter((x) => str(x.municipality) === m)
        .map((x): ViewPoint => ({
          id: str(x.point_id),
          number: str(x.number),
          theme: str(x.theme) as Theme,
          text: str(x.text),
        })),
    };
    if (v.earlier_views !== null && v.earlier_views !== undefined)
      z.earlierViews = JSON.parse(str(v.earlier_views)) as Zienswijze['earlierViews'];
    if (v.notes !== null && v.notes !== undefined) z.notes = JSON.parse(str(v.notes)) as string[];
    return z;
  });
  const proposal: DecisionCase['proposal'] = {
    id,
    title: str(p.title),
    kind: str(p.kind) as DecisionItemKind,
    budgetYear: num(p.budget_year),
    amountCents: num(p.amount_cents),
    split: splits.map((s) => ({ municipality: str(s.municipality), amountCents: num(s.amount_cents) })),
    linkedFigures,
    documents: docs,
    sentForViewOn: str(p.sent_for_view_on),
    decidedByAbOn: strOrNull(p.decided_by_ab_on),
    source: str(p.source),
  };
  if (p.split_note !== null && p.split_note !== undefined) proposal.splitNote = str(p.split_note);
  if (p.split_key !== null && p.split_key !== undefined) proposal.splitKey = str(p.split_key);
  const vote: DecisionCase['vote'] = {
    proposalId: id,
    body: 'AB',
    date: str(p.vote_date),
    votes: votes.map((v) => ({
      municipality: str(v.municipality),
      choice: str(v.choice) as VoteChoice,
      basis: str(v.basis) as Basis,
    })),
  };
  if (p.vote_recorded_result !== null && p.vote_recorded_result !== undefined)
    vote.recordedResult = str(p.vote_recorded_result) as VoteResult;
  return {
    proposal,
    zienswijzen,
    nota: {
      proposalId: id,
      treatedByAbOn: strOrNull(p.nota_treated_on),
      sentOn: strOrNull(p.nota_sent_on),
      reactions: reactions.map((r): Reaction => ({
        pointId: str(r.point_id),
        status: str(r.status) as ReactionStatus,
        text: str(r.text),
      })),
      statusBasis: str(p.nota_status_basis) as Basis,
    },
    vote,
    commitments: commitments.map(toCommitment),
    members: str(p.members).split(',').filter(Boolean),
    source: str(p.source),
  };
}

async function proposalExists(run: SqlRunner, id: string): Promise<boolean> {
  return (await run(`SELECT id FROM decision_proposals WHERE id = $1`, [id])).length > 0;
}

/**
 * Adds a point to a municipality's view, creating the view when the council had none yet (rules in
 * domain/decisions/rules.ts, planViewPoint). Returns the point id.
 */
export async function addViewPoint(run: SqlRunner, exec: SqlExec, p: NewViewPoint): Promise<string> {
  requireProposal(await proposalExists(run, p.proposalId), p.proposalId);
  const id = viewPointId(p.municipality, p.number);
  const pointExists =
    (await run(`SELECT point_id FROM decision_points WHERE proposal_id = $1 AND point_id = $2`, [p.proposalId, id]))
      .length > 0;
  const view = (
    await run(`SELECT received FROM decision_views WHERE proposal_id = $1 AND municipality = $2`, [
      p.proposalId,
      p.municipality,
    ])
  )[0];
  const plan = planViewPoint(p, { pointExists, view: view ? { received: strOrNull(view.received) } : null });
  if (plan.createView) {
    await exec(`INSERT INTO decision_views VALUES ($1, $2, $3, $4, $5, NULL, NULL)`, [
      p.proposalId,
      p.municipality,
      await nextSeq(run, 'decision_views', p.proposalId),
      p.received ?? null,
      DEFAULT_VIEW_STANCE,
    ]);
  } else if (plan.setReceived) {
    await exec(`UPDATE decision_views SET received = $1 WHERE proposal_id = $2 AND municipality = $3`, [
      plan.setReceived,
      p.proposalId,
      p.municipality,
    ]);
  }
  await exec(`INSERT INTO decision_points VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    p.proposalId,
    plan.pointId,
    p.municipality,
    await nextSeq(run, 'decision_points', p.proposalId),
    p.number,
    p.theme,
    p.text,
  ]);
  return plan.pointId;
}

/** Sets the DB's reaction to a point (replacing an earlier one, keeping its place). */
export async function saveReaction(run: SqlRunner, exec: SqlExec, proposalId: string, r: Reaction): Promise<void> {
  requireProposal(await proposalExists(run, proposalId), proposalId);
  requirePoint(
    (
      await run(`SELECT point_id FROM decision_points WHERE proposal_id = $1 AND point_id = $2`, [
        proposalId,
        r.pointId,
      ])
    ).length > 0,
    r.pointId,
  );
  const old = (
    await run(`SELECT seq FROM decision_reactions WHERE proposal_id = $1 AND point_id = $2`, [proposalId, r.pointId])
  )[0];
  const seq = old ? num(old.seq) : await nextSeq(run, 'decision_reactions', proposalId);
  await exec(`DELETE FROM decision_reactions WHERE proposal_id = $1 AND point_id = $2`, [proposalId, r.pointId]);
  await exec(`INSERT INTO decision_reactions VALUES ($1, $2, $3, $4, $5)`, [
    proposalId,
    r.pointId,
    seq,
    r.status,
    r.text,
  ]);
}

/** Adds a commitment, or replaces the one with the same id (keeping its place). */
export async function saveCommitment(run: SqlRunner, exec: SqlExec, proposalId: string, c: Commitment): Promise<void> {
  requireProposal(await proposalExists(run, proposalId), proposalId);
  const old = (
    await run(`SELECT seq FROM decision_commitments WHERE proposal_id = $1 AND commitment_id = $2`, [proposalId, c.id])
  )[0];
  const seq = old ? num(old.seq) : await nextSeq(run, 'decision_commitments', proposalId);
  await exec(`DELETE FROM decision_commitments WHERE proposal_id = $1 AND commitment_id = $2`, [proposalId, c.id]);
  await insertCommitment(exec, proposalId, seq, c);
}

/** Commitments of all proposals (or some), in proposal and entry order. */
export async function commitments(run: SqlRunner, q: { proposalIds?: string[] } = {}): Promise<StoredCommitment[]> {
  const params: Param[] = [];
  const where = q.proposalIds
    ? q.proposalIds.length
      ? `WHERE proposal_id IN (${q.proposalIds.map((x) => bind(params, x)).join(', ')})`
      : 'WHERE 1 = 0'
    : '';
  const rows = await run(`SELECT * FROM decision_commitments ${where} ORDER BY proposal_id, seq`, params);
  return rows.map((r) => ({ ...toCommitment(r), proposalId: str(r.proposal_id) }));
}

/** Saves a new case; refuses (domain DecisionInputError) when a proposal with its id exists (call inside a transaction). */
export async function createDecisionCase(
  run: SqlRunner,
  exec: SqlExec,
  c: DecisionCase,
  by: string,
  at: string,
): Promise<void> {
  requireNewProposal(await proposalExists(run, c.proposal.id), c.proposal.id);
  await saveDecisionCase(exec, c, by, at);
}

/** Records one member's vote in the AB, replacing its earlier vote and keeping its place (rules: planVote). */
export async function saveVote(
  run: SqlRunner,
  exec: SqlExec,
  proposalId: string,
  v: Vote,
  date?: IsoDate,
): Promise<void> {
  const p = (
    await run(`SELECT members, vote_date, decided_by_ab_on FROM decision_proposals WHERE id = $1`, [proposalId])
  )[0];
  const plan = planVote(
    proposalId,
    p
      ? {
          members: str(p.members).split(','),
          voteDate: strOrNull(p.vote_date),
          decidedByAbOn: strOrNull(p.decided_by_ab_on),
        }
      : null,
    v,
    date,
  );
  if (plan.setVoteDate)
    await exec(`UPDATE decision_proposals SET vote_date = $1 WHERE id = $2`, [plan.setVoteDate, proposalId]);
  if (plan.setDecidedByAbOn)
    await exec(`UPDATE decision_proposals SET decided_by_ab_on = $1 WHERE id = $2`, [
      plan.setDecidedByAbOn,
      proposalId,
    ]);
  const old = (
    await run(`SELECT seq FROM decision_votes WHERE proposal_id = $1 AND municipality = $2`, [
      proposalId,
      v.municipality,
    ])
  )[0];
  const seq = old ? num(old.seq) : await nextSeq(run, 'decision_votes', proposalId);
  await exec(`DELETE FROM decision_votes WHERE proposal_id = $1 AND municipality = $2`, [proposalId, v.municipality]);
  await exec(`INSERT INTO decision_votes VALUES ($1, $2, $3, $4, $5)`, [
    proposalId,
    v.municipality,
    seq,
    v.choice,
    v.basis,
  ]);
}

/** The decision repository on an engine's connection; every write is one transaction. */
export function decisionRepository(db: SqlDb): DecisionRepository {
  const now = () => new Date().toISOString();
  return {
    saveDecisionCase: (c, by) => db.transaction(() => saveDecisionCase(db.exec, c, by, now())),
    decisionCases: () => decisionCaseSummaries(db.all),
    decisionCase: (id) => decisionCase(db.all, id),
    addDecisionPoint: (p) => db.transaction(() => addViewPoint(db.all, db.exec, p)),
    saveDecisionReaction: (proposalId, r) => db.transaction(() => saveReaction(db.all, db.exec, proposalId, r)),
    saveDecisionCommitment: (proposalId, c) => db.transaction(() => saveCommitment(db.all, db.exec, proposalId, c)),
    createDecisionCase: (c, by) => db.transaction(() => createDecisionCase(db.all, db.exec, c, by, now())),
    saveDecisionVote: (proposalId, v, date) => db.transaction(() => saveVote(db.all, db.exec, proposalId, v, date)),
    decisionCommitments: (q) => commitments(db.all, q),
  };
}
