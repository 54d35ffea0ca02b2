/**
 * The derived tables brought up to date from the files they already reflect (sql/base.ts advanceDerived) must
 * equal a whole rebuild (REFRESH_DERIVED) after every import. Two warehouses get the same random files, one
 * import at a time: one refreshes from where it stands, the other is rebuilt whole each time; their
 * allocation referrers, rejected lines and findings (TR314, TR323, TR389) must be the same after every step.
 * The files are drawn from few providers, clients, months and reference numbers, so repeats, credits of
 * earlier and later debits, credits without a debit, second debits and JW325 rejections of earlier and later
 * lines all occur.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng as random } from '../../generate/index.js';
import { ENGINES, freshWarehouse } from '../testing/engines.js';
import type {
  AllocationRow,
  DeclarationAnswerRow,
  DeclarationLineRow,
  MessageType,
  RequestRow,
  Warehouse,
} from '../warehouse.js';

interface Rows {
  type: MessageType;
  lines: Omit<DeclarationLineRow, 'seq' | 'sourceLine'>[];
  answers: Omit<DeclarationAnswerRow, 'seq' | 'sourceLine'>[];
  allocations: Omit<AllocationRow, 'seq' | 'sourceLine'>[];
  requests: Omit<RequestRow, 'seq' | 'sourceLine'>[];
}

/** Random files; `refs` remembers every reference number so far (credits and answers point back at them). */
function makeFile(rnd: () => number, n: number, refs: { provider: string; ref: string; decl: string }[]): Rows {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const providers = ['11110001', '22220002'];
  const months = ['2025-01', '2025-02', '2025-03'];
  const kind = rnd();
  const rows: Rows = { type: 'JW323', lines: [], answers: [], allocations: [], requests: [] };
  if (kind < 0.15) {
    rows.type = 'JW301';
    for (let i = 0; i < 3; i++)
      rows.allocations.push({
        municipality: '0482',
        provider: pick(providers),
        client: pick(['c1', 'c2', 'c3']),
        birthYear: 2012,
        allocationNumber: pick(['A1', 'A2']),
        providerReference: pick(['PR1', 'PR2', null]),
        category: '45',
        productCode: '45A03',
        allocationDate: pick(['2025-01-02', '2025-02-03']),
        startDate: '2025-01-01',
        endDate: null,
        volume: null,
        unit: null,
        frequency: null,
        budgetCents: null,
        family: null,
      });
    return rows;
  }
  if (kind < 0.25) {
    rows.type = 'JW315';
    rows.requests.push({
      municipality: '0482',
      provider: pick(providers),
      client: pick(['c1', 'c2', 'c3']),
      providerReference: pick(['PR1', 'PR2']),
      category: '45',
      productCode: '45A03',
      referrerType: pick(['02', '03', '04']),
      startDate: null,
      endDate: null,
    });
    return rows;
  }
  if (kind < 0.35 && refs.length) {
    rows.type = 'JW325';
    for (let i = 0; i < 2; i++) {
      // An answer for a line already in, or for one that comes later (a reference number not used yet).
      const r = rnd() < 0.7 ? pick(refs) : { provider: pick(providers), ref: `R${refs.length + 1 + i}`, decl: 'D1' };
      rows.answers.push({
        municipality: '0482',
        provider: r.provider,
        client: 'c1',
        declarationNumber: r.decl,
        referenceNumber: r.ref,
        amountCents: 100,
        returnCodes: ['0001'],
        accepted: rnd() < 0.3,
        answerDate: '2025-04-01',
      });
    }
    return rows;
  }
  const decl = `D${n}`;
  for (let i = 0; i < 4; i++) {
    const provider = pick(providers);
    const credit = rnd() < 0.3;
    // Mostly new reference numbers; some repeat an earlier one (TR314), some are the next one a later credit names.
    const repeat = refs.filter((r) => r.provider === provider);
    const ref = !credit && repeat.length && rnd() < 0.15 ? pick(repeat).ref : `R${refs.length + 1}`;
    const previous = credit
      ? rnd() < 0.6 && repeat.length
        ? pick(repeat).ref
        : rnd() < 0.5
          ? `R${refs.length + 2 + Math.floor(rnd() * 8)}` // a debit that may come later, often in a later file
          : null
      : null;
    const month = pick(months);
    rows.lines.push({
      municipality: '0482',
      provider,
      client: pick(['c1', 'c2']),
      declarationNumber: decl,
      declarationDate: '2025-04-10',
      declarationPeriodStart: null,
      referenceNumber: ref,
      previousReferenceNumber: previous,
      allocationNumber: pick(['A1', null]),
      category: '45',
      productCode: pick(['45A03', null]),
      periodStart: `${month}-01`,
      periodEnd: `${month}-28`,
      volume: 1,
      unit: '04',
      tariffCents: null,
      amountCents: credit ? -1000 : 1000,
      debitCredit: credit ? 'C' : 'D',
      referrer: null,
      family: null,
    });
    refs.push({ provider, ref, decl });
  }
  return rows;
}

async function store(w: Warehouse, files: Rows[], names: string[]): Promise<void> {
  const s = await w.beginImport();
  files.forEach((f, i) => {
    const { fileId, sink } = s.beginFile();
    let seq = 0;
    const at = () => ({ seq: ++seq, sourceLine: seq });
    for (const l of f.lines) sink.row('declaration_lines', { ...l, ...at() });
    for (const a of f.answers) sink.row('declaration_answers', { ...a, ...at() });
    for (const a of f.allocations) sink.row('allocations', { ...a, ...at() });
    for (const r of f.requests) sink.row('requests', { ...r, ...at() });
    const name = names[i] ?? 'f';
    s.endFile(
      fileId,
      {
        name,
        path: name,
        sha256: createHash('sha256').update(name).digest('hex'),
        messageType: f.type,
        sender: '11110001',
        receiver: '0482',
        messageId: name,
        messageDate: '2025-04-10',
        sizeBytes: 1,
      },
      { lines: f.lines.length, totalCents: f.lines.reduce((t, l) => t + l.amountCents, 0) },
      false,
    );
  });
  await s.commit();
}

type Sql = {
  all(sql: string): Promise<Record<string, unknown>[]>;
  exec(sql: string): Promise<void>;
};
const sqlOf = (w: Warehouse) => w as unknown as Sql;

/** The derived tables, as sorted text rows. */
async function derived(w: Warehouse): Promise<Record<string, string[]>> {
  const read = async (sql: string) =>
    (await sqlOf(w).all(sql)).map((r) => Object.values(r).map(String).join('|')).sort();
  return {
    referrers: await read(`SELECT municipality, provider, allocation_number, referrer FROM allocation_referrers`),
    rejected: await read(`SELECT file_id, seq FROM rejected_lines`),
    findings: await read(`SELECT rule, file_id, seq, detail FROM findings`),
  };
}

describe.each(ENGINES)('derived tables from where they stand (%s)', (engine) => {
  let step: Warehouse;
  let whole: Warehouse;
  beforeAll(async () => {
    step = await freshWarehouse(engine);
    whole = await freshWarehouse(engine);
  });
  afterAll(async () => {
    await step.close();
    await whole.close();
  });

  it('equal a whole rebuild after every import', async () => {
    const rnd = random(20261206);
    const refs: { provider: string; ref: string; decl: string }[] = [];
    let n = 0;
    const seen = { TR314: 0, TR323: 0, TR389: 0, rejected: 0, referrers: 0, resolvedTR323: 0, resolvedTR389: 0 };
    let before: Record<string, string[]> = { findings: [] };
    for (let round = 0; round < 40; round++) {
      // Usually one file per import, sometimes several in one transaction.
      const count = rnd() < 0.2 ? 3 : 1;
      const files = Array.from({ length: count }, () => makeFile(rnd, ++n, refs));
      const names = files.map((_, i) => `f${n}-${i}`);
      await store(step, files, names);
      await store(whole, files, names);
      await step.refreshDerived();
      await sqlOf(whole).exec(`UPDATE derived_state SET upto = 0`);
      await whole.refreshDerived();
      const got = await derived(step);
      expect(got, `after import ${round + 1}`).toEqual(await derived(whole));
      for (const rule of ['TR314', 'TR323', 'TR389'] as const)
        seen[rule] = Math.max(seen[rule], got.findings?.filter((f) => f.startsWith(rule)).length ?? 0);
      seen.rejected = Math.max(seen.rejected, got.rejected?.length ?? 0);
      seen.referrers = Math.max(seen.referrers, got.referrers?.filter((r) => !r.endsWith('|01')).length ?? 0);
      // Findings that an import took away: a credit's debit came (TR323), a credit ended a debit's run (TR389).
      for (const rule of ['TR323', 'TR389'] as const)
        if (before.findings?.some((f) => f.startsWith(rule) && !got.findings?.includes(f))) seen[`resolved${rule}`]++;
      before = got;
    }
    // The random files did exercise every rule, and findings that later files resolve.
    expect(seen.TR314).toBeGreaterThan(0);
    expect(seen.TR323).toBeGreaterThan(0);
    expect(seen.TR389).toBeGreaterThan(0);
    expect(seen.rejected).toBeGreaterThan(0);
    expect(seen.referrers).toBeGreaterThan(0);
    expect(seen.resolvedTR323).toBeGreaterThan(0);
    expect(seen.resolvedTR389).toBeGreaterThan(0);
  });

  it('record the newest file they reflect, and stay put (same data version) when nothing is new', async () => {
    const w = await freshWarehouse(engine);
    try {
      const rnd = random(7);
      const refs: { provider: string; ref: string; decl: string }[] = [];
      await store(w, [makeFile(rnd, 1, refs), makeFile(rnd, 2, refs)], ['a', 'b']);
      await w.refreshDerived();
      const state = async () => Number((await sqlOf(w).all(`SELECT upto FROM derived_state`))[0]?.upto);
      const newest = Number((await sqlOf(w).all(`SELECT MAX(id) AS m FROM source_files`))[0]?.m);
      expect(await state()).toBe(newest);
      const version = async () => Number((await sqlOf(w).all(`SELECT version FROM data_version`))[0]?.version);
      const v = await version();
      await w.refreshDerived(); // nothing new: nothing done, readers' caches stay valid
      expect(await state()).toBe(newest);
      expect(await version()).toBe(v);
      await store(w, [makeFile(rnd, 3, refs)], ['c']);
      await w.refreshDerived();
      expect(await state()).toBe(newest + 1);
      expect(await version()).toBe(v + 1);
    } finally {
      await w.close();
    }
  });
});
