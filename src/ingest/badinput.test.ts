import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { at } from '../domain/indexing.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { ENGINES, type Engine } from '../warehouse/testing/engines.js';
import { TEST_KEY, importInto, jw323Xml, openTestWarehouse, tempDir, writeFile } from './testing/fixtures.js';
import { importPaths } from './importer.js';
import { makePseudonymiser } from './pseudonymise.js';
import { makeXsdValidator } from './xsd.js';

let w: Warehouse | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

const good = () =>
  jw323Xml({
    declarationNumber: 'OK1',
    declarationDate: '2026-02-05',
    periodMonth: '2026-01',
    lines: [{ bsn: '999900006', ref: 'G1', month: '2026-01', amount: 4200 }],
  });

/** Imports a bad file next to a good one: the bad one is rejected with `reason`, the good one imports. */
async function expectRejected(engine: Engine, name: string, content: string, reason: RegExp) {
  const dir = tempDir();
  const bad = writeFile(dir, name, content);
  const ok = writeFile(dir, 'good.xml', good());
  w = await openTestWarehouse(':memory:', engine);
  const s = await importInto(w, [bad, ok]);
  const outcome = s.outcomes.find((o) => o.file.endsWith(name))!;
  expect(outcome.status).toBe('rejected');
  expect(outcome.reason).toMatch(reason);
  expect(outcome.reason).toContain(name);
  expect(s.imported).toBe(1);
  const st = await w.status();
  expect(st.declarationLines).toBe(1);
  expect(st.totalCents).toBe(4200);
  // The temporary folder's path says nothing about the message, and its length differs from machine to machine.
  return outcome.reason!.replaceAll(dir, '<dir>');
}

describe.each(ENGINES)('bad input on %s: rejected whole with a clear message; nothing of it imported', (engine) => {
  it('truncated XML', async () => {
    const full = jw323Xml({
      declarationNumber: 'T1',
      declarationDate: '2026-02-05',
      periodMonth: '2026-01',
      lines: [{ bsn: '999900006', ref: 'X1', month: '2026-01', amount: 100 }],
    });
    await expectRejected(
      engine,
      'truncated.xml',
      full.slice(0, Math.floor(full.length * 0.7)),
      /not well-formed|XSD|validate/i,
    );
  });

  it('wrong namespace', async () => {
    const text = good().replace('ijw/3_2/jw323/schema', 'ijw/3_1/jw323/schema').replace('OK1', 'NS1');
    await expectRejected(engine, 'namespace.xml', text, /namespace ".*3_1\/jw323\/schema" is not an iJw 3.2 message/);
  });

  it('entity expansion (billion laughs) and external entities (XXE) are refused', async () => {
    const lol =
      `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n` +
      good().split('\n').slice(1).join('\n').replace('OK1', 'LOL1');
    const r1 = await expectRejected(engine, 'lol.xml', lol, /DOCTYPE|validate/i);
    expect(r1).not.toMatch(/lollol/);
    await w!.close();
    w = null;
    const xxe =
      `<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n` +
      good().split('\n').slice(1).join('\n').replace('OK1', '&xxe;');
    const r2 = await expectRejected(engine, 'xxe.xml', xxe, /DOCTYPE|validate|entity/i);
    expect(r2).not.toMatch(/root:/);
  });

  it('invalid BSN (11-proef) — without echoing the BSN', async () => {
    const text = jw323Xml({
      declarationNumber: 'B1',
      declarationDate: '2026-02-05',
      periodMonth: '2026-01',
      lines: [{ bsn: '999900007', ref: 'B1', month: '2026-01', amount: 100 }],
    });
    const reason = await expectRejected(engine, 'bsn.xml', text, /11-proef/);
    expect(reason).toMatch(/<Bsn>/);
    expect(reason).not.toContain('999900007');
  });

  it('header total differs from the lines', async () => {
    const text = jw323Xml({
      declarationNumber: 'H1',
      declarationDate: '2026-02-05',
      periodMonth: '2026-01',
      total: 999,
      lines: [{ bsn: '999900006', ref: 'H1', month: '2026-01', amount: 100 }],
    });
    await expectRejected(
      engine,
      'total.xml',
      text,
      /header total 999 cents differs from the sum of the lines 100 cents/,
    );
  });

  it('unknown product category', async () => {
    const text = jw323Xml({
      declarationNumber: 'C1',
      declarationDate: '2026-02-05',
      periodMonth: '2026-01',
      lines: [{ bsn: '999900006', ref: 'C1', month: '2026-01', amount: 100, category: '39' }],
    });
    await expectRejected(
      engine,
      'category.xml',
      text,
      /product category "39" is not in JZ020|ProductCategorie.*'39' is not an element of the set/,
    );
  });

  it('a municipality not in the CBS list, and a DeclaratiePeriode that ends before it begins (valid for the XSD, not for the standard)', async () => {
    const base = {
      declarationNumber: 'M1',
      declarationDate: '2026-02-05',
      periodMonth: '2026-01',
      lines: [{ bsn: '999900006', ref: 'M1', month: '2026-01', amount: 100 }],
    };
    await expectRejected(
      engine,
      'muni.xml',
      jw323Xml({ ...base, municipality: '9999' }),
      /muni\.xml:\d+ <Ontvanger>: "9999" is not a municipality in the CBS list \[MUNICIPALITY_UNKNOWN\]/,
    );
    await w?.close();
    const reversed = jw323Xml({ ...base, declarationNumber: 'M2' }).replace(
      /<ijw:Begindatum>2026-01-01<\/ijw:Begindatum>\s*<ijw:Einddatum>2026-01-31<\/ijw:Einddatum>/,
      '<ijw:Begindatum>2026-01-31</ijw:Begindatum><ijw:Einddatum>2026-01-01</ijw:Einddatum>',
    );
    expect(reversed).toContain('<ijw:Begindatum>2026-01-31</ijw:Begindatum><ijw:Einddatum>2026-01-01');
    await expectRejected(
      engine,
      'period.xml',
      reversed,
      /period\.xml:\d+ <DeclaratiePeriode>: DeclaratiePeriode ends \(2026-01-01\) before it begins \(2026-01-31\) \[PERIOD_INVALID\]/,
    );
  });

  it('empty file', async () => {
    await expectRejected(engine, 'empty.xml', '', /empty/);
  });

  it('CSV with a wrong header', async () => {
    await expectRejected(
      engine,
      'wrong.csv',
      'gemeente,aanbieder,bedrag\n0482,123,100\n',
      /header does not match.*missing: municipality/,
    );
  });

  it('CSV without its header line: rejected quoting only a short, masked excerpt (no BSN, bounded)', async () => {
    const row = '0482,12345678,999900006,CSV1,2026-02-05,45,45A03,2026-01-01,2026-01-31,2,04,1000,2000,D,02,';
    const reason = await expectRejected(
      engine,
      'noheader.csv',
      `${row}\n${row.replace('CSV1', 'CSV2')}\n`,
      /header does not match.*header line missing/,
    );
    expect(reason).not.toContain('999900006');
    expect(reason).not.toContain('12345678');
    expect(reason.length).toBeLessThan(600);
    // A single enormous first line: the message stays short.
    const long = await expectRejected(engine, 'long.csv', `${'9'.repeat(2_000_000)},x\n`, /noheader|long\.csv/);
    expect(long.length).toBeLessThan(600);
  });

  it('CSV with a bad value names the line and column', async () => {
    const header =
      'municipality,provider,client,declarationNumber,declarationDate,productCategory,productCode,periodStart,periodEnd,volume,unit,tariffCents,amountCents,debitCredit,referrer,allocationNumber';
    const row = (amount: string) =>
      `0482,12345678,999900006,CSV1,2026-02-05,45,45A03,2026-01-01,2026-01-31,2,04,1000,${amount},D,02,`;
    const reason = await expectRejected(
      engine,
      'bad.csv',
      `${header}\n${row('2000')}\n${row('12.5')}\n`,
      /bad\.csv:3.*amountCents/,
    );
    expect(reason).toMatch(/not a whole number/);
  });

  it('a CSV line with a 30 MB field is rejected alone, naming file and line; the JW323 beside it imports (fast path on)', async () => {
    const header =
      'municipality,provider,client,declarationNumber,declarationDate,productCategory,productCode,periodStart,periodEnd,volume,unit,tariffCents,amountCents,debitCredit,referrer,allocationNumber';
    const row = (decl: string) =>
      `0482,12345678,999900006,${decl},2026-02-05,45,45A03,2026-01-01,2026-01-31,2,04,1000,2000,D,02,`;
    const reason = await expectRejected(
      engine,
      'huge.csv',
      `${header}\n${row('CSV1')}\n${row('X'.repeat(30 << 20))}\n`,
      /huge\.csv:3: not valid CSV: .*\[CSV_MALFORMED\]/,
    );
    expect(reason.length).toBeLessThan(400);
  });

  it('a file repeating an already imported declaration number is rejected, not double counted', async () => {
    const dir = tempDir();
    w = await openTestWarehouse(':memory:', engine);
    await importInto(w, [writeFile(dir, 'first.xml', good())]);
    const resent = good().replace('<jw323:DeclaratieDagtekening>2026-02-05', '<jw323:DeclaratieDagtekening>2026-02-06');
    const s = await importInto(w, [writeFile(dir, 'resent.xml', resent)]);
    expect(s.rejected).toBe(1);
    expect(at(s.outcomes, 0).reason).toMatch(/declaration OK1 .* already imported from first\.xml/);
    expect((await w.status()).totalCents).toBe(4200);
  });

  it('a bad file between good ones in one transaction: it is rejected, the good ones before and after are imported', async () => {
    const dir = tempDir();
    const mk = (n: string, bsn: string, amount: number) =>
      writeFile(
        dir,
        `${n}.xml`,
        jw323Xml({
          declarationNumber: n,
          declarationDate: '2026-02-05',
          periodMonth: '2026-01',
          lines: [{ bsn, ref: `R${n}`, month: '2026-01', amount }],
        }),
      );
    const files = [
      mk('A1', '999900006', 100),
      mk('A2', '999900018', 200),
      mk('B1', '999900007', 400),
      mk('A3', '999900006', 800),
    ];
    w = await openTestWarehouse(':memory:', engine);
    const s = await importInto(w, files);
    expect(s.outcomes.map((o) => o.status)).toEqual(['imported', 'imported', 'rejected', 'imported']);
    expect((await w.status()).totalCents).toBe(1100);
    expect((await w.status()).files).toEqual([{ messageType: 'JW323', files: 3, lines: 3 }]);
  });

  it("Grip's own checks reject unknown codes even without XSD validation", async () => {
    const dir = tempDir();
    const f = writeFile(
      dir,
      'cat.xml',
      jw323Xml({
        declarationNumber: 'C9',
        declarationDate: '2026-02-05',
        periodMonth: '2026-01',
        lines: [{ bsn: '999900006', ref: 'C9', month: '2026-01', amount: 100, category: '39' }],
      }),
    );
    w = await openTestWarehouse(':memory:', engine);
    const s = await importPaths([f], {
      warehouse: w,
      pseudonymise: makePseudonymiser(TEST_KEY),
      streamSchema: false,
      xsd: { available: false, why: 'test', validate: async () => new Map() },
    });
    expect(at(s.outcomes, 0).reason).toMatch(/cat\.xml:\d+ <ProductCategorie>: product category "39" is not in JZ020/);
    // With the in-stream XSD validation (the default) the schema's enumeration names it first.
    const t = await importPaths([f], {
      warehouse: w,
      pseudonymise: makePseudonymiser(TEST_KEY),
      xsd: { available: false, why: 'test', validate: async () => new Map() },
    });
    expect(at(t.outcomes, 0).reason).toMatch(
      /cat\.xml:\d+ <ProductCategorie>: does not validate against JW323\.xsd: .*LDT_ProductCategorie \[XSD_INVALID\]/,
    );
    expect((await w.status()).declarationLines).toBe(0);
  });

  it('without any XSD validation, a file too deep, one with a huge text node and one not UTF-8 are rejected alone (the stream limits)', async () => {
    const dir = tempDir();
    const ok = good();
    const deep = writeFile(
      dir,
      'deep.xml',
      ok.replace('<jw323:Header>', `<jw323:Header>${'<x>'.repeat(100_000)}${'</x>'.repeat(100_000)}`),
    );
    const huge = writeFile(
      dir,
      'huge.xml',
      ok.replace('<jw323:DeclaratieNummer>OK1', `<jw323:DeclaratieNummer>${'A'.repeat(3 << 20)}`),
    );
    const notUtf8 = join(dir, 'latin.xml');
    writeFileSync(
      notUtf8,
      Buffer.from(
        ok.replace('OK1', 'OK2').replace('G1', 'G2').replace('</jw323:Bericht>', '<!-- Caf\xe9 --></jw323:Bericht>'),
        'latin1',
      ),
    );
    const okFile = writeFile(dir, 'good.xml', ok);
    w = await openTestWarehouse(':memory:', engine);
    const s = await importPaths([deep, huge, notUtf8, okFile], {
      warehouse: w,
      pseudonymise: makePseudonymiser(TEST_KEY),
      streamSchema: false,
      xsd: { available: false, why: 'test', validate: async () => new Map() },
    });
    const reason = (n: string) => s.outcomes.find((o) => o.file.endsWith(n))!.reason;
    expect(s.outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'imported']);
    expect(reason('deep.xml')).toMatch(/deep\.xml:\d+ <x>: elements nest deeper than 64 levels \[XML_TOO_DEEP\]/);
    expect(reason('huge.xml')).toMatch(
      /huge\.xml:\d+: a text or tag is longer than 1048576 characters.*\[XML_TOO_LARGE\]/,
    );
    expect(reason('latin.xml')).toMatch(/latin\.xml:\d+: the file is not valid UTF-8 .*\[XML_ENCODING\]/);
    expect((await w.status()).totalCents).toBe(4200);
  });

  it('with --xsd xmllint too, a malformed file is rejected with its line', async () => {
    const dir = tempDir();
    const full = good();
    const cut = full.slice(0, full.indexOf('<jw323:Clienten>') + 30);
    const f = writeFile(dir, 'cut.xml', cut);
    w = await openTestWarehouse(':memory:', engine);
    const xsd = makeXsdValidator();
    expect(xsd.available).toBe(true);
    const s = await importPaths([f], { warehouse: w, pseudonymise: makePseudonymiser(TEST_KEY), xsd });
    expect(at(s.outcomes, 0).reason).toMatch(
      new RegExp(`cut\\.xml:${cut.split('\n').length}: (not well-formed XML|does not validate)`),
    );
  });

  it('a message declared ISO-8859-1 imports', async () => {
    const dir = tempDir();
    const latin = join(dir, 'latin.xml');
    writeFileSync(
      latin,
      Buffer.from(
        good()
          .replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
          .replace('</jw323:Bericht>', '<!-- Caf\xe9 --></jw323:Bericht>'),
        'latin1',
      ),
    );
    w = await openTestWarehouse(':memory:', engine);
    const s = await importPaths([latin], {
      warehouse: w,
      pseudonymise: makePseudonymiser(TEST_KEY),
      xsd: { available: false, why: 'test', validate: async () => new Map() },
    });
    expect(at(s.outcomes, 0).status).toBe('imported');
    expect((await w.status()).totalCents).toBe(4200);
  });

  it('missing paths are reported', async () => {
    w = await openTestWarehouse(':memory:', engine);
    const s = await importInto(w, [join(tempDir(), 'nope.xml')]);
    expect(s.rejected).toBe(1);
    expect(at(s.outcomes, 0).reason).toMatch(/not found/);
  });
});
