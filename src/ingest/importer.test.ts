import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { at } from '../domain/indexing.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { ENGINES } from '../warehouse/testing/engines.js';
import { importPaths } from './importer.js';
import { makePseudonymiser } from './pseudonymise.js';
import {
  TEST_KEY,
  TEST_MESSAGES,
  importInto,
  jw301Xml,
  jw315Xml,
  jw323Xml,
  openTestWarehouse,
  tempDir,
  writeFile,
} from './testing/fixtures.js';

let w: Warehouse | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

/** The in-stream check only (these tests write their own files). */
const noXsd = { available: false, why: 'not needed: written by the test', validate: async () => new Map() };

const byMonth = async (wh: Warehouse) =>
  Object.fromEntries((await wh.costs({ by: ['month'] })).map((r) => [r.month, r.amountCents]));

describe.each(ENGINES)('on %s', (engine) => {
  describe("the project's JW323 test message (testing/messages/JW323.xml)", () => {
    it('imports to the cent: 79000 in total, 21000 in March and 58000 in April 2026, two clients', async () => {
      w = await openTestWarehouse(':memory:', engine);
      const s = await importInto(w, [join(TEST_MESSAGES, 'JW323.xml')]);
      expect(s.imported).toBe(1);
      expect(s.rejected).toBe(0);
      expect(s.xsdValidated).toBe(true);
      // Hand sums of the five prestaties (volume × tariff): April 8 × 1000 + 20 × 1250 + 5 × 1000 + 16 × 1250
      // = 8000 + 25000 + 5000 + 20000 = 58000; March 14 × 1500 = 21000.
      expect(await byMonth(w)).toEqual({ '2026-03': 21000, '2026-04': 58000 });
      const [total] = await w.costs({ by: [] });
      expect(total).toMatchObject({ amountCents: 79000, clients: 2, lines: 5 });
      // Declared in May (DeclaratieDagtekening 2026-05-08), produced in March/April: both months are kept.
      // Units: 8 + 20 + 5 + 16 + 14 = 63 hours delivered.
      expect(await w.costs({ by: ['declarationMonth'] })).toEqual([
        { declarationMonth: '2026-05', amountCents: 79000, clients: 2, lines: 5, units: 63 },
      ]);
      // REF-B2 appears twice: TR314, imported as submitted and flagged once (the second, March line).
      const st = await w.status();
      expect(st.findings).toEqual([expect.objectContaining({ rule: 'TR314', lines: 1, amountCents: 21000 })]);
      expect(st.unknownReferrerLines).toBe(5);
    });

    it('a run that finds nothing new still brings derived tables up that a killed import left behind', async () => {
      w = await openTestWarehouse(':memory:', engine);
      const file = join(TEST_MESSAGES, 'JW323.xml');
      await importInto(w, [file]);
      // As a kill between a group's commit and the refresh leaves it: rows in, their findings not.
      const sql = w as unknown as { exec(q: string): Promise<void> };
      await sql.exec(`DELETE FROM findings`);
      await sql.exec(`UPDATE derived_state SET upto = 0`);
      expect((await w.status()).findings).toEqual([]);
      const again = await importInto(w, [file]);
      expect([again.imported, again.skipped]).toEqual([0, 1]);
      expect((await w.status()).findings).toEqual([expect.objectContaining({ rule: 'TR314', lines: 1 })]);
    });

    it('with its JW325 answer: rejected lines stop counting as toegekend, ingediend stays as submitted', async () => {
      w = await openTestWarehouse(':memory:', engine);
      await importInto(w, [join(TEST_MESSAGES, 'JW323.xml'), join(TEST_MESSAGES, 'JW325.xml')]);
      // The answer rejects REF-A1 (8000, code 0611), REF-A2 (25000, 9339/9341) and REF-B1 (5000, 9307).
      expect(at(await w.costs({ by: [] }), 0).amountCents).toBe(79000);
      expect(at(await w.costs({ by: [], basis: 'toegekend' }), 0).amountCents).toBe(79000 - 8000 - 25000 - 5000);
      const st = await w.status();
      expect([st.rejectedLines, st.rejectedCents]).toEqual([3, 38000]);
    });

    it('is idempotent: importing the same file again changes nothing', async () => {
      w = await openTestWarehouse(':memory:', engine);
      const f = join(TEST_MESSAGES, 'JW323.xml');
      await importInto(w, [f]);
      const again = await importInto(w, [f]);
      expect(again.imported).toBe(0);
      expect(again.skipped).toBe(1);
      expect(at(again.outcomes, 0).reason).toMatch(/already imported/);
      expect(at(await w.costs({ by: [] }), 0).amountCents).toBe(79000);
    });

    it('rejects the JW315 test message (date 2026-09-31) naming file, line and element, importing nothing of it', async () => {
      w = await openTestWarehouse(':memory:', engine);
      const s = await importInto(w, [join(TEST_MESSAGES, 'JW315.xml'), join(TEST_MESSAGES, 'JW323.xml')]);
      expect(s.rejected).toBe(1);
      expect(s.imported).toBe(1);
      const bad = s.outcomes.find((o) => o.status === 'rejected')!;
      expect(bad.reason).toMatch(/JW315\.xml:41/);
      expect(bad.reason).toMatch(/ToewijzingEinddatum/);
      expect(bad.reason).toMatch(/2026-09-31/);
      expect((await w.status()).files.map((f) => f.messageType)).toEqual(['JW323']);
    });
  });

  describe('looking files up', () => {
    /** The warehouse, counting its findFilesBySha calls. */
    const counting = (wh: Warehouse) => {
      const calls = { n: 0, hashes: 0 };
      const proxy = new Proxy(wh, {
        get(target, key, receiver) {
          const v: unknown = Reflect.get(target, key, receiver);
          if (key === 'findFilesBySha')
            return (sha256s: string[]) => {
              calls.n++;
              calls.hashes += sha256s.length;
              return target.findFilesBySha(sha256s);
            };
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
      return { proxy, calls };
    };
    // 300 allocations, then a copy of the first, examined after the first was stored: small groups, on one
    // thread (the input is examined as the groups need it, 128 files at a time: three batches).
    const folder = () => {
      const dir = tempDir();
      const first = jw301Xml({ bsn: '999900006', allocation: '7000', providerReference: 'R-0', start: '2026-01-01' });
      writeFile(dir, 'a000.xml', first);
      for (let i = 1; i < 300; i++)
        writeFile(
          dir,
          `a${String(i).padStart(3, '0')}.xml`,
          jw301Xml({
            bsn: '999900006',
            allocation: String(7000 + i),
            providerReference: `R-${i}`,
            start: '2026-01-01',
          }),
        );
      writeFile(dir, 'z-copy.xml', first);
      return dir;
    };
    const run = (wh: Warehouse, dir: string) =>
      importPaths([dir], {
        warehouse: wh,
        pseudonymise: makePseudonymiser(TEST_KEY),
        xsd: noXsd,
        groupLines: 20,
        workers: 1,
      });

    it('into an empty warehouse looks up only a file repeating one stored earlier in the run, and skips it', async () => {
      w = await openTestWarehouse(':memory:', engine);
      const { proxy, calls } = counting(w);
      const s = await run(proxy, folder());
      expect(calls.n).toBe(1); // the copy's batch, for the first file's name
      expect([s.imported, s.skipped, s.rejected]).toEqual([300, 1, 0]);
      expect(s.outcomes.find((o) => o.status === 'skipped')).toMatchObject({
        file: expect.stringMatching(/z-copy\.xml$/) as unknown,
        reason: 'already imported (as a000.xml)',
      });
    });

    it('into a warehouse that holds files looks the new ones up', async () => {
      w = await openTestWarehouse(':memory:', engine);
      await importInto(w, [join(TEST_MESSAGES, 'JW323.xml')]);
      const { proxy, calls } = counting(w);
      const s = await run(proxy, folder());
      // Every new file is looked up, in few large look-ups (each scans the stored hashes on DuckDB): the 300
      // distinct files in one (the copy is known from the run itself before it would be asked for).
      expect(calls).toEqual({ n: 1, hashes: 300 });
      expect([s.imported, s.skipped]).toEqual([300, 1]);
    });
  });

  describe('referrers', () => {
    it('resolves JW323 → JW301 allocation → JW315 request; no request means municipal access (01); no allocation means onbekend', async () => {
      const dir = tempDir();
      writeFile(
        dir,
        'req.xml',
        jw315Xml({ bsn: '999900006', providerReference: 'REF-A', referrer: '02', start: '2026-01-01' }),
      );
      writeFile(
        dir,
        'alloc-a.xml',
        jw301Xml({ bsn: '999900006', allocation: '5001', providerReference: 'REF-A', start: '2026-01-01' }),
      );
      writeFile(dir, 'alloc-b.xml', jw301Xml({ bsn: '999900018', allocation: '5002', start: '2026-01-01' }));
      writeFile(
        dir,
        'decl.xml',
        jw323Xml({
          declarationNumber: 'D1',
          declarationDate: '2026-02-05',
          periodMonth: '2026-01',
          lines: [
            { bsn: '999900006', ref: 'R1', allocation: '5001', month: '2026-01', amount: 10000 },
            { bsn: '999900018', ref: 'R2', allocation: '5002', month: '2026-01', amount: 2000 },
            { bsn: '999900018', ref: 'R3', allocation: '9999', month: '2026-01', amount: 300 },
          ],
        }),
      );
      w = await openTestWarehouse(':memory:', engine);
      const s = await importInto(w, [dir]);
      expect(s.rejected).toBe(0);
      expect(s.imported).toBe(4);
      expect(await w.costs({ by: ['referrer'] })).toEqual([
        { referrer: '01', amountCents: 2000, clients: 1, lines: 1, units: 1 },
        { referrer: '02', amountCents: 10000, clients: 1, lines: 1, units: 1 },
        { referrer: 'onbekend', amountCents: 300, clients: 1, lines: 1, units: 1 },
      ]);
    });
  });

  describe('business rules: imported as submitted, flagged', () => {
    it('flags TR323 (credit without debit) and TR389 (second debit), and credits cancel their debit', async () => {
      const dir = tempDir();
      writeFile(
        dir,
        'a.xml',
        jw323Xml({
          declarationNumber: 'D1',
          declarationDate: '2026-02-05',
          periodMonth: '2026-01',
          lines: [{ bsn: '999900006', ref: 'R1', month: '2026-01', amount: 7000 }],
        }),
      );
      writeFile(
        dir,
        'b.xml',
        jw323Xml({
          declarationNumber: 'D2',
          declarationDate: '2026-03-05',
          periodMonth: '2026-02',
          lines: [
            { bsn: '999900006', ref: 'R2', prevRef: 'R1', month: '2026-01', amount: 7000, dc: 'C' }, // cancels R1
            { bsn: '999900006', ref: 'R3', month: '2026-01', amount: 6500 }, // corrected debit: allowed, R1 was credited
            { bsn: '999900006', ref: 'R4', month: '2026-01', amount: 6500 }, // second debit while R3 stands: TR389
            { bsn: '999900018', ref: 'R5', prevRef: 'NOPE', month: '2026-01', amount: 100, dc: 'C' }, // TR323
          ],
        }),
      );
      w = await openTestWarehouse(':memory:', engine);
      await importInto(w, [dir]);
      // 7000 − 7000 + 6500 + 6500 − 100 = 12900
      expect(at(await w.costs({ by: [] }), 0).amountCents).toBe(12900);
      const st = await w.status();
      expect(st.findings.map((f) => [f.rule, f.lines, f.amountCents])).toEqual([
        ['TR323', 1, -100],
        ['TR389', 1, 6500],
      ]);
    });
  });
});

describe('privacy (DuckDB file)', () => {
  it('keeps no BSN in clear in the warehouse file', async () => {
    const dir = tempDir();
    const db = join(dir, 'w.duckdb');
    w = await openTestWarehouse(db);
    await importInto(w, [join(TEST_MESSAGES, 'JW323.xml'), join(TEST_MESSAGES, 'JW301.xml')]);
    const lineage = await w.lineage({ limit: 10 });
    expect(lineage.every((l) => /^p_[0-9a-f]{20}$/.test(l.client))).toBe(true);
    await w.close();
    w = null;
    const bytes = readFileSync(db).toString('latin1');
    expect(bytes.includes('999900006')).toBe(false);
    expect(bytes.includes('999900018')).toBe(false);
  });
});
