import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  TEST_MESSAGES,
  importInto,
  jw301Xml,
  jw315Xml,
  jw323Xml,
  tempDir,
  writeFile,
} from '../../ingest/testing/fixtures.js';
import { freshWarehouse } from '../testing/engines.js';
import { migrateWarehouse } from './migrate.js';

describe('grip migrate: DuckDB → PostgreSQL', () => {
  it('copies every file and line, verifies totals per file, and gives the same answers on the target', async () => {
    const dir = tempDir();
    writeFile(
      dir,
      'req.xml',
      jw315Xml({ bsn: '999900006', providerReference: 'REF-A', referrer: '04', start: '2026-01-01' }),
    );
    writeFile(
      dir,
      'alloc.xml',
      jw301Xml({ bsn: '999900006', allocation: '7001', providerReference: 'REF-A', start: '2026-01-01' }),
    );
    writeFile(
      dir,
      'decl.xml',
      jw323Xml({
        declarationNumber: 'M1',
        declarationDate: '2026-02-03',
        periodMonth: '2026-01',
        lines: [{ bsn: '999900006', ref: 'M1', allocation: '7001', month: '2026-01', amount: 12345 }],
      }),
    );
    const src = await freshWarehouse('duckdb');
    const dst = await freshWarehouse('postgres');
    try {
      await importInto(src, [dir, join(TEST_MESSAGES, 'JW323.xml'), join(TEST_MESSAGES, 'JW325.xml')]);
      // Steering data: a primitive budget and an amendment, a KPI with two values for one period (the later one counts).
      const at = '2026-01-01T00:00:00Z';
      await src.saveSteering({
        budgetEntries: [
          {
            municipality: '0482',
            year: 2026,
            categoryGroup: null,
            kind: 'primitief',
            date: '2025-11-10',
            decisionReference: 'B2026',
            amountCents: 500_000,
            description: null,
            enteredBy: 't',
            enteredAt: at,
          },
          {
            municipality: '0482',
            year: 2026,
            categoryGroup: null,
            kind: 'wijziging',
            date: '2026-01-15',
            decisionReference: 'W1',
            amountCents: -125_000,
            description: null,
            enteredBy: 't',
            enteredAt: at,
          },
        ],
        kpiDefinitions: [
          {
            id: 'sjt-wachttijd',
            name: 'Wachttijd SJT',
            unit: 'dagen',
            direction: 'lower',
            target: 42,
            critical: 60,
            scope: { kind: 'region' },
          },
        ],
        kpiValues: [
          { kpiId: 'sjt-wachttijd', scope: 'regio', period: '2021-04-30', value: 50, enteredBy: 't', enteredAt: at },
          { kpiId: 'sjt-wachttijd', scope: 'regio', period: '2021-04-30', value: 39, enteredBy: 't', enteredAt: at },
        ],
      });
      // The contracted tariff list: one row for every provider, one category-wide row for one provider.
      await src.saveTariffs(
        [
          {
            provider: '*',
            category: '45',
            productCode: '45A03',
            unit: '04',
            tariffCents: 8_500,
            validFrom: '2026-01-01',
            validTo: null,
          },
          {
            provider: '12345678',
            category: '45',
            productCode: null,
            unit: '04',
            tariffCents: 9_000,
            validFrom: '2026-01-01',
            validTo: '2026-12-31',
            enteredBy: 'inkoop',
          },
        ],
        { source: 'tarieven.csv', enteredBy: 't', enteredAt: at },
      );
      await src.setRegionName('Regio Test');
      // Issue 22: a reservation, a special case marked by hand and removed, one still active, a year-end statement.
      await src.saveSteering({
        reservations: [
          {
            municipality: '0482',
            year: 2026,
            date: '2026-07-08',
            amountCents: 60_000_000,
            reference: 'Burap',
            description: null,
            enteredBy: 't',
            enteredAt: at,
          },
        ],
      });
      const gone = await src.addSpecialCase({
        municipality: '0482',
        kind: 'allocation',
        subject: '7001',
        provider: null,
        reason: 'Dure toewijzing',
        from: '2026-01',
        to: null,
        enteredBy: 't',
        enteredAt: at,
      });
      await src.removeSpecialCase(gone, 'u', '2026-02-01T00:00:00Z');
      await src.addSpecialCase({
        municipality: '0482',
        kind: 'family',
        subject: 'F1',
        provider: null,
        reason: 'Gezin',
        from: '2026-01',
        to: '2026-06',
        enteredBy: 't',
        enteredAt: at,
      });
      await src.saveStatements(
        [
          {
            provider: '12345678',
            municipality: '0482',
            year: 2026,
            product: '45',
            amountCents: 12_345,
            source: 'pv.csv',
            sourceLine: 2,
          },
        ],
        { enteredBy: 't', enteredAt: at },
      );
      const report = await migrateWarehouse(src, dst);
      expect(report.steering).toMatchObject({ reservations: 1, specialCases: 2, statements: 1 });
      expect(await dst.reservations()).toEqual(await src.reservations());
      expect(await dst.markedSpecialCases({ includeRemoved: true })).toEqual(
        await src.markedSpecialCases({ includeRemoved: true }),
      );
      expect(await dst.statements()).toEqual(await src.statements());
      expect(await dst.regionName()).toBe('Regio Test');
      expect(report.steering).toMatchObject({
        budgetEntries: 2,
        kpiDefinitions: 1,
        kpiValues: 2,
        measures: 0,
        tariffs: 2,
      });
      expect(await dst.tariffs()).toEqual(await src.tariffs());
      expect(report.steeringMismatches).toEqual([]);
      expect((await dst.budgetEntries()).map((e) => [e.kind, e.amountCents, e.decisionReference])).toEqual([
        ['primitief', 500_000, 'B2026'],
        ['wijziging', -125_000, 'W1'],
      ]);
      expect((await dst.kpiValues({ latestOnly: true })).map((v) => v.value)).toEqual([39]);
      expect(await dst.kpiDefinitions()).toEqual(await src.kpiDefinitions());
      expect(report.mismatches).toEqual([]);
      expect(report.files).toBe(5);
      // 79000 (testing/messages/JW323.xml, hand sum in its header comment) + 12345 (fixture)
      expect(report.amountCents).toBe(91345);
      const q = { by: ['municipality', 'month', 'referrer'] as const };
      expect(await dst.costs({ by: [...q.by] })).toEqual(await src.costs({ by: [...q.by] }));
      const [a, b] = [await src.status(), await dst.status()];
      expect({ ...b, engine: '', location: '', lastImport: null }).toEqual({
        ...a,
        engine: '',
        location: '',
        lastImport: null,
      });
      await expect(migrateWarehouse(src, dst)).rejects.toThrow(/already holds files/);
    } finally {
      await src.close();
      await dst.close();
    }
  });
});
