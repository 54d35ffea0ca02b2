import { describe, expect, it } from 'vitest';
import type { Proposal } from './types.js';
import { proposalForAggregate } from './disclosure.js';

const base: Proposal = {
  id: 'p',
  title: 'Begrotingswijziging',
  kind: 'begrotingswijziging',
  budgetYear: 2026,
  amountCents: 100_000,
  split: [
    { municipality: '0482', amountCents: 33_333 },
    { municipality: '0505', amountCents: 66_667 },
  ],
  linkedFigures: [
    { label: 'Prognose jaareinde 2026 regio', value: { kind: 'cents', cents: 900 }, asOf: '2026-04-30', source: 's' },
    {
      label: 'Prognose jaareinde 2026 Dordrecht',
      value: { kind: 'cents', cents: 600 },
      asOf: '2026-04-30',
      source: 's',
    },
  ],
  documents: [],
  sentForViewOn: '2026-05-01',
  decidedByAbOn: null,
  source: 'test',
};

describe('proposalForAggregate', () => {
  it('withholds a split by a ledger key and the forecasts per municipality, keeping total and region', () => {
    const r = proposalForAggregate({ ...base, splitKey: 'clients-prev' });
    expect(r.withheldKey).toBe('cliënten jaar t-1');
    expect(r.proposal.split).toEqual([]);
    expect(r.proposal.amountCents).toBe(100_000);
    expect(r.proposal.linkedFigures.map((f) => f.label)).toEqual(['Prognose jaareinde 2026 regio']);
  });
  it('shows a split by inhabitants, youths or equal parts, but of the frozen forecasts only the region', () => {
    for (const key of ['inhabitants', 'youths', 'equal']) {
      const r = proposalForAggregate({ ...base, splitKey: key });
      expect(r.withheldKey).toBeNull();
      expect(r.proposal.split).toEqual(base.split);
      expect(r.proposal.linkedFigures.map((f) => f.label)).toEqual(['Prognose jaareinde 2026 regio']);
    }
  });
  it('shows a proposal from a source document (no key) whole', () => {
    const r = proposalForAggregate(base);
    expect(r.withheldKey).toBeNull();
    expect(r.proposal).toBe(base);
  });
});
