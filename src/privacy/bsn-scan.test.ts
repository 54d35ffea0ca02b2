/**
 * BSN scan: import messages with known BSNs (a generated region plus hand-made files with BSNs that start
 * with a zero, eight-digit BSNs, an invalid BSN and a file that fails the schema), then look for every one
 * of those BSNs — nine digits, without leading zeros, dotted (1234.56.789) and spaced — in:
 * - everything the CLI printed (stdout and stderr of import, status, costs, check, user, audit, export, report),
 * - the files the CLI exported (xlsx and docx unpacked, PDF as text, HTML),
 * - every page and export of the web app (CSV of /api/costs and /api/overview.csv, the client-level page),
 * - the audit log,
 * - the DuckDB warehouse file's bytes after close, and every column of every table read back as text,
 * - on PostgreSQL: every column of every table as text (no pg_dump).
 * Zero hits. Positive controls make sure the scanner finds what it looks for.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Accounts } from '../access/accounts.js';
import { at } from '../domain/indexing.js';
import { CSV_COLUMNS } from '../ingest/csv.js';
import { importInto, jw301Xml, jw315Xml, jw323Xml, tempDir, writeFile } from '../ingest/testing/fixtures.js';
import { generateRegion } from '../generate/index.js';
import { DuckDbWarehouse } from '../warehouse/duckdb/index.js';
import { PostgresWarehouse } from '../warehouse/postgres/index.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { registeredRoutes } from '../web/core.js';
import { buildApp } from '../web/server.js';
import { login } from '../web/testing.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;

/** Valid BSNs that start with a zero (so "without leading zeros" is a different string). */
const ZERO_BSNS = ['073920150', '048271639', '061938270', '085302740'] as const;
/** Fails the 11-proef: rejected at import, and must not be echoed either. */
const INVALID_BSN = '918273645';

// ---------------------------------------------------------------------------------------------------------
// The scanner

/** Every written form of a BSN that we look for. */
function bsnForms(bsn: string): string[] {
  const nine = bsn.padStart(9, '0');
  return [
    ...new Set([
      nine,
      nine.replace(/^0+/, ''),
      `${nine.slice(0, 4)}.${nine.slice(4, 6)}.${nine.slice(6)}`,
      `${nine.slice(0, 4)} ${nine.slice(4, 6)} ${nine.slice(6)}`,
    ]),
  ];
}

class Scanner {
  private plain = new Map<string, string>(); // digit form → BSN
  private separated = new Map<string, string>(); // dotted / spaced form → BSN
  constructor(bsns: Iterable<string>) {
    for (const b of bsns) for (const f of bsnForms(b)) (/^\d+$/.test(f) ? this.plain : this.separated).set(f, b);
  }
  get size() {
    return new Set(this.plain.values()).size;
  }
  /** BSNs found in the text: digit forms also inside longer digit runs, separated forms exactly. */
  scan(text: string): Set<string> {
    const found = new Set<string>();
    for (const m of text.matchAll(/\d{8,}/g)) {
      const run = m[0];
      for (const len of [8, 9])
        for (let i = 0; i + len <= run.length; i++) {
          const hit = this.plain.get(run.slice(i, i + len));
          if (hit) found.add(hit);
        }
    }
    for (const m of text.matchAll(/\d{4}[. ]\d{2}[. ]\d{3}/g)) {
      const hit = this.separated.get(m[0]);
      if (hit) found.add(hit);
    }
    return found;
  }
}

/** Text of an export file: zip members (xlsx, docx) unpacked, PDF as text, anything else as bytes. */
async function exportText(file: string): Promise<string> {
  const bytes = readFileSync(file);
  if (bytes.subarray(0, 2).toString('latin1') === 'PK')
    return (await run('unzip', ['-p', file], { encoding: 'latin1', maxBuffer: 1 << 28 })).stdout;
  if (bytes.subarray(0, 4).toString('latin1') === '%PDF')
    return (await run('pdftotext', [file, '-'], { maxBuffer: 1 << 28 })).stdout + bytes.toString('latin1');
  return bytes.toString('latin1');
}

/** Every column of every table as text: SQL text of `SELECT CAST(c AS VARCHAR)` results. */
async function duckdbColumns(file: string): Promise<Map<string, string>> {
  const inst = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const conn = await inst.connect();
  const out = new Map<string, string>();
  try {
    const cols = (
      await conn.runAndReadAll(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_catalog = current_database() ORDER BY 1, 2`,
      )
    ).getRows() as [string, string][];
    for (const [t, c] of cols) {
      const rows = (await conn.runAndReadAll(`SELECT CAST("${c}" AS VARCHAR) FROM "${t}"`)).getRows();
      out.set(`${t}.${c}`, rows.map((r) => String(r[0] ?? '')).join('\n'));
    }
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
  return out;
}

async function postgresColumns(url: string): Promise<Map<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const out = new Map<string, string>();
  try {
    const cols = (
      await c.query<{ t: string; c: string }>(
        `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`,
      )
    ).rows;
    for (const { t, c: col } of cols) {
      const rows = (await c.query<{ v: string | null }>(`SELECT "${col}"::text AS v FROM "${t}"`)).rows;
      out.set(`${t}.${col}`, rows.map((r) => r.v ?? '').join('\n'));
    }
  } finally {
    await c.end();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The inputs

/** Hand-made messages and CSV: zero-leading, eight-digit and invalid BSNs, and a file the XSD rejects. */
function handFixtures(dir: string): void {
  const lines = (bsns: string[], ref: string) =>
    bsns.map((bsn, i) => ({ bsn, ref: `${ref}${i}`, month: '2025-02', amount: 12_345 + i }));
  writeFile(
    dir,
    'zero.xml',
    jw323Xml({
      municipality: '0482',
      declarationNumber: 'Z1',
      declarationDate: '2025-03-05',
      periodMonth: '2025-02',
      lines: lines([ZERO_BSNS[0], ZERO_BSNS[1]], 'Z'),
    }),
  );
  writeFile(
    dir,
    'eight.xml',
    jw323Xml({
      municipality: '0505',
      declarationNumber: 'E1',
      declarationDate: '2025-03-05',
      periodMonth: '2025-02',
      lines: lines([ZERO_BSNS[2].slice(1)], 'E'),
    }),
  );
  writeFile(
    dir,
    'invalid-bsn.xml',
    jw323Xml({
      municipality: '0505',
      declarationNumber: 'I1',
      declarationDate: '2025-03-05',
      periodMonth: '2025-02',
      lines: lines([INVALID_BSN], 'I'),
    }),
  );
  writeFile(
    dir,
    'alloc.xml',
    jw301Xml({
      municipality: '0482',
      bsn: ZERO_BSNS[0],
      allocation: '7001',
      start: '2025-01-01',
      providerReference: 'R7001',
    }),
  );
  writeFile(
    dir,
    'request.xml',
    jw315Xml({
      municipality: '0482',
      bsn: ZERO_BSNS[3],
      providerReference: 'R7002',
      referrer: '01',
      start: '2025-01-01',
    }),
  );
  // A second Bsn element: rejected by the schema check, whose message must not quote the BSN.
  writeFile(
    dir,
    'broken.xml',
    jw323Xml({
      municipality: '0482',
      declarationNumber: 'B1',
      declarationDate: '2025-03-05',
      periodMonth: '2025-02',
      lines: lines([ZERO_BSNS[1]], 'B'),
    }).replace('</jw323:Bsn>', `</jw323:Bsn><jw323:Bsn>${ZERO_BSNS[1]}</jw323:Bsn>`),
  );
  const row = (client: string, n: string) => [
    '0482',
    '12345678',
    client,
    `CSV${n}`,
    '2025-03-05',
    '45',
    '45A03',
    '2025-02-01',
    '2025-02-28',
    1,
    '04',
    5_000,
    5_000,
    'D',
    '01',
    '9001',
  ];
  writeFile(
    dir,
    'decl.csv',
    stringify([row(ZERO_BSNS[3].slice(1), '1'), row(ZERO_BSNS[2], '2')], { header: true, columns: [...CSV_COLUMNS] }),
  );
  writeFile(dir, 'decl-invalid.csv', stringify([row(INVALID_BSN, '3')], { header: true, columns: [...CSV_COLUMNS] }));
}

/** A case system's export (Suite4-like: `;`, column BSN) with its mapping, and one with a BSN that fails the 11-proef. */
function exportFixtures(dir: string): void {
  const head =
    'Gemeente;AGB-code;BSN;Factuurnummer;Factuurdatum;Begindatum;Einddatum;Productcode;Aantal;Eenheid;Bedrag';
  const row = (bsn: string, n: number) =>
    `Alblasserdam;12345678;${bsn};F${n};05-03-2025;01-02-2025;28-02-2025;45A03;1;uur;50,0${n}`;
  writeFile(dir, 'suite4.csv', [head, row(ZERO_BSNS[0], 1), row(ZERO_BSNS[2].slice(1), 2)].join('\n') + '\n');
  writeFile(dir, 'suite4-bad.csv', [head, row(ZERO_BSNS[1], 3), row(INVALID_BSN, 4)].join('\n') + '\n');
  writeFile(
    dir,
    'suite4.mapping.json',
    JSON.stringify({
      name: 'suite4',
      delimiter: ';',
      fields: {
        municipality: { column: 'Gemeente', as: 'naam' },
        provider: { column: 'AGB-code' },
        client: { column: 'BSN', as: 'bsn' },
        declarationNumber: { column: 'Factuurnummer' },
        declarationDate: { column: 'Factuurdatum', format: 'dd-mm-jjjj' },
        periodStart: { column: 'Begindatum', format: 'dd-mm-jjjj' },
        periodEnd: { column: 'Einddatum', format: 'dd-mm-jjjj' },
        productCode: { column: 'Productcode', withCategory: true },
        volume: { column: 'Aantal' },
        unit: { column: 'Eenheid' },
        amount: { column: 'Bedrag', decimal: ',' },
        credit: { sign: true },
      },
    }),
  );
}

/** Every BSN in the input files (XML elements and the CSV client column), valid or not. */
function bsnsIn(dir: string): Set<string> {
  const out = new Set<string>();
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.xml'))
        for (const m of readFileSync(p, 'utf8').matchAll(/<\w+:Bsn>(\d+)<\/\w+:Bsn>/g))
          out.add(at(m, 1).padStart(9, '0'));
      else if (f.endsWith('.csv')) {
        const [head = '', ...rows] = readFileSync(p, 'utf8').trim().split('\n');
        const sep = head.includes(';') ? ';' : ',';
        const i = head.split(sep).findIndex((h) => h === 'client' || h === 'BSN');
        if (i < 0) continue; // not a declaration file (the provider register, the tariff list)
        for (const r of rows) out.add(at(r.split(sep), i).padStart(9, '0'));
      }
    }
  };
  walk(dir);
  return out;
}

let inputs: string;
let scanner: Scanner;

beforeAll(async () => {
  inputs = tempDir('grip-bsnscan-in-');
  await generateRegion({
    outDir: join(inputs, 'region'),
    years: [2025, 2025],
    seed: 8,
    scale: 'small',
    format: 'xml',
    cutoff: '2025-06-30',
  });
  mkdirSync(join(inputs, 'hand'));
  handFixtures(join(inputs, 'hand'));
  mkdirSync(join(inputs, 'exports'));
  exportFixtures(join(inputs, 'exports'));
  scanner = new Scanner(bsnsIn(inputs));
}, 120_000);

describe('the scanner (positive controls)', () => {
  it('knows the imported BSNs and finds them, in every form, where they are', () => {
    expect(scanner.size).toBeGreaterThan(200);
    for (const b of [...ZERO_BSNS, INVALID_BSN]) expect(scanner.scan(`x ${b} y`)).toEqual(new Set([b]));
    expect(scanner.scan('BSN 0739.20.150, ook 48271639 en 0619 38 270; bedrag 0085302740001')).toEqual(
      new Set(ZERO_BSNS),
    );
    expect(scanner.scan('p_0739a20150 0739.201.50 07.39.20.150 4827163 0123456789abcdef')).toEqual(new Set());
    const region = readdirSync(join(inputs, 'region', 'jw323'));
    const text = readFileSync(join(inputs, 'region', 'jw323', at(region, 0)), 'utf8');
    expect(scanner.scan(text).size).toBeGreaterThan(0);
  });

  it('sees strings stored in a DuckDB file (so a scan of the file bytes means something)', async () => {
    const file = join(tempDir('grip-bsnscan-ctl-'), 'control.duckdb');
    const inst = await DuckDBInstance.create(file);
    const conn = await inst.connect();
    await conn.run(`CREATE TABLE t (s VARCHAR, n BIGINT)`);
    await conn.run(`INSERT INTO t VALUES ('${ZERO_BSNS[0]}', 1), ('${ZERO_BSNS[1]}', 2)`);
    await conn.run('CHECKPOINT');
    conn.closeSync();
    inst.closeSync();
    expect(scanner.scan(readFileSync(file).toString('latin1'))).toEqual(new Set([ZERO_BSNS[0], ZERO_BSNS[1]]));
  });
});

describe('no imported BSN anywhere (DuckDB, CLI, web, exports, audit)', () => {
  const work = tempDir('grip-bsnscan-');
  const db = join(work, 'grip.duckdb');
  const env = {
    ...process.env,
    GRIP_DB: db,
    GRIP_KEY_FILE: join(work, 'keys', 'pseudonym.key'),
    GRIP_HOME: join(work, 'home'),
    NO_COLOR: '1',
  };
  /** label → text that some part of Grip produced. */
  const produced = new Map<string, string>();

  async function grip(...args: string[]): Promise<void> {
    const r = await run(process.execPath, [join(ROOT, 'bin/grip.mjs'), ...args], {
      env,
      cwd: work,
      maxBuffer: 1 << 28,
    }).catch((err: unknown) => {
      const e = err as { stdout?: string; stderr?: string; code?: number };
      return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: e.code };
    });
    produced.set(`grip ${args.join(' ')}`, `${r.stdout}\n${r.stderr}`);
  }

  beforeAll(async () => {
    // The CLI, as an operator would use it.
    await grip('import', join(inputs, 'region'));
    await grip('import', '--json', join(inputs, 'hand'));
    await grip('mapping', 'save', 'suite4', '--from', join(inputs, 'exports', 'suite4.mapping.json'));
    await grip('mapping', 'guess', join(inputs, 'exports', 'suite4.csv'));
    await grip('import', join(inputs, 'exports', 'suite4.csv'), '--mapping', 'suite4');
    await grip('import', join(inputs, 'exports', 'suite4-bad.csv'), '--mapping', 'suite4');
    await grip('status');
    await grip('costs', '--by', 'municipality,month', '--json');
    await grip('check', '--json', '--examples', '50');
    await grip('user', 'add', 'analist', '--role', 'regio');
    const files = {
      xlsx: join(work, 'export.xlsx'),
      pdf: join(work, 'a4.pdf'),
      burap: join(work, 'burap.docx'),
      html: join(work, 'a4.html'),
    };
    await grip('export', 'xlsx', '--year', '2025', '--out', files.xlsx);
    await grip('report', 'a4', '--municipality', '0482', '--month', '2025-05', '--out', files.pdf);
    await grip('report', 'burap', '--year', '2025', '--half', '1', '--out', files.burap);
    await grip('report', 'a4', '--municipality', '0505', '--month', '2025-05', '--out', files.html);
    for (const [k, f] of Object.entries(files)) if (existsSync(f)) produced.set(`export ${k}`, await exportText(f));

    // The web app on the same warehouse: every GET route as beheerder, with client-level data and CSVs.
    const w = await DuckDbWarehouse.open(db);
    try {
      await new Accounts(w).addUser({ username: 'scan-admin', role: 'beheerder', password: 'correct-horse-battery' });
      const app = buildApp({ warehouse: w, oidc: null });
      await app.ready();
      const s = await login(app, 'scan-admin', 'correct-horse-battery');
      const urls = new Set<string>([
        '/api/costs?format=csv&by=municipality,month,category,provider,product',
        '/api/costs?format=csv&by=month',
        '/api/overview.csv',
        '/api/overview.csv?year=2025',
      ]);
      for (const r of registeredRoutes(app)) {
        if (r.method !== 'GET' || r.rule.roles === 'public') continue;
        for (const code of ['0482', '0505']) {
          const u = r.url.replace(':code', code);
          urls.add(u);
          urls.add(
            `${u}${u.includes('?') ? '&' : '?'}year=2025&month=2025-02&doel=${encodeURIComponent('controle BSN-scan')}`,
          );
        }
      }
      for (const u of urls) {
        const res = await s.get(u);
        produced.set(`web ${u} (${res.statusCode})`, res.body);
      }
      expect([...produced.keys()].some((k) => k.startsWith('web /gemeente/0482/regels') && k.endsWith('(200)'))).toBe(
        true,
      );
      produced.set('audit log (store)', JSON.stringify(await w.audit({})));
      await app.close();
    } finally {
      await w.close(); // checkpoints the file
    }
    await grip('audit');
  }, 900_000);

  it('the CLI did the work (so there was something to leak)', () => {
    expect(produced.get(`grip import ${join(inputs, 'region')}`)).toMatch(/Geïmporteerd: [\d.]+ bestand/);
    const hand = produced.get(`grip import --json ${join(inputs, 'hand')}`)!;
    expect(hand).toMatch(/BSN_INVALID/);
    expect(hand).toMatch(/XSD_INVALID|not well-formed/);
    expect(produced.get(`grip import ${join(inputs, 'exports', 'suite4.csv')} --mapping suite4`)).toMatch(
      /Geïmporteerd: .*suite4\.csv — 2 regels/,
    );
    expect(produced.get(`grip import ${join(inputs, 'exports', 'suite4-bad.csv')} --mapping suite4`)).toMatch(
      /rij 3, kolom BSN: '\*{7}45' is geen geldig BSN/,
    );
    expect(produced.get(`grip mapping guess ${join(inputs, 'exports', 'suite4.csv')}`)).toMatch(
      /De eerste regels zoals Grip ze leest/,
    );
    expect(produced.get('grip audit')).toMatch(/view\.declaration-lines/);
    expect(['export xlsx', 'export pdf', 'export burap', 'export html'].filter((k) => !produced.has(k))).toEqual([]);
    expect(produced.get('export pdf')).toMatch(/Alblasserdam/);
  });

  it('nothing printed, exported, shown or logged holds an imported BSN', () => {
    const hits = [...produced].flatMap(([label, text]) => [...scanner.scan(text)].map((b) => `${label}: ${b}`));
    expect(hits).toEqual([]);
    expect(produced.size).toBeGreaterThan(20);
  });

  it('the warehouse file (and any WAL) holds no imported BSN, byte for byte', () => {
    const files = [db, `${db}.wal`].filter(existsSync);
    expect(statSync(db).size).toBeGreaterThan(100_000);
    const hits = files.flatMap((f) => [...scanner.scan(readFileSync(f).toString('latin1'))].map((b) => `${f}: ${b}`));
    expect(hits).toEqual([]);
  });

  it('no column of any table holds an imported BSN (read back as text)', async () => {
    const cols = await duckdbColumns(db);
    expect(cols.has('audit_log.clients')).toBe(true);
    expect([...cols.keys()].length).toBeGreaterThan(30);
    const hits = [...cols].flatMap(([col, text]) => [...scanner.scan(text)].map((b) => `${col}: ${b}`));
    expect(hits).toEqual([]);
  });
});

describe('no imported BSN in the PostgreSQL warehouse', () => {
  let url: string;
  // Unset if beforeAll fails before the warehouse opens; afterAll closes it only if it did.
  let w: Warehouse | undefined;
  beforeAll(async () => {
    const admin = inject('pgUrl');
    const name = `grip_scan_${randomBytes(5).toString('hex')}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    url = admin.replace(/\/[^/]*$/, `/${name}`);
    w = await PostgresWarehouse.open(url);
    await importInto(w, [join(inputs, 'region'), join(inputs, 'hand')]);
    const app = buildApp({ warehouse: w, oidc: null });
    await new Accounts(w).addUser({ username: 'scan-admin', role: 'beheerder', password: 'correct-horse-battery' });
    const s = await login(app, 'scan-admin', 'correct-horse-battery');
    expect(
      (await s.get(`/gemeente/0482/regels?month=2025-02&doel=${encodeURIComponent('controle BSN-scan')}`)).statusCode,
    ).toBe(200);
    await app.close();
  }, 600_000);
  afterAll(async () => {
    await w?.close();
  });

  it('no column of any table holds an imported BSN (SELECT every column as text)', async () => {
    const cols = await postgresColumns(url);
    expect(cols.get('lines.client') ?? [...cols].find(([k]) => /client/.test(k))?.[1]).toMatch(/p_[0-9a-f]{20}/);
    expect((cols.get('audit_log.clients') ?? '').length).toBeGreaterThan(0);
    const hits = [...cols].flatMap(([col, text]) => [...scanner.scan(text)].map((b) => `${col}: ${b}`));
    expect(hits).toEqual([]);
    // Control: the same enumeration does find a BSN stored in clear in a table of this database.
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(`CREATE TABLE leak_control (n bigint)`);
      await c.query(`INSERT INTO leak_control VALUES (${Number(ZERO_BSNS[0])})`);
      const again = await postgresColumns(url);
      expect(scanner.scan(again.get('leak_control.n') ?? '')).toEqual(new Set([ZERO_BSNS[0]]));
    } finally {
      await c.query('DROP TABLE IF EXISTS leak_control');
      await c.end();
    }
  });
});
