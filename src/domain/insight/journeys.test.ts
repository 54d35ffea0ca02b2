import { at } from '../indexing.js';
import { describe, expect, it } from 'vitest';
import { orderJourney, reEntryRates, sankey, waitingStats, type JourneyEvent } from './journeys.js';

describe('journeys', () => {
  it('orders events in time, request → allocation → start → declarations → stop on one day', () => {
    const e = (kind: JourneyEvent['kind'], date: string): JourneyEvent => ({
      kind,
      date,
      municipality: '0482',
      provider: 'P',
      allocationNumber: 'A',
      category: '45',
      product: null,
      detail: null,
      amountCents: null,
      fileName: 'f',
      sourceLine: 1,
    });
    expect(
      orderJourney([
        e('stop', '2025-05-01'),
        e('declarations', '2025-01-01'),
        e('start', '2025-01-01'),
        e('allocation', '2025-01-01'),
        e('request', '2024-12-01'),
      ]).map((x) => x.kind),
    ).toEqual(['request', 'allocation', 'start', 'declarations', 'stop']);
  });

  it('turns flows into Sankey nodes and links (referrer → first → next → end)', () => {
    const s = sankey([
      { municipality: '0482', referrer: '02', firstCategory: '45', nextCategory: '54', end: 'afgesloten', clients: 3 },
      { municipality: '0505', referrer: '02', firstCategory: '45', nextCategory: null, end: 'lopend', clients: 2 },
      { municipality: '0505', referrer: '02', firstCategory: '45', nextCategory: '54', end: 'afgesloten', clients: 1 },
    ]);
    expect(s.nodes.map((n) => n.id)).toEqual(['0:02', '1:45', '2:54', '3:afgesloten', '3:lopend']);
    expect(at(s.nodes, 0).label).toBe('Huisarts');
    expect(s.links).toEqual([
      { source: '0:02', target: '1:45', value: 6 },
      { source: '1:45', target: '2:54', value: 4 },
      { source: '2:54', target: '3:afgesloten', value: 4 },
      { source: '1:45', target: '3:lopend', value: 2 },
    ]);
    // Flow is conserved: what enters the first categories leaves them.
    const into = s.links.filter((l) => l.target.startsWith('1:')).reduce((t, l) => t + l.value, 0);
    const out = s.links.filter((l) => l.source.startsWith('1:')).reduce((t, l) => t + l.value, 0);
    expect(out).toBe(into);
  });

  it('summarises waiting days and re-entry rates per municipality and for all', () => {
    const w = waitingStats([
      { municipality: '0482', days: -3, allocations: 1 },
      { municipality: '0482', days: 10, allocations: 5 },
      { municipality: '0482', days: 60, allocations: 4 },
      { municipality: '0505', days: 20, allocations: 10 },
    ]);
    expect(w).toEqual([
      { municipality: '0482', allocations: 10, medianDays: 10, meanDays: 28.7, p90Days: 60, negative: 1 },
      { municipality: '0505', allocations: 10, medianDays: 20, meanDays: 20, p90Days: 20, negative: 0 },
      { municipality: null, allocations: 20, medianDays: 20, meanDays: 24.4, p90Days: 60, negative: 1 },
    ]);
    expect(
      reEntryRates([
        { municipality: '0505', exits: 4, observable: 0, reEntries: 0 },
        { municipality: '0482', exits: 5, observable: 4, reEntries: 1 },
      ]),
    ).toEqual([
      { municipality: '0482', exits: 5, observable: 4, reEntries: 1, rate: 0.25 },
      { municipality: '0505', exits: 4, observable: 0, reEntries: 0, rate: null },
      { municipality: null, exits: 9, observable: 4, reEntries: 1, rate: 0.25 },
    ]);
  });
});
