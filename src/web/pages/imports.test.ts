/**
 * The upload page for case-system exports: only analysts may use it, the upload needs the CSRF token,
 * nothing is stored before confirmation, and confirming stores the mapping and the file's lines (the
 * example Suite4-like export: 259 lines, € 389.073,39 — the total `grip import --mapping suite4` gives, checked
 * against the iJw route in app/mapping.e2e.test.ts).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestWarehouse } from '../../ingest/testing/fixtures.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { buildApp } from '../server.js';
import { saveMapping } from '../../app/mapping.js';
import { sessionAs } from '../testing.js';

const examples = join(import.meta.dirname, '..', '..', '..', 'examples');
const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe('Exports inlezen (/import)', () => {
  let w: Warehouse;
  const env = { key: process.env.GRIP_KEY_FILE, uploads: process.env.GRIP_UPLOAD_DIR };
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'grip-upload-test-'));
    process.env.GRIP_KEY_FILE = join(dir, 'pseudonym.key');
    process.env.GRIP_UPLOAD_DIR = join(dir, 'uploads');
    w = await openTestWarehouse(':memory:', 'duckdb');
  });
  afterAll(async () => {
    await w.close();
    if (env.key === undefined) delete process.env.GRIP_KEY_FILE;
    else process.env.GRIP_KEY_FILE = env.key;
    if (env.uploads === undefined) delete process.env.GRIP_UPLOAD_DIR;
    else process.env.GRIP_UPLOAD_DIR = env.uploads;
  });

  it('proposes, previews, and stores only after confirmation', async () => {
    const app = buildApp({ warehouse: w });
    const s = await sessionAs(app, w, 'regio');
    const home = await s.get('/import');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('<h1>Exports inlezen</h1>');
    const file = readFileSync(join(examples, 'suite4-declaraties.csv'));
    const post = (csrf: string | null) =>
      app.inject({
        method: 'POST',
        url: '/import/upload?name=suite4-declaraties.csv',
        payload: file,
        headers: {
          cookie: s.cookie,
          'content-type': 'application/octet-stream',
          ...(csrf ? { 'x-csrf-token': csrf } : {}),
        },
      });
    expect((await post(null)).statusCode).toBe(403);
    const up = await post(s.csrf);
    expect(up.statusCode).toBe(200);
    const next = (JSON.parse(up.body) as { next: string }).next;
    expect(next).toMatch(/^\/import\/[0-9a-f]{16}$/);

    // Another analyst cannot open it: the upload holds BSNs in clear until it is imported.
    const other = await sessionAs(app, w, 'regio');
    expect((await other.get(next)).statusCode).toBe(404);
    expect((await other.post(`${next}/bevestigen`, { name: 'x', mapping: '{}' })).statusCode).toBe(404);
    const review = await s.get(next);
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain('De eerste 10 regels zoals Grip ze leest');
    // The first data row of the example: Dordrecht, 43V01, 29 etmalen, € 8.305,89.
    expect(review.body).toMatch(/<td>Dordrecht<\/td><td>41000037<\/td>/);
    expect(review.body).toContain('€ 8.305,89');
    expect(review.body).not.toContain('230016832'); // the BSN of that row: only its pseudonym is shown
    expect((await w.status()).declarationLines).toBe(0);
    expect(await w.mappings()).toEqual([]);

    const json = unescape(
      /<textarea id="mapping-json" name="mapping"[^>]*>([\s\S]*?)<\/textarea>/.exec(review.body)?.[1] ?? '',
    );
    const bad = await s.post(`${next}/voorbeeld`, { name: 'suite4', mapping: json.replace('"Bedrag"', '"Bedragen"') });
    expect(bad.statusCode).toBe(200);
    expect(bad.body).toContain('kolom &#39;Bedragen&#39; ontbreekt in de kopregel');
    expect((await w.status()).declarationLines).toBe(0);

    const done = await s.post(`${next}/bevestigen`, { name: 'suite4', mapping: json });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Geïmporteerd: suite4-declaraties.csv — 259 regels (€ 389.073,39)');
    expect((await w.status()).totalCents).toBe(38_907_339);
    expect((await w.mappings()).map((m) => m.name)).toEqual(['suite4']);
    expect((await s.get(next)).statusCode).toBe(404); // the upload is gone once imported
    const list = await s.get('/import');
    expect(list.body).toContain('suite4-declaraties.csv');

    // An XLSX through a saved mapping: the drill-down names file and sheet of every line.
    await saveMapping(w, JSON.parse(readFileSync(join(examples, 'isd-declaraties.mapping.json'), 'utf8')), 'test');
    const x = await app.inject({
      method: 'POST',
      url: '/import/upload?name=isd-declaraties.xlsx',
      payload: readFileSync(join(examples, 'isd-declaraties.xlsx')),
      headers: { cookie: s.cookie, 'content-type': 'application/octet-stream', 'x-csrf-token': s.csrf },
    });
    const xNext = (JSON.parse(x.body) as { next: string }).next;
    const xReview = await s.get(`${xNext}?mapping=isd`);
    expect(xReview.body).toContain('Papendrecht, rij 2');
    const xJson = unescape(
      /<textarea id="mapping-json" name="mapping"[^>]*>([\s\S]*?)<\/textarea>/.exec(xReview.body)?.[1] ?? '',
    );
    const xDone = await s.post(`${xNext}/bevestigen`, { name: 'isd', mapping: xJson });
    expect(xDone.body).toContain('Geïmporteerd: isd-declaraties.xlsx — 277 regels (€ 384.915,18)');
    const drill = await s.get('/gemeente/0590/regels?month=2025-01');
    expect(drill.statusCode).toBe(200);
    expect(drill.body).toContain('<td>isd-declaraties.xlsx, blad Papendrecht</td><td class="n">2</td>');
  });

  it('is for analysts of the region only', async () => {
    const app = buildApp({ warehouse: w });
    for (const role of ['gemeente', 'raad', 'partner'] as const) {
      const s = await sessionAs(app, w, role, role === 'gemeente' ? ['0482'] : []);
      expect((await s.get('/import')).statusCode).toBe(403);
    }
    const b = await sessionAs(app, w, 'beheerder');
    expect((await b.get('/import')).statusCode).toBe(200);
  });
});
