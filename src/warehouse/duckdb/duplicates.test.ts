import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeclarationLineRow, ImportSession } from '../warehouse.js';
import { DuckDbWarehouse } from './index.js';

type Dup = Awaited<ReturnType<ImportSession['duplicateDeclarations']>>[number];
interface Decl {
  municipality: string;
  provider: string;
  number: string;
}

function line(d: Decl, seq: number): DeclarationLineRow {
  return {
    seq,
    sourceLine: 10 + seq,
    municipality: d.municipality,
    provider: d.provider,
    client: `C${seq}`,
    declarationNumber: d.number,
    declarationDate: '2025-02-05',
    declarationPeriodStart: null,
    referenceNumber: `R${seq}`,
    previousReferenceNumber: null,
    allocationNumber: null,
    category: '45',
    productCode: '45A03',
    periodStart: '2025-01-01',
    periodEnd: '2025-01-31',
    volume: 1,
    unit: '04',
    tariffCents: null,
    amountCents: 100 * seq,
    debitCredit: 'D',
    referrer: null,
    family: null,
  };
}

/** Stores one file (each declaration `lines` times) in the session; returns its id. */
function addFile(s: ImportSession, name: string, decls: Decl[], lines = 2): number {
  const { fileId, sink } = s.beginFile();
  let seq = 0;
  for (const d of decls) for (let i = 0; i < lines; i++) sink.row('declaration_lines', line(d, ++seq));
  s.endFile(
    fileId,
    {
      name,
      path: `/in/${name}`,
      sha256: createHash('sha256').update(name).digest('hex'),
      messageType: 'JW323',
      sender: '12345678',
      receiver: '0482',
      messageId: name,
      messageDate: '2025-02-05',
      sizeBytes: 1,
    },
    { lines: seq, totalCents: 0 },
    false,
  );
  return fileId;
}

const sorted = (d: Dup[]) =>
  d.map((x) => [x.fileId, x.municipality, x.provider, x.declarationNumber, x.otherFile].join('|')).sort();

/** Orders by Unicode code point, one code point at a time (how DuckDB's byte-wise UTF-8 order sorts). */
function codePointLess(a: string, b: string): boolean {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
  return x.length < y.length;
}

let w: DuckDbWarehouse | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe('DuckDB duplicate-declaration check', () => {
  it('names the earliest-named earlier file, never a later one, across and within transactions', async () => {
    w = await DuckDbWarehouse.open(':memory:');
    const K: Decl = { municipality: '0482', provider: '11111111', number: 'K' };
    const other: Decl = { municipality: '0482', provider: '11111111', number: 'OTHER' };
    let s = await w.beginImport();
    addFile(s, 'm.xml', [K]); // 1
    addFile(s, 'z.xml', [K, other]); // 2: repeats K of m.xml
    expect(sorted(await s.duplicateDeclarations())).toEqual(['2|0482|11111111|K|m.xml']);
    await s.commit();

    s = await w.beginImport();
    const three = addFile(s, 'b.xml', [K]); // earlier: m.xml, z.xml
    const four = addFile(s, 'a.xml', [K, { ...K, provider: '22222222' }]); // earlier: m, z, b; the other provider is new
    addFile(s, 'c.xml', [{ ...K, municipality: '0505' }]); // another municipality: new
    expect(sorted(await s.duplicateDeclarations())).toEqual([
      `${three}|0482|11111111|K|m.xml`, // not a.xml, which comes later
      `${four}|0482|11111111|K|b.xml`, // b.xml of this transaction counts
    ]);
    await s.rollback();

    s = await w.beginImport();
    addFile(s, 'n.xml', [{ ...K, number: 'NEW' }]);
    expect(await s.duplicateDeclarations()).toEqual([]);
    await s.commit();
  });

  it('agrees with a brute-force search on random files over three transactions', async () => {
    w = await DuckDbWarehouse.open(':memory:');
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    // Names whose order is unrelated to the file order; two of them sort differently by UTF-16 unit than
    // by code point (U+FF21 before U+1F600 by code point, after it by UTF-16 unit).
    const names = Array.from({ length: 90 }, (_, i) => `f${((i * 37) % 90).toString().padStart(2, '0')}.xml`);
    names[70] = '\uFF21.xml';
    names[75] = '\u{1F600}.xml';
    const stored: { id: number; name: string; keys: string[] }[] = [];
    let n = 0;
    for (let t = 0; t < 3; t++) {
      const s = await w.beginImport();
      const firstOfSession = stored.length;
      for (let f = 0; f < 30; f++) {
        const decls: Decl[] = [];
        for (let k = 1 + rnd(3); k > 0; k--) {
          decls.push({ municipality: ['0482', '0505'][rnd(2)]!, provider: ['1', '2'][rnd(2)]!, number: `D${rnd(8)}` });
        }
        const name = names[n++]!;
        const id = addFile(s, name, decls, 1 + rnd(3));
        stored.push({ id, name, keys: decls.map((d) => `${d.municipality}|${d.provider}|${d.number}`) });
      }
      const expected = new Set<string>();
      for (const f of stored.slice(firstOfSession)) {
        for (const key of new Set(f.keys)) {
          let min: string | undefined;
          for (const e of stored) {
            if (e.id < f.id && e.keys.includes(key) && (min === undefined || codePointLess(e.name, min))) min = e.name;
          }
          const [m, p, d] = key.split('|');
          if (min !== undefined) expected.add([f.id, m, p, d, min].join('|'));
        }
      }
      const got = sorted(await s.duplicateDeclarations());
      expect(got).toEqual([...expected].sort());
      expect(got.length).toBeGreaterThan(5);
      if (t === 2) expect(got.some((g) => g.endsWith('|\uFF21.xml'))).toBe(true);
      await s.commit(); // committed regardless, so later transactions see these files as earlier ones
    }
  });
});
