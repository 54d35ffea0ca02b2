/** The Productieverantwoording page: statement − declared per provider (hand sums), threshold, scope; no raad. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importStatementFile } from '../../app/statements.js';
import { importInto, jw323Xml, openTestWarehouse, tempDir, writeFile } from '../../ingest/testing/fixtures.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { buildApp } from '../server.js';
import { sessionAs } from '../testing.js';

let w: Warehouse;
let app: FastifyInstance;
const text = (h: string) =>
  h
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/\s+/g, ' ');

beforeAll(async () => {
  const dir = tempDir();
  // Provider 12345678 declares € 1.000 (0482) and € 3.000 (0505) for 2025-03.
  writeFile(
    dir,
    'a.xml',
    jw323Xml({
      municipality: '0482',
      declarationNumber: 'A1',
      declarationDate: '2025-04-05',
      periodMonth: '2025-03',
      lines: [{ bsn: '999900006', ref: 'A1', month: '2025-03', amount: 100_000 }],
    }),
  );
  writeFile(
    dir,
    'b.xml',
    jw323Xml({
      municipality: '0505',
      declarationNumber: 'B1',
      declarationDate: '2025-04-05',
      periodMonth: '2025-03',
      lines: [{ bsn: '999900018', ref: 'B1', month: '2025-03', amount: 300_000 }],
    }),
  );
  w = await openTestWarehouse();
  await importInto(w, [dir]);
  // The statement: € 1.000 for 0482 (no difference) and € 5.500 for 0505 (+€ 2.500); total +€ 2.500.
  await importStatementFile(
    w,
    'pv.csv',
    { enteredBy: 'test' },
    Buffer.from(
      'provider,municipality,year,product,amountEuros\n12345678,0482,2025,45,1000\n12345678,0505,2025,45,5500\n',
    ),
  );
  app = buildApp({ warehouse: w });
}, 120_000);
afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed before opening them */
  await app?.close();
  await w?.close();
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
});

describe('/productieverantwoording', () => {
  it('lists statement − declared above the threshold; a gemeente sees its own municipality; raad has no access', async () => {
    const regio = await sessionAs(app, w, 'regio');
    const t = text((await regio.get('/productieverantwoording?year=2025&drempel=2000')).body);
    expect(t).toContain('Verantwoord 2025 € 6.500');
    expect(t).toContain('Gedeclareerd door die aanbieders € 4.000');
    // Above € 2.000: the provider total and its 0505 rows (+€ 2.500); not 0482 (0).
    expect(t).toMatch(/aanbieder \(totaal\)\s+€ 6\.500 € 4\.000 \+€ 2\.500/);
    expect(t).toMatch(/gemeente Dordrecht\s+€ 5\.500 € 3\.000 \+€ 2\.500/);
    expect(t).not.toContain('Alblasserdam');
    const own = text(
      (await (await sessionAs(app, w, 'gemeente', ['0482'])).get('/productieverantwoording?year=2025&alle=1')).body,
    );
    expect(own).toContain('Verantwoord 2025 € 1.000');
    expect(own).not.toContain('Dordrecht');
    expect((await (await sessionAs(app, w, 'raad')).get('/productieverantwoording?year=2025')).statusCode).toBe(403);
  });
});
