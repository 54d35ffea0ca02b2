import { afterEach, describe, expect, it } from 'vitest';
import { at } from '../../domain/indexing.js';
import { SEED002_CASE } from '../../domain/decisions/seed002.js';
import type { DecisionCase } from '../../domain/decisions/types.js';
import { ENGINES, freshWarehouse } from '../testing/engines.js';
import type { Warehouse } from '../warehouse.js';

describe.each(ENGINES)('decision cycle storage on %s', (engine) => {
  let w: Warehouse | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('stores the seed 002 case and reads it back exactly, and saving again replaces it', async () => {
    w = await freshWarehouse(engine);
    expect(await w.decisionCase('soj-bw-2020')).toBeNull();
    await w.saveDecisionCase(SEED002_CASE, 'test');
    expect(await w.decisionCase('soj-bw-2020')).toEqual(SEED002_CASE);
    await w.saveDecisionCase(SEED002_CASE, 'test');
    const again = await w.decisionCase('soj-bw-2020');
    expect(again).toEqual(SEED002_CASE);
    // Figures from the seed text: € 6,6 mln, ten views, Alblasserdam's 15 points, 18 commitments.
    const s = at(await w.decisionCases(), 0);
    expect(s).toMatchObject({
      id: 'soj-bw-2020',
      amountCents: 660_000_000,
      views: 10,
      sentForViewOn: '2020-07-15',
      decidedByAbOn: '2020-11-12',
    });
    expect(s.points).toBe(SEED002_CASE.zienswijzen.reduce((n, z) => n + z.points.length, 0));
    expect(again!.zienswijzen.find((z) => z.municipality === '0482')!.points).toHaveLength(15);
    expect(again!.vote.votes.filter((v) => v.choice === 'tegen').map((v) => v.municipality)).toEqual(['0482']);
    expect((await w.decisionCommitments()).length).toBe(18);
  });

  it('keeps a split per municipality, percent figures, document links and optional fields', async () => {
    w = await freshWarehouse(engine);
    const c: DecisionCase = {
      ...SEED002_CASE,
      proposal: {
        ...SEED002_CASE.proposal,
        id: 'test-bw',
        split: [
          { municipality: '0482', amountCents: 123_456 },
          { municipality: '0505', amountCents: -7 },
        ],
        splitNote: undefined,
        documents: [
          {
            title: 'Voorstel',
            date: '2021-01-02',
            url: 'https://example.org/voorstel.pdf',
          } as DecisionCase['proposal']['documents'][number],
        ],
        linkedFigures: [
          { label: 'Prognose', value: { kind: 'percent', percent: 12.25 }, asOf: '2021-01-01', source: 'grip' },
        ],
      },
      zienswijzen: [
        { municipality: '0482', proposalId: 'test-bw', received: '2021-02-01', stance: 'instemmend', points: [] },
      ],
      nota: { proposalId: 'test-bw', treatedByAbOn: null, sentOn: '2021-03-01', reactions: [], statusBasis: 'bron' },
      vote: {
        proposalId: 'test-bw',
        body: 'AB',
        date: '2021-03-04',
        votes: [{ municipality: '0482', choice: 'onthouding', basis: 'bron' }],
      },
      commitments: [],
    };
    delete (c.proposal as { splitNote?: string }).splitNote;
    await w.saveDecisionCase(c, 'test');
    const back = await w.decisionCase('test-bw');
    expect(back).toEqual(c);
    expect(back!.proposal).not.toHaveProperty('splitNote');
    expect(back!.vote).not.toHaveProperty('recordedResult');
    expect(back!.zienswijzen[0]).not.toHaveProperty('notes');
  });

  it('adds points, reactions and commitments one by one', async () => {
    w = await freshWarehouse(engine);
    await w.saveDecisionCase(SEED002_CASE, 'test');
    await expect(
      w.addDecisionPoint({
        proposalId: 'bestaat-niet',
        municipality: '0482',
        number: '12',
        theme: 'procedure',
        text: 'x',
      }),
    ).rejects.toThrow(/bestaat niet/);
    const id = await w.addDecisionPoint({
      proposalId: 'soj-bw-2020',
      municipality: '0482',
      number: '12',
      theme: 'procedure',
      text: 'Nieuw punt',
      received: '2020-09-10',
    });
    expect(id).toBe('0482-12');
    await expect(
      w.addDecisionPoint({
        proposalId: 'soj-bw-2020',
        municipality: '0482',
        number: '12',
        theme: 'procedure',
        text: 'dubbel',
      }),
    ).rejects.toThrow(/bestaat al/);
    await w.saveDecisionReaction('soj-bw-2020', { pointId: '0482-12', status: 'deels', text: 'Eerste reactie' });
    await w.saveDecisionReaction('soj-bw-2020', { pointId: '0482-12', status: 'overgenomen', text: 'Tweede reactie' });
    await expect(
      w.saveDecisionReaction('soj-bw-2020', { pointId: '0482-99', status: 'niet', text: 'x' }),
    ).rejects.toThrow(/bestaat niet/);
    const commitment = {
      id: 'nieuw',
      text: 'Kwartaalbrief',
      owner: 'SOJ',
      due: '2021-03-31',
      origin: 'toegezegd' as const,
      fromPoints: ['0482-12'],
      status: 'open' as const,
      source: 'invoer',
    };
    await w.saveDecisionCommitment('soj-bw-2020', commitment);
    await w.saveDecisionCommitment('soj-bw-2020', { ...commitment, status: 'gedaan' });
    const c = (await w.decisionCase('soj-bw-2020'))!;
    const alb = c.zienswijzen.find((z) => z.municipality === '0482')!;
    expect(alb.received).toBe('2020-09-10');
    expect(alb.points).toHaveLength(16);
    expect(alb.points[15]).toEqual({ id: '0482-12', number: '12', theme: 'procedure', text: 'Nieuw punt' });
    expect(c.nota.reactions.filter((r) => r.pointId === '0482-12')).toEqual([
      { pointId: '0482-12', status: 'overgenomen', text: 'Tweede reactie' },
    ]);
    expect(c.commitments).toHaveLength(19);
    expect(c.commitments[18]).toEqual({ ...commitment, status: 'gedaan' });
    // A council without a view yet gets one, with no stance stated.
    const fresh = {
      ...SEED002_CASE,
      proposal: { ...SEED002_CASE.proposal, id: 'leeg' },
      zienswijzen: [],
      nota: { ...SEED002_CASE.nota, reactions: [] },
      commitments: [],
    };
    await w.saveDecisionCase(fresh, 'test');
    await w.addDecisionPoint({
      proposalId: 'leeg',
      municipality: '0505',
      number: '1',
      theme: 'kostenbeheersing',
      text: 'Punt',
    });
    expect((await w.decisionCase('leeg'))!.zienswijzen).toEqual([
      {
        municipality: '0505',
        proposalId: 'leeg',
        received: null,
        stance: 'geen-expliciet-standpunt',
        points: [{ id: '0505-1', number: '1', theme: 'kostenbeheersing', text: 'Punt' }],
      },
    ]);
    expect(await w.decisionCommitments({ proposalIds: ['leeg'] })).toEqual([]);
    expect((await w.decisionCases()).map((s) => s.id).sort()).toEqual(['leeg', 'soj-bw-2020']);
  });
});
