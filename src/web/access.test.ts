/**
 * Route × role × own/other municipality: every route the app registers is requested by every role, for
 * the user's own municipality and another one, and the outcome must match the route's declared rule as
 * read by this test's own oracle. Key routes are also pinned by hand below, so a rule cannot quietly
 * become looser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { RouteRule } from '../access/policy.js';
import { importInto, jw323Xml, openTestWarehouse, tempDir, writeFile } from '../ingest/testing/fixtures.js';
import { ROLES, type Role, type Warehouse } from '../warehouse/warehouse.js';
import { registeredRoutes } from './core.js';
import { isValidBsn } from '../domain/bsn.js';
import { at } from '../domain/indexing.js';
import { buildApp } from './server.js';
import { sessionAs, type Session } from './testing.js';

const OWN = '0482';
const OTHER = '0505';
let w: Warehouse;
let app: FastifyInstance;
const sessions = new Map<Role, Session>();

beforeAll(async () => {
  const dir = tempDir();
  writeFile(
    dir,
    'a.xml',
    jw323Xml({
      municipality: OWN,
      declarationNumber: 'A1',
      declarationDate: '2026-03-05',
      periodMonth: '2026-02',
      lines: [{ bsn: '999900006', ref: 'A1', month: '2026-02', amount: 10_000 }],
    }),
  );
  writeFile(
    dir,
    'b.xml',
    jw323Xml({
      municipality: OTHER,
      declarationNumber: 'B1',
      declarationDate: '2026-03-05',
      periodMonth: '2026-02',
      lines: [{ bsn: '999900031', ref: 'B1', month: '2026-02', amount: 20_000 }],
    }),
  );
  // The partner's own organisation (SJT, AGB 87654321) and a competitor (12345678, the fixtures' default),
  // each with 12 clients in the own municipality so their cells are published.
  const clients: string[] = [];
  for (let n = 999_100_000; clients.length < 34; n++) if (isValidBsn(String(n))) clients.push(String(n));
  for (const [k, provider] of [
    ['S', '87654321'],
    ['C', '12345678'],
  ] as const) {
    const mine = clients.slice(k === 'S' ? 0 : 12, k === 'S' ? 12 : 24);
    writeFile(
      dir,
      `${k}.xml`,
      jw323Xml({
        municipality: OWN,
        provider,
        declarationNumber: `${k}1`,
        declarationDate: '2026-03-05',
        periodMonth: '2026-02',
        lines: mine.map((bsn, i) => ({
          bsn,
          ref: `${k}${i}`,
          month: '2026-02',
          amount: k === 'S' ? 111_100 : 222_200,
        })),
      }),
    );
  }
  // A third municipality with 10 clients: the complement that keeps OTHER's single client hidden.
  writeFile(
    dir,
    'g.xml',
    jw323Xml({
      municipality: '0512',
      declarationNumber: 'G1',
      declarationDate: '2026-03-05',
      periodMonth: '2026-02',
      lines: clients.slice(24, 34).map((bsn, i) => ({ bsn, ref: `G${i}`, month: '2026-02', amount: 50_000 })),
    }),
  );
  w = await openTestWarehouse();
  await importInto(w, [dir]);
  await w.saveProviders(
    [
      { agb: '87654321', name: 'Stichting Jeugdteams (SJT)', kvk: null, careType: null },
      { agb: '12345678', name: 'Concurrent Zorg BV', kvk: null, careType: null },
    ],
    { source: 'test', enteredBy: 'test', enteredAt: '2026-03-01T00:00:00Z' },
  );
  app = buildApp({ warehouse: w });
  for (const role of ROLES) sessions.set(role, await sessionAs(app, w, role, role === 'gemeente' ? [OWN] : []));
}, 120_000);
afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed before opening them */
  await app?.close();
  await w?.close();
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
});

/** What the rule promises, written independently of the server's policy code. */
function expected(rule: RouteRule, role: Role | null, muni: string | null): 'allowed' | 'login' | 'denied' {
  if (rule.roles === 'public') return 'allowed';
  if (role === null) return 'login';
  if (!rule.roles.includes(role)) return 'denied';
  if (rule.municipalityScoped && role === 'gemeente' && muni !== null && muni !== OWN) return 'denied';
  if (rule.clientLevel && role !== 'beheerder' && role !== 'regio') return 'denied'; // gemeente: no purpose given here
  return 'allowed';
}

function urlFor(url: string, muni: string, rule: RouteRule): { url: string; muni: string | null } {
  if (url.includes(':code')) return { url: url.replace(':code', muni), muni };
  if (rule.municipalityScoped) return { url: `${url}?municipality=${muni}`, muni };
  return { url, muni: null };
}

describe('access: every route × every role × own/other municipality', () => {
  it('matches the declared rule everywhere, and there are routes of every kind', async () => {
    const routes = registeredRoutes(app).filter(
      (r) => !(r.method === 'POST' && (r.url === '/logout' || r.url === '/login')),
    );
    expect(routes.length).toBeGreaterThan(8);
    expect(routes.some((r) => r.rule.clientLevel)).toBe(true);
    expect(routes.some((r) => r.rule.municipalityScoped)).toBe(true);
    const failures: string[] = [];
    for (const r of routes) {
      for (const muni of [OWN, OTHER]) {
        const { url, muni: m } = urlFor(r.url, muni, r.rule);
        for (const role of [null, ...ROLES] as (Role | null)[]) {
          const s = role ? sessions.get(role)! : null;
          const res =
            r.method === 'GET'
              ? s
                ? await s.get(url)
                : await app.inject(url)
              : s
                ? await s.post(url, {})
                : await app.inject({ method: r.method as 'POST', url });
          const want = expected(r.rule, role, m);
          const got =
            res.statusCode === 401 || (res.statusCode === 302 && String(res.headers.location).startsWith('/login'))
              ? 'login'
              : res.statusCode === 403
                ? 'denied'
                : res.statusCode >= 500
                  ? 'error'
                  : 'allowed';
          if (got !== want)
            failures.push(
              `${r.method} ${url} as ${role ?? 'anonymous'}: expected ${want}, got ${got} (${res.statusCode})`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('pins the key rules by hand', async () => {
    const g = sessions.get('gemeente')!;
    expect((await g.get(`/gemeente/${OWN}`)).statusCode).toBe(200);
    expect((await g.get(`/gemeente/${OTHER}`)).statusCode).toBe(403);
    expect((await g.get(`/api/costs?by=municipality&municipality=${OTHER}`)).statusCode).toBe(403);
    // Without a filter a gemeente user gets only its own municipality, whatever it asks.
    expect((await g.get('/api/costs?by=municipality')).json()).toEqual([
      expect.objectContaining({ municipality: OWN }),
    ]);
    expect((await g.get(`/gemeente/${OWN}/regels?month=2026-02`)).statusCode).toBe(403);
    expect(
      (await g.get(`/gemeente/${OWN}/regels?month=2026-02&doel=${encodeURIComponent('controle declaratie')}`))
        .statusCode,
    ).toBe(200);
    expect(
      (await g.get(`/gemeente/${OTHER}/regels?month=2026-02&doel=${encodeURIComponent('controle declaratie')}`))
        .statusCode,
    ).toBe(403);
    for (const role of ['raad', 'partner'] as Role[])
      expect(
        (await sessions.get(role)!.get(`/gemeente/${OWN}/regels?month=2026-02&doel=nieuwsgierig`)).statusCode,
      ).toBe(403);
    for (const role of ['regio', 'gemeente', 'raad', 'partner'] as Role[])
      expect((await sessions.get(role)!.get('/beheer/audit')).statusCode).toBe(403);
    expect((await sessions.get('beheerder')!.get('/beheer/audit')).statusCode).toBe(200);
    // Councils: OTHER (1 client) is hidden, and so is the smallest other municipality (0512, 10 clients), or
    // the region total would give OTHER back; OWN (25 clients) is shown, rounded.
    const raad = (await sessions.get('raad')!.get('/api/costs?by=municipality&year=2026')).json<
      { municipality: string }[]
    >();
    expect(raad.find((r) => r.municipality === OTHER)).toMatchObject({ clients: '<10', amountCents: null });
    expect(raad.find((r) => r.municipality === '0512')).toMatchObject({ clients: '*', amountCents: null });
    expect(raad.find((r) => r.municipality === OWN)).toMatchObject({
      clients: 25,
      amountCents: 10_000 + 12 * 111_100 + 12 * 222_200,
    });
  });

  it('partner scope: its own organisation by name and amount, the region as a whole, no other provider', async () => {
    const p = sessions.get('partner')!;
    const page = (await p.get(`/gemeente/${OWN}?year=2026`)).body;
    expect(page).toContain('Stichting Jeugdteams (SJT)');
    expect(page).toContain('€ 13.332'); // 12 × € 1.111
    expect(page).not.toContain('Concurrent Zorg');
    expect(page).not.toContain('€ 26.664'); // the competitor's 12 × € 2.222
    const api = (await p.get('/api/costs?by=municipality,provider&year=2026')).json<
      { provider: string; amountCents: number | null }[]
    >();
    expect(api.map((r) => r.provider)).toEqual(['87654321']);
    expect(at(api, 0).amountCents).toBe(1_333_200);
    expect((await p.get('/api/costs?by=provider&year=2026')).json()).toEqual([
      expect.objectContaining({ provider: '87654321' }),
    ]);
    expect((await p.get(`/gemeente/${OWN}?year=2026&provider=12345678`)).statusCode).toBe(403);
    expect((await p.get('/api/costs?by=municipality&year=2026&provider=12345678')).statusCode).toBe(403);
    expect((await p.get('/api/costs?by=municipality&year=2026&provider=87654321')).statusCode).toBe(200);
    expect((await p.get(`/kostendrijvers?by=provider&municipality=${OWN}`)).body).not.toContain('Concurrent Zorg');
    expect((await p.get('/?year=2026')).body).not.toContain('Concurrent Zorg'); // not even in the filter list
    // Region-wide aggregates stay; a council member still sees every provider (protected).
    expect((await p.get('/?year=2026')).statusCode).toBe(200);
    expect((await sessions.get('raad')!.get(`/gemeente/${OWN}?year=2026`)).body).toContain('Concurrent Zorg');
  });

  it('refuses to start with a route that declares no rule', async () => {
    const a = buildApp({ warehouse: w });
    a.register(async (inst) => {
      inst.get('/zonder-regel', async () => 'x');
    });
    await expect(a.ready()).rejects.toThrow(/no access rule/);
  });

  it('requires the CSRF token on state-changing requests and a new session id at each login', async () => {
    const s = sessions.get('regio')!;
    expect((await s.post('/logout', {}, { csrf: null })).statusCode).toBe(403);
    expect((await s.post('/logout', {}, { csrf: 'wrong' })).statusCode).toBe(403);
    const again = await sessionAs(app, w, 'regio');
    expect(again.cookie).not.toBe(s.cookie);
    const out = await again.post('/logout', {});
    expect(out.statusCode).toBe(303);
    expect((await again.get('/')).statusCode).toBe(302);
  });
});
