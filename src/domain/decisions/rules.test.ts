import { describe, expect, it } from 'vitest';
import {
  DecisionInputError,
  planViewPoint,
  planVote,
  requireNewProposal,
  requirePoint,
  requireProposal,
  viewPointId,
} from './rules.js';

describe('decision case rules', () => {
  it('refuses a change to a proposal that does not exist, and a new case with a stored id', () => {
    expect(() => requireProposal(false, '2026-07')).toThrow(new DecisionInputError('Voorstel 2026-07 bestaat niet.'));
    expect(() => requireProposal(true, '2026-07')).not.toThrow();
    expect(() => requireNewProposal(true, '2026-07')).toThrow(new DecisionInputError('Voorstel 2026-07 bestaat al.'));
    expect(() => requireNewProposal(false, '2026-07')).not.toThrow();
    expect(() => requirePoint(false, '0505-3')).toThrow(
      new DecisionInputError('Punt 0505-3 bestaat niet bij dit voorstel.'),
    );
  });

  it('gives a view point the id <municipality>-<number> and refuses a number already used', () => {
    expect(viewPointId('0505', '3')).toBe('0505-3');
    const p = { municipality: '0505', number: '3', received: '2026-05-01' };
    expect(() => planViewPoint(p, { pointExists: true, view: { received: null } })).toThrow(
      new DecisionInputError('Punt 3 van deze gemeente bestaat al.'),
    );
  });

  it('creates the view with a first point, and sets its received date only when the point brings another', () => {
    const p = { municipality: '0505', number: '1', received: '2026-05-01' };
    expect(planViewPoint(p, { pointExists: false, view: null })).toEqual({
      pointId: '0505-1',
      createView: true,
      setReceived: null,
    });
    expect(planViewPoint(p, { pointExists: false, view: { received: null } })).toEqual({
      pointId: '0505-1',
      createView: false,
      setReceived: '2026-05-01',
    });
    expect(planViewPoint(p, { pointExists: false, view: { received: '2026-05-01' } }).setReceived).toBeNull();
    expect(
      planViewPoint({ ...p, received: null }, { pointExists: false, view: { received: '2026-04-20' } }).setReceived,
    ).toBeNull();
  });

  it('takes a vote only from a member, with the meeting date now or before; a date sets the decision date once', () => {
    const members = ['0505', '0590'];
    expect(() => planVote('X', null, { municipality: '0505' }, '2026-06-01')).toThrow(
      new DecisionInputError('Voorstel X bestaat niet.'),
    );
    expect(() =>
      planVote('X', { members, voteDate: null, decidedByAbOn: null }, { municipality: '0482' }, '2026-06-01'),
    ).toThrow(new DecisionInputError('Gemeente 0482 is geen lid van het AB bij dit voorstel.'));
    expect(() => planVote('X', { members, voteDate: null, decidedByAbOn: null }, { municipality: '0505' })).toThrow(
      new DecisionInputError('Geef de datum van de AB-vergadering waarin is gestemd.'),
    );
    // First vote with a date: it becomes the vote date and the AB's decision date.
    expect(
      planVote('X', { members, voteDate: null, decidedByAbOn: null }, { municipality: '0505' }, '2026-06-01'),
    ).toEqual({
      setVoteDate: '2026-06-01',
      setDecidedByAbOn: '2026-06-01',
    });
    // A later date moves the vote date; the decision date, once set, stays.
    expect(
      planVote(
        'X',
        { members, voteDate: '2026-06-01', decidedByAbOn: '2026-06-01' },
        { municipality: '0590' },
        '2026-06-15',
      ),
    ).toEqual({
      setVoteDate: '2026-06-15',
      setDecidedByAbOn: null,
    });
    // Without a date, the stored one stands.
    expect(
      planVote('X', { members, voteDate: '2026-06-01', decidedByAbOn: '2026-06-01' }, { municipality: '0590' }),
    ).toEqual({
      setVoteDate: null,
      setDecidedByAbOn: null,
    });
  });
});
