import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, field } from '../../domain/indexing.js';
import { cellsFromRows, decompose } from '../../domain/insight/decomposition.js';
import { specialCases } from '../../domain/insight/families.js';
import { orderJourney, reEntryRates, waitingStats } from '../../domain/insight/journeys.js';
import { allocatedUnitsToDate } from '../../domain/insight/quality-rules.js';
import { lastDayOfMonth } from '../../domain/month.js';
import { formatCheck, parseCheckOptions } from '../../cli/commands/check.js';
import { driversReport, formatDrivers, parseDriversOptions } from '../../cli/commands/drivers.js';
import { ENGINES, freshWarehouse } from '../testing/engines.js';
import type {
  AllocationRow,
  CareEventRow,
  DeclarationLineRow,
  MessageType,
  RequestRow,
  Warehouse,
} from '../warehouse.js';
import type { SqlRunner } from './run.js';
import {
  clientJourney,
  dataQuality,
  decompositionInputs,
  familyCosts,
  journeyFlows,
  reEntries,
  requestToStart,
  specialCaseMonthly,
  topClients,
} from './insight.js';

const runner = (w: Warehouse): SqlRunner => (w as unknown as { all: SqlRunner }).all.bind(w);

const P1 = '11111111';
const P2 = '22222222';
const P4 = '44444444'; // never declares

interface Line {
  client: string;
  month: string;
  amount: number;
  units?: number;
  product?: string;
  category?: string;
  unit?: string;
  provider?: string;
  municipality?: string;
  allocation?: string;
  ref?: string;
  prevRef?: string;
  dc?: 'D' | 'C';
  decl?: string;
  date?: string;
}
interface Alloc {
  client: string;
  number: string;
  start: string;
  end?: string;
  provider?: string;
  municipality?: string;
  category?: string;
  product?: string;
  volume?: number;
  unit?: string;
  frequency?: string;
  family?: string;
  providerReference?: string;
  date?: string;
}
interface FileSpec {
  name: string;
  type: MessageType;
  date: string;
  lines?: Line[];
  allocations?: Alloc[];
  events?: {
    client: string;
    number: string;
    kind: 'start' | 'stop';
    date: string;
    provider?: string;
    reason?: string;
  }[];
  requests?: { client: string; providerReference: string; referrer: string; provider?: string; start?: string }[];
}

let refSeq = 0;
function lineRow(l: Line, seq: number, fileDate: string): DeclarationLineRow {
  const dc = l.dc ?? 'D';
  return {
    seq,
    sourceLine: 10 + seq,
    municipality: l.municipality ?? '0482',
    provider: l.provider ?? P1,
    client: l.client,
    declarationNumber: l.decl ?? 'N1',
    declarationDate: l.date ?? fileDate,
    declarationPeriodStart: null,
    referenceNumber: l.ref ?? `R${++refSeq}`,
    previousReferenceNumber: l.prevRef ?? null,
    allocationNumber: l.allocation ?? null,
    category: l.category ?? '45',
    productCode: l.product ?? '45A03',
    periodStart: `${l.month}-01`,
    periodEnd: lastDayOfMonth(l.month),
    volume: l.units ?? 1,
    unit: l.unit ?? '04',
    tariffCents: null,
    amountCents: dc === 'C' ? -l.amount : l.amount,
    debitCredit: dc,
    referrer: null,
    family: null,
  };
}
function allocRow(a: Alloc, seq: number): AllocationRow {
  return {
    seq,
    sourceLine: 10 + seq,
    municipality: a.municipality ?? '0482',
    provider: a.provider ?? P1,
    client: a.client,
    birthYear: 2012,
    allocationNumber: a.number,
    providerReference: a.providerReference ?? null,
    category: a.category ?? '45',
    productCode: a.product ?? '45A03',
    allocationDate: a.date ?? a.start,
    startDate: a.start,
    endDate: a.end ?? null,
    volume: a.volume ?? null,
    unit: a.volume !== undefined ? (a.unit ?? '04') : null,
    frequency: a.volume !== undefined ? (a.frequency ?? '2') : null,
    budgetCents: null,
    family: a.family ?? null,
  };
}

async function load(w: Warehouse, files: FileSpec[]): Promise<void> {
  const s = await w.beginImport();
  for (const f of files) {
    const { fileId, sink } = s.beginFile();
    let seq = 0;
    let total = 0;
    for (const l of f.lines ?? []) {
      const r = lineRow(l, ++seq, f.date);
      total += r.amountCents;
      sink.row('declaration_lines', r);
    }
    for (const a of f.allocations ?? []) sink.row('allocations', allocRow(a, ++seq));
    for (const e of f.events ?? []) {
      const ev: CareEventRow = {
        seq: ++seq,
        sourceLine: 10 + seq,
        kind: e.kind,
        municipality: '0482',
        provider: e.provider ?? P1,
        client: e.client,
        allocationNumber: e.number,
        category: null,
        productCode: null,
        date: e.date,
        reason: e.reason ?? null,
        status: '1',
      };
      sink.row('care_events', ev);
    }
    for (const q of f.requests ?? []) {
      const rq: RequestRow = {
        seq: ++seq,
        sourceLine: 10 + seq,
        municipality: '0482',
        provider: q.provider ?? P1,
        client: q.client,
        providerReference: q.providerReference,
        category: '43',
        productCode: null,
        referrerType: q.referrer,
        startDate: q.start ?? null,
        endDate: null,
      };
      sink.row('requests', rq);
    }
    s.endFile(
      fileId,
      {
        name: f.name,
        path: f.name,
        sha256: createHash('sha256').update(f.name).digest('hex'),
        messageType: f.type,
        sender: P1,
        receiver: '0482',
        messageId: f.name,
        messageDate: f.date,
        sizeBytes: 1,
      },
      { lines: seq, totalCents: total },
      false,
    );
  }
  await s.commit();
  await w.refreshDerived();
}

const months = (ms: string[], l: Omit<Line, 'month'>): Line[] => ms.map((month) => ({ ...l, month }));
const Q1 = ['2025-01', '2025-02', '2025-03'];

/** The test region: 0505 for the decomposition, 0482 for families, journeys and data quality. */
const FILES: FileSpec[] = [
  // --- 0505: decomposition (product 45A99 € 50 → € 55 per hour, 2 → 3 clients, 10 → 11 hours; 45B02 ends).
  {
    name: 'd2024.xml',
    type: 'JW323',
    date: '2024-04-10',
    lines: [
      {
        municipality: '0505',
        client: 'c1',
        month: '2024-03',
        units: 10,
        amount: 50000,
        product: '45A99',
        date: '2024-04-10',
      },
      {
        municipality: '0505',
        client: 'c2',
        month: '2024-03',
        units: 10,
        amount: 50000,
        product: '45A99',
        date: '2024-04-10',
      },
      {
        municipality: '0505',
        client: 'c5',
        month: '2024-03',
        units: 100,
        amount: 10000,
        product: '45B02',
        unit: '01',
        date: '2024-04-10',
      },
    ],
  },
  {
    name: 'd2025.xml',
    type: 'JW323',
    date: '2025-04-10',
    lines: [
      {
        municipality: '0505',
        client: 'c1',
        month: '2025-03',
        units: 11,
        amount: 60500,
        product: '45A99',
        date: '2025-04-10',
      },
      {
        municipality: '0505',
        client: 'c2',
        month: '2025-03',
        units: 11,
        amount: 60500,
        product: '45A99',
        date: '2025-04-10',
      },
      {
        municipality: '0505',
        client: 'c3',
        month: '2025-03',
        units: 11,
        amount: 60500,
        product: '45A99',
        date: '2025-04-10',
      },
      {
        municipality: '0505',
        client: 'c4',
        month: '2025-03',
        units: 5,
        amount: 27500,
        product: '45A99',
        ref: 'C4',
        date: '2025-04-10',
      },
      {
        municipality: '0505',
        client: 'c4',
        month: '2025-03',
        units: 5,
        amount: 27500,
        product: '45A99',
        ref: 'C4c',
        prevRef: 'C4',
        dc: 'C',
        date: '2025-04-10',
      },
    ],
  },
  // --- 0482 allocations (JW301), with family keys where the input gives them.
  {
    name: 'jw301.xml',
    type: 'JW301',
    date: '2025-01-01',
    allocations: [
      ...['k1', 'k2', 'k3'].map((c) => ({
        client: c,
        number: `A-${c}`,
        start: '2025-01-01',
        end: '2025-12-31',
        category: '43',
        product: '43B01',
        family: 'FAM-A',
        providerReference: `PR-${c}`,
      })),
      ...['k4', 'k5'].map((c) => ({
        client: c,
        number: `A-${c}`,
        start: '2025-01-01',
        end: '2025-12-31',
        category: '44',
        product: '44A01',
        family: 'FAM-B',
      })),
      {
        client: 'k6',
        number: 'A-k6',
        start: '2025-01-01',
        end: '2025-12-31',
        category: '43',
        product: '43B01',
        family: 'FAM-C',
      },
      { client: 'k7', number: 'A-k7', start: '2025-01-01', end: '2025-12-31', family: 'FAM-C' },
      { client: 'k8', number: 'A-k8', start: '2025-01-01', end: '2025-12-31', family: 'FAM-C' },
      { client: 'o1', number: 'A-over', start: '2025-01-01', end: '2025-03-31', volume: 10, frequency: '2' },
      { client: 'o2', number: 'A-ok', start: '2025-01-01', end: '2025-12-31', volume: 2, frequency: '2' },
      { client: 'u1', number: 'A-unused', start: '2025-01-01', volume: 3, frequency: '2' },
      { client: 'u2', number: 'A-later', start: '2025-05-01', volume: 3, frequency: '2' },
      { client: 'u3', number: 'A-p4', start: '2025-01-01', provider: P4 },
      { client: 't1', number: 'A-stop', start: '2025-01-01', end: '2025-12-31', provider: P2 },
      // Re-entry: r1 exits 2024-03-31 and comes back 2024-08-01; r2 renews on 2024-03-01 and exits 2024-04-30.
      { client: 'r1', number: 'A-r1a', start: '2024-01-01', end: '2024-03-31', provider: P4 },
      {
        client: 'r1',
        number: 'A-r1b',
        start: '2024-08-01',
        end: '2024-10-31',
        provider: P4,
        category: '54',
        product: '54A01',
      },
      { client: 'r2', number: 'A-r2a', start: '2024-01-01', end: '2024-02-29', provider: P4 },
      { client: 'r2', number: 'A-r2b', start: '2024-03-01', end: '2024-04-30', provider: P4 },
    ],
  },
  {
    name: 'jw315.xml',
    type: 'JW315',
    date: '2024-12-01',
    requests: [{ client: 'k1', providerReference: 'PR-k1', referrer: '04' }],
  },
  {
    name: 'jw315b.xml',
    type: 'JW315',
    date: '2024-12-20',
    requests: [{ client: 'k2', providerReference: 'PR-k2', referrer: '02' }],
  },
  {
    name: 'jw305.xml',
    type: 'JW305',
    date: '2025-01-10',
    events: [{ client: 'k1', number: 'A-k1', kind: 'start', date: '2025-01-10' }],
  },
  {
    name: 'jw307.xml',
    type: 'JW307',
    date: '2025-02-20',
    events: [{ client: 't1', number: 'A-stop', kind: 'stop', date: '2025-02-15', reason: '31', provider: P2 }],
  },
  // --- 0482 declarations.
  {
    name: 'n1.xml',
    type: 'JW323',
    date: '2025-04-10',
    lines: [
      ...['k1', 'k2', 'k3'].flatMap((c) =>
        months(Q1, {
          client: c,
          units: 30,
          amount: 600000,
          category: '43',
          product: '43B01',
          unit: '14',
          allocation: `A-${c}`,
        }),
      ),
      ...['k4', 'k5'].map((c) => ({
        client: c,
        month: '2025-01',
        units: 30,
        amount: 600000,
        category: '44',
        product: '44A01',
        unit: '14',
        allocation: `A-${c}`,
      })),
      {
        client: 'k6',
        month: '2025-01',
        units: 30,
        amount: 600000,
        category: '43',
        product: '43B01',
        unit: '14',
        allocation: 'A-k6',
      },
      { client: 'k7', month: '2025-01', units: 20, amount: 100000, allocation: 'A-k7' },
      { client: 'k8', month: '2025-01', units: 20, amount: 100000, allocation: 'A-k8' },
      { client: 's1', month: '2025-01', units: 20, amount: 100000 },
      ...months(Q1, { client: 'o1', units: 5, amount: 25000, allocation: 'A-over' }),
      ...months(Q1, { client: 'o2', units: 8, amount: 40000, allocation: 'A-ok' }),
      // A double declaration in two declarations of one provider, and one across providers.
      { client: 'd1', month: '2025-02', units: 10, amount: 50000 },
      { client: 'd2', month: '2025-02', units: 8, amount: 40000 },
      // Corrected: debit, credit, debit again (not a double).
      { client: 'd3', month: '2025-02', units: 4, amount: 20000, ref: 'D3a' },
      { client: 'd3', month: '2025-02', units: 4, amount: 20000, ref: 'D3c', prevRef: 'D3a', dc: 'C' },
      { client: 'd3', month: '2025-02', units: 4, amount: 20000, ref: 'D3b' },
      { client: 'n1', month: '2025-02', units: 6, amount: 30000, allocation: 'A-none' },
    ],
  },
  {
    name: 'n2.xml',
    type: 'JW323',
    date: '2025-06-10',
    lines: [{ client: 'd1', month: '2025-02', units: 10, amount: 50000, decl: 'N2' }],
  },
  {
    name: 'p2.xml',
    type: 'JW323',
    date: '2025-05-10',
    lines: [
      { client: 'd2', month: '2025-02', units: 8, amount: 40000, provider: P2, decl: 'M1' },
      { client: 't1', month: '2025-02', units: 5, amount: 25000, provider: P2, decl: 'M1', allocation: 'A-stop' },
      { client: 't1', month: '2025-03', units: 5, amount: 25000, provider: P2, decl: 'M1', allocation: 'A-stop' },
      {
        client: 'x1',
        month: '2025-03',
        units: 1,
        amount: 5000,
        provider: P2,
        decl: 'M1',
        ref: 'X1',
        prevRef: 'NOPE',
        dc: 'C',
      },
    ],
  },
];

describe.each(ENGINES)('insight queries on %s', (engine) => {
  let w: Warehouse;
  beforeAll(async () => {
    w = await freshWarehouse(engine);
    await load(w, FILES);
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed before opening it
    await w?.close();
  });

  it('gives the decomposition inputs per slice × product × unit, counting clients with a positive net cost', async () => {
    const d = await decompositionInputs(runner(w), {
      before: { from: '2024-01', to: '2024-12' },
      after: { from: '2025-01', to: '2025-12' },
      by: 'category',
      municipalities: ['0505'],
    });
    expect(d.rows).toEqual([
      { period: 'after', slice: '45', product: '45A99', unit: '04', amountCents: 181500, units: 33, clients: 3 },
      { period: 'before', slice: '45', product: '45A99', unit: '04', amountCents: 100000, units: 20, clients: 2 },
      { period: 'before', slice: '45', product: '45B02', unit: '01', amountCents: 10000, units: 100, clients: 1 },
    ]);
    // c4's debit and its credit net to zero in 2025: not a client with a positive net cost, but one with a
    // line, as the cost tables count it.
    expect(d.sliceClients).toEqual([
      { slice: '45', period: 'after', clients: 3, allClients: 4 },
      { slice: '45', period: 'before', clients: 3, allClients: 3 },
    ]);
    expect(d.totalClients).toEqual({ before: 3, after: 3 });
    expect(d.totalAllClients).toEqual({ before: 3, after: 4 });
    const s = at(decompose(cellsFromRows(d.rows), d.sliceClients), 0);
    expect(s.changeCents).toBe(71500);
    expect(s.volumeCents + s.intensityCents + s.priceCents).toBe(71500);
    expect(s.products.find((p) => p.product === '45B02')).toMatchObject({ method: 'exit', volumeCents: -10000 });
    const byRef = await decompositionInputs(runner(w), {
      before: { from: '2024-01', to: '2024-12' },
      after: { from: '2025-01', to: '2025-12' },
      by: 'referrer',
      municipalities: ['0505'],
    });
    expect(new Set(byRef.rows.map((r) => r.slice))).toEqual(new Set(['onbekend']));
  });

  it('finds costly families and flags a family with three children placed out of home', async () => {
    const f = await familyCosts(runner(w), { from: '2025-01', to: '2025-12', municipalities: ['0482'], top: 3 });
    expect(f.families.slice(0, 3)).toEqual([
      {
        municipality: '0482',
        family: 'FAM-A',
        keyed: true,
        clients: 3,
        outOfHomeClients: 3,
        amountCents: 5400000,
        outOfHomeCents: 5400000,
        rank: 1,
      },
      {
        municipality: '0482',
        family: 'FAM-B',
        keyed: true,
        clients: 2,
        outOfHomeClients: 2,
        amountCents: 1200000,
        outOfHomeCents: 1200000,
        rank: 2,
      },
      {
        municipality: '0482',
        family: 'FAM-C',
        keyed: true,
        clients: 3,
        outOfHomeClients: 1,
        amountCents: 800000,
        outOfHomeCents: 600000,
        rank: 3,
      },
    ]);
    const total = at(await w.costs({ by: [], year: 2025, municipalities: ['0482'] }), 0);
    expect(f.totals).toEqual([{ municipality: '0482', amountCents: total.amountCents, clients: total.clients }]);
    const sc = at(specialCases(f), 0);
    expect(sc.cases.map((c) => c.family)).toEqual(['FAM-A']);
    expect(sc.specialCents).toBe(5400000);
    expect(sc.withoutSpecialCents).toBe(total.amountCents - 5400000);
    expect(at(specialCases(f, 2), 0).cases.map((c) => c.family)).toEqual(['FAM-A', 'FAM-B']);
    expect(await specialCaseMonthly(runner(w), { from: '2025-01', to: '2025-12' })).toEqual(
      Q1.map((month) => ({ municipality: '0482', month, amountCents: 1800000 })),
    );
    const clients = await topClients(runner(w), { from: '2025-01', to: '2025-12', municipalities: ['0482'], top: 2 });
    expect(clients).toEqual([
      {
        municipality: '0482',
        client: 'k1',
        family: 'FAM-A',
        amountCents: 1800000,
        outOfHome: true,
        categories: ['43'],
        providers: 1,
        rank: 1,
      },
      {
        municipality: '0482',
        client: 'k2',
        family: 'FAM-A',
        amountCents: 1800000,
        outOfHome: true,
        categories: ['43'],
        providers: 1,
        rank: 2,
      },
    ]);
  });

  it('builds client journeys, flows, request → start times and re-entries', async () => {
    const flows = await journeyFlows(runner(w), { from: '2025-01', to: '2025-03', municipalities: ['0482'] });
    expect(flows.find((r) => r.referrer === '04')).toEqual({
      municipality: '0482',
      referrer: '04',
      firstCategory: '43',
      nextCategory: null,
      end: 'lopend',
      clients: 1,
    });
    expect(flows.find((r) => r.referrer === '02')).toMatchObject({ firstCategory: '43', clients: 1 });
    const r1 = await journeyFlows(runner(w), { from: '2024-01', to: '2024-01', municipalities: ['0482'] });
    expect(r1).toEqual([
      { municipality: '0482', referrer: '01', firstCategory: '45', nextCategory: null, end: 'afgesloten', clients: 1 },
      { municipality: '0482', referrer: '01', firstCategory: '45', nextCategory: '54', end: 'afgesloten', clients: 1 },
    ]);
    const waits = await requestToStart(runner(w), { from: '2024-12', to: '2024-12' });
    expect(waits).toEqual([
      { municipality: '0482', days: 12, allocations: 1 },
      { municipality: '0482', days: 40, allocations: 1 },
    ]);
    expect(waitingStats(waits)[0]).toMatchObject({
      municipality: '0482',
      allocations: 2,
      medianDays: 12,
      meanDays: 26,
      p90Days: 40,
    });
    const re = await reEntries(runner(w), { from: '2024-01', to: '2024-12', municipalities: ['0482'] });
    expect(re).toEqual([{ municipality: '0482', exits: 3, observable: 2, reEntries: 1 }]);
    expect(reEntryRates(re).at(-1)).toMatchObject({ municipality: null, rate: 0.5 });
    const j = orderJourney(await clientJourney(runner(w), { client: 'k1' }));
    expect(j.map((e) => e.kind)).toEqual(['request', 'allocation', 'declarations', 'start']);
    expect(j[0]).toMatchObject({ date: '2024-12-01', detail: '04', fileName: 'jw315.xml' });
    expect(j[2]).toMatchObject({ amountCents: 1800000, detail: '2025-01 … 2025-03, 3 regels' });
    expect(await clientJourney(runner(w), { client: 'k1', municipalities: ['0505'] })).toEqual([]);
  });

  it('finds the planted data-quality problems, with amounts and file + line, and nothing else', async () => {
    const r = await dataQuality(runner(w), { municipalities: ['0482'] });
    expect(r.horizon).toBe('2025-03-31');
    const c = Object.fromEntries(r.checks.map((x) => [x.id, x]));
    const double = field(c, 'double');
    const overIndication = field(c, 'overIndication');
    const unusedAllocation = field(c, 'unusedAllocation');
    const noAllocation = field(c, 'noAllocation');
    const afterStop = field(c, 'afterStop');
    expect(double).toMatchObject({ checked: true, count: 2, amountCents: 90000 });
    expect(double.examples.map((e) => [e.client, e.provider, e.amountCents])).toEqual([
      ['d1', P1, 50000],
      ['d2', `${P1}+${P2}`, 40000],
    ]);
    expect(double.examples[0]).toMatchObject({
      fileName: 'n2.xml',
      sourceLine: 11,
      related: expect.arrayContaining(['n2.xml:11']),
    });
    expect(at(double.examples, 0).related).toHaveLength(2);
    // A-over: 10 hours a week over 90 days = 128.57 h allocated, 15 delivered; € 50 an hour. It ended on the
    // horizon, so it is judged (were it still running, only 90 days in, it would not be judged yet).
    expect(overIndication).toMatchObject({ count: 1, amountCents: Math.round((900 / 7 - 15) * 5000) });
    expect(overIndication.examples[0]).toMatchObject({
      allocationNumber: 'A-over',
      fileName: 'jw301.xml',
      client: 'o1',
    });
    // The SQL allocates to date as the domain does (allocatedUnitsToDate, from FREQUENCY_DAYS): 900 / 7 = 128,6 h;
    // 15 of 128,57 delivered is 11,7% → 12%.
    expect(allocatedUnitsToDate({ volume: 10, frequency: '2', elapsedDays: 90, spanDays: 90 })).toBeCloseTo(900 / 7, 9);
    expect(overIndication.examples[0]?.detail).toMatch(/^toegewezen tot nu 128,6, geleverd 15 \(eenheid \S+, 12%\)$/);
    expect(unusedAllocation).toMatchObject({ count: 1, amountCents: Math.round((270 / 7) * 5000) });
    expect(at(unusedAllocation.examples, 0).allocationNumber).toBe('A-unused');
    expect(noAllocation).toMatchObject({ count: 1, amountCents: 30000 });
    expect(noAllocation.examples[0]).toMatchObject({ client: 'n1', fileName: 'n1.xml' });
    expect(afterStop).toMatchObject({ count: 1, amountCents: 25000 });
    expect(afterStop.examples[0]).toMatchObject({
      client: 't1',
      period: '2025-03-01 … 2025-03-31',
      detail: 'zorg gestopt per 2025-02-15',
    });
    expect(c.creditWithoutDebit).toMatchObject({ count: 1, amountCents: 5000 });
    expect(double.byProvider).toEqual([
      { provider: P1, count: 1, amountCents: 50000 },
      { provider: `${P1}+${P2}`, count: 1, amountCents: 40000 },
    ]);
    // Filters: another municipality sees none of it; production months outside leave the lines out.
    const other = await dataQuality(runner(w), { municipalities: ['0505'], examples: 0 });
    expect(other.checks.every((x) => x.count === 0)).toBe(true);
    const march = await dataQuality(runner(w), { municipalities: ['0482'], from: '2025-03', to: '2025-03' });
    expect(march.checks.find((x) => x.id === 'double')!.count).toBe(0);
    expect(march.checks.find((x) => x.id === 'afterStop')!.count).toBe(1);
    // As known on 31 May: the second declaration of d1 (dated 10 June) is not there yet.
    const early = await dataQuality(runner(w), { municipalities: ['0482'], asOf: '2025-05-31' });
    expect(early.horizon).toBe('2025-02-28');
    expect(early.checks.find((x) => x.id === 'double')).toMatchObject({ count: 1, amountCents: 40000 });
  });

  it('serves `grip drivers` and `grip check` (report, sentences, JSON shape)', async () => {
    const src = { driverInputs: (q: Parameters<typeof decompositionInputs>[1]) => decompositionInputs(runner(w), q) };
    const req = parseDriversOptions({
      fromPeriod: '2024',
      toPeriod: '2025',
      municipality: 'GM0505',
      by: 'category',
      top: '3',
      basis: 'ingediend',
    });
    const r = await driversReport(src, req);
    expect(r.total).toMatchObject({
      beforeCents: 110000,
      afterCents: 181500,
      changeCents: 71500,
      beforeClients: 3,
      afterClients: 3,
    });
    expect(r.total.volumeCents + r.total.intensityCents + r.total.priceCents).toBe(71500);
    expect(at(r.slices, 0).sentence).toMatch(/^De kosten ambulante jeugdhulp stegen € 715: /);
    const text = formatDrivers(r, 3);
    if (process.env.SHOW) console.log(text);
    expect(text).toContain('Kostendrijvers 2024 → 2025 (0505 Dordrecht), per category');
    expect(text).toContain('45 Jeugdhulp ambulant');
    expect(text).toContain('Grootste bijdragen aan de verandering:');
    expect(JSON.parse(JSON.stringify(r)).slices[0].products).toHaveLength(2);
    expect(() =>
      parseDriversOptions({ fromPeriod: '2024', toPeriod: 'x', by: 'category', top: '3', basis: 'ingediend' }),
    ).toThrow(/not a period/);
    expect(() =>
      parseDriversOptions({ fromPeriod: '2024', toPeriod: '2025', by: 'month', top: '3', basis: 'ingediend' }),
    ).toThrow(/--by/);

    const q = parseCheckOptions({ municipality: '482', examples: '2', threshold: '0.5', lag: '3' });
    expect(q).toMatchObject({ municipalities: ['0482'], examples: 2, threshold: 0.5, lagMonths: 3 });
    const report = await dataQuality(runner(w), q);
    const out = formatCheck(report);
    if (process.env.SHOW) console.log(out);
    expect(out).toContain('Data quality: 0482 Alblasserdam');
    expect(out).toMatch(/Double registrations.*2 groups.*€ 900,00/);
    expect(out).toContain('n2.xml:11');
    expect(() => parseCheckOptions({ threshold: '2', examples: '5', lag: '3' })).toThrow(/--threshold/);
    expect(() => parseCheckOptions({ from: '2025-13', threshold: '0.5', examples: '5', lag: '3' })).toThrow(/--from/);
  });
});
