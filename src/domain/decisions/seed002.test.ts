import { describe, expect, it } from 'vitest';
import { ZHZ_MUNICIPALITIES } from '../codes/index.js';
import { field } from '../indexing.js';
import { openCommitments, tallyVotes, themeCounts, viewStatuses } from './cycle.js';
import { WGR_VANAF_2022_07, deriveDeadlines, wgrRulesOn } from './deadlines.js';
import { caseAsItem } from './calendar.js';
import { SEED002_CASE } from './seed002.js';
import { THEMES } from './types.js';

const c = SEED002_CASE;

describe('seed 002: the 2020 budget amendment', () => {
  it('is the € 6,6 mln amendment, sent 15-07-2020, decided by the AB on 12-11-2020', () => {
    expect(c.proposal.amountCents).toBe(660_000_000);
    expect(c.proposal.sentForViewOn).toBe('2020-07-15');
    expect(c.proposal.decidedByAbOn).toBe('2020-11-12');
    const expected = c.proposal.linkedFigures.find((f) => f.label.startsWith('Verwachte kostenstijging'));
    expect(expected?.value).toEqual({ kind: 'cents', cents: 1_160_000_000 });
    expect(Object.isFrozen(c.proposal.linkedFigures[0])).toBe(true);
  });

  it('has a view from each of the ten municipalities, and every point a reaction', () => {
    expect([...c.members].sort()).toEqual(ZHZ_MUNICIPALITIES.map((m) => m.code).sort());
    expect(c.zienswijzen.map((z) => z.municipality).sort()).toEqual([...c.members].sort());
    const ids = c.zienswijzen.flatMap((z) => z.points.map((p) => p.id));
    expect(new Set(ids).size).toBe(ids.length);
    const reacted = new Set(c.nota.reactions.map((r) => r.pointId));
    expect(ids.filter((id) => !reacted.has(id))).toEqual([]);
    expect(c.nota.reactions.filter((r) => !ids.includes(r.pointId))).toEqual([]);
    for (const z of c.zienswijzen) for (const p of z.points) expect(THEMES).toContain(p.theme);
    // Alblasserdam raised 15 points (1–3, 4a–4e, 5–11).
    expect(c.zienswijzen.find((z) => z.municipality === '0482')?.points).toHaveLength(15);
  });

  it('derives the deadlines: 8 weeks (law in 2020) → 09-09-2020, reaction 3 months later → 09-12-2020', () => {
    const rules = wgrRulesOn(c.proposal.sentForViewOn);
    expect(rules.viewTermWeeks).toBe(8);
    const d = Object.fromEntries(deriveDeadlines(caseAsItem(c)).map((x) => [x.key, x.date]));
    // 15-07-2020 + 56 days: +16 → 31-07, +31 → 31-08, +9 → 09-09.
    expect(d['zienswijze-termijn']).toBe('2020-09-09');
    expect(d.reactie).toBe('2020-12-09');
    // 12-11-2020 − 56 days: −12 → 31-10, −31 → 30-09, −13 → 17-09.
    expect(d['uiterste-verzending']).toBe('2020-09-17');
    // With the 12 weeks proposed in 2020: 07-10-2020, reaction 07-01-2021.
    const d12 = Object.fromEntries(deriveDeadlines(caseAsItem(c), WGR_VANAF_2022_07).map((x) => [x.key, x.date]));
    expect(d12['zienswijze-termijn']).toBe('2020-10-07');
    expect(d12.reactie).toBe('2021-01-07');
    // The AB decided after the term ended.
    expect(c.proposal.decidedByAbOn! >= field(d, 'zienswijze-termijn')).toBe(true);
  });

  it('per municipality: term end, unknown receipt date, reaction due and given in time', () => {
    const st = viewStatuses(c);
    expect(st).toHaveLength(10);
    for (const s of st) {
      expect(s.termEnd).toBe('2020-09-09');
      expect(s.timeliness).toBe('onbekend'); // the seed gives no receipt dates
      expect(s.reactionDue).toBe('2020-12-09');
      expect(s.reactionOnTime).toBe(true); // AB treated the nota on 12-11-2020
    }
    const alblasserdam = st.find((s) => s.municipality === '0482')!;
    expect(alblasserdam.statusCounts.niet).toBe(4); // 4a, 4b, 4e, 9
    expect(alblasserdam.points.find((p) => p.number === '4a')?.reaction?.status).toBe('niet');
  });

  it('counts the AB vote: 9 for, Alblasserdam against → adopted, as recorded', () => {
    const t = tallyVotes(c.vote, c.members);
    expect(t).toMatchObject({
      members: 10,
      voor: 9,
      tegen: 1,
      onthouding: 0,
      afwezig: 0,
      quorum: true,
      result: 'aangenomen',
      problems: [],
    });
    expect(t.result).toBe(c.vote.recordedResult);
    const against = c.vote.votes.filter((v) => v.choice === 'tegen');
    expect(against).toEqual([{ municipality: '0482', choice: 'tegen', basis: 'bron' }]);
  });

  it('counts themes over the views: realistic budgets raised by 8 of 10 councils', () => {
    const t = themeCounts(c);
    expect(t.find((x) => x.theme === 'realistische begroting')?.municipalities).toBe(8);
    expect(t.find((x) => x.theme === 'corona')?.municipalities).toBeGreaterThanOrEqual(5);
  });

  it('tracks the commitments: monthly report and A4 dashboard, quarterly comparison asked, dated ones overdue later', () => {
    const ids = c.commitments.map((x) => x.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'maandrapportage',
        'a4-dashboard',
        'kwartaalrapportage-vergelijking',
        'meerjarenbegroting-2022',
      ]),
    );
    expect(c.commitments.find((x) => x.id === 'kwartaalrapportage-vergelijking')?.origin).toBe('gevraagd');
    const pointIds = new Set(c.zienswijzen.flatMap((z) => z.points.map((p) => p.id)));
    for (const x of c.commitments) for (const p of x.fromPoints) expect(pointIds).toContain(p);
    const open = openCommitments(c.commitments, '2021-01-01');
    expect(open[0]).toMatchObject({ id: 'burap2-2020', overdue: true, daysLeft: -50 });
    expect(open.find((x) => x.id === 'voorlopige-kosten-2020')).toMatchObject({ overdue: false, daysLeft: 103 });
  });
});

describe('vote tally rules', () => {
  const members = ['a', 'b', 'c', 'd'];
  it('a tie is staken; no quorum without more than half present; strangers are reported', () => {
    const v = (m: string, choice: 'voor' | 'tegen' | 'afwezig') => ({
      municipality: m,
      choice,
      basis: 'bron' as const,
    });
    expect(
      tallyVotes({ votes: [v('a', 'voor'), v('b', 'voor'), v('c', 'tegen'), v('d', 'tegen')] }, members).result,
    ).toBe('staken');
    expect(tallyVotes({ votes: [v('a', 'voor'), v('b', 'voor')] }, members).result).toBe('geen quorum');
    expect(tallyVotes({ votes: [v('a', 'voor'), v('b', 'tegen'), v('c', 'tegen')] }, members).result).toBe('verworpen');
    expect(tallyVotes({ votes: [v('a', 'voor'), v('a', 'tegen'), v('x', 'voor')] }, members).problems).toHaveLength(2);
  });
});
