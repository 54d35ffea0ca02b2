/**
 * OpenID Connect login against a real local provider (oidc-provider v9 on 127.0.0.1 with its development
 * login and consent forms): the full authorization code flow with state, nonce and PKCE, driven by plain
 * fetch (provider) and fastify inject (Grip). Also: mapping of claims to role and municipalities, users-only
 * mapping, deny without a mapping, a wrong state and a callback from another browser are refused.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accounts } from '../access/accounts.js';
import { mapClaims, oidcSettingsFromEnv, type OidcMapping, type OidcSettings } from '../access/oidc.js';
import { at } from '../domain/indexing.js';
import { openTestWarehouse } from '../ingest/testing/fixtures.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { buildApp } from './server.js';
import { addTestUser, login } from './testing.js';

const REDIRECT = 'https://grip.test/login/oidc/callback';
const CLIENT = { client_id: 'grip', client_secret: 'grip-test-secret-0123456789abcdef' };

/** The provider's test accounts (the login form's "login" field picks one; any password is accepted). */
const PEOPLE: Record<string, Record<string, unknown>> = {
  alice: {
    email: 'alice@alblasserdam.test',
    email_verified: true,
    grip_role: 'gemeente',
    grip_municipalities: ['0482'],
  },
  bob: { email: 'bob@example.test', email_verified: true },
  mallory: { email: 'mallory@example.test', email_verified: true, grip_role: 'beheerder' },
  carol: { email: 'carol@example.test', email_verified: true },
  dave: { email: 'dave@example.test', email_verified: true },
  erin: { email: 'erin@example.test', email_verified: false },
};

let server: Server;
let issuer: string;
let w: Warehouse;

interface ProviderLike {
  callback(): (req: unknown, res: unknown) => void;
}

beforeAll(async () => {
  let handler: ((req: unknown, res: unknown) => void) | null = null;
  server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const name = 'oidc-provider';
  const { default: Provider } = (await import(name)) as {
    default: new (issuer: string, config: object) => ProviderLike;
  };
  const provider = new Provider(issuer, {
    clients: [{ ...CLIENT, redirect_uris: [REDIRECT], grant_types: ['authorization_code'], response_types: ['code'] }],
    async findAccount(_ctx: unknown, id: string) {
      if (!PEOPLE[id]) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...PEOPLE[id] }) };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], grip: ['grip_role', 'grip_municipalities'] },
    scopes: ['openid', 'email', 'grip'],
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['oidc-test-cookie-key'] },
  });
  handler = provider.callback();
  w = await openTestWarehouse();
}, 60_000);

afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed before opening them */
  await new Promise((ok) => server?.close(ok));
  await w?.close();

  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
});

const settings = (mapping: OidcMapping): OidcSettings => ({
  issuer,
  ...{ clientId: CLIENT.client_id, clientSecret: CLIENT.client_secret },
  redirectUri: REDIRECT,
  scope: 'openid email grip',
  mapping,
});
const CLAIMS_MAPPING: OidcMapping = {
  kind: 'claims',
  roleClaim: 'grip_role',
  municipalitiesClaim: 'grip_municipalities',
  organisationClaim: 'grip_organisation',
  roles: ['regio', 'gemeente', 'raad', 'partner'],
};

/** A browser's cookie jar for the provider (one host; paths ignored). */
class Jar {
  private cookies = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const pair = at(c.split(';'), 0);
      const i = pair.indexOf('=');
      const [k, v] = [pair.slice(0, i).trim(), pair.slice(i + 1)];
      if (/expires=Thu, 01 Jan 1970/i.test(c) || v === '') this.cookies.delete(k);
      else this.cookies.set(k, v);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Submits the provider's login and consent forms until it sends the browser back to Grip's callback. */
async function throughProvider(authUrl: string, person: string): Promise<URL> {
  const jar = new Jar();
  let url = authUrl;
  let init: RequestInit = {};
  for (let step = 0; step < 20; step++) {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.take(res);
    init = {};
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, url);
      if (next.href.startsWith(REDIRECT)) return next;
      url = next.href;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${html.slice(0, 300)}`);
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
    if (!form) throw new Error(`no form on provider page: ${html.slice(0, 300)}`);
    const fields = new URLSearchParams();
    for (const m of at(form, 2).matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g))
      fields.set(at(m, 1), at(m, 2));
    if (fields.get('prompt') === 'login') {
      fields.set('login', person);
      fields.set('password', 'whatever');
    }
    url = new URL(at(form, 1).replace(/&amp;/g, '&'), url).href;
    init = {
      method: 'POST',
      body: fields.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    };
  }
  throw new Error('too many steps at the provider');
}

interface Flow {
  start: LightMyRequestResponse;
  txCookie: string;
  callback: URL;
}

/** Starts a login at Grip and lets `person` log in at the provider; returns the callback Grip would get. */
async function startFlow(app: FastifyInstance, person: string, next = '/vergelijken'): Promise<Flow> {
  const start = await app.inject(`/login/oidc?next=${encodeURIComponent(next)}`);
  expect(start.statusCode).toBe(302);
  const auth = new URL(String(start.headers.location));
  expect(auth.origin).toBe(issuer);
  // state, nonce and PKCE (S256) are all sent.
  expect(auth.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
  expect(auth.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
  expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
  expect(auth.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
  const tx = start.cookies.find((c) => c.name === 'grip_oidc')!;
  expect(tx).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/login/oidc' });
  return { start, txCookie: `grip_oidc=${tx.value}`, callback: await throughProvider(auth.href, person) };
}

const finish = (app: FastifyInstance, f: Flow, url = f.callback, cookie = f.txCookie) =>
  app.inject({ url: url.pathname + url.search, headers: { cookie } });
const sessionOf = (r: LightMyRequestResponse) => r.cookies.find((c) => c.name === 'grip_session' && c.value)?.value;

describe('OpenID Connect login against a local oidc-provider', () => {
  let app: FastifyInstance;
  beforeAll(() => {
    app = buildApp({ warehouse: w, oidc: settings(CLAIMS_MAPPING) });
  });
  afterAll(() => app.close());

  it('offers the button on the login page only when configured', async () => {
    expect((await app.inject('/login')).body).toContain('Inloggen met uw organisatie');
    const plain = buildApp({ warehouse: w, oidc: null });
    expect((await plain.inject('/login')).body).not.toContain('Inloggen met uw organisatie');
    expect((await plain.inject('/login/oidc')).statusCode).toBe(404);
    await plain.close();
  });

  it('logs in with the code flow, maps role and municipalities from claims, and audits login.oidc', async () => {
    const f = await startFlow(app, 'alice');
    expect(f.callback.searchParams.get('code')).toBeTruthy();
    const res = await finish(app, f);
    expect(res.statusCode).toBe(200);
    expect(res.headers.refresh).toBe('0;url=/vergelijken');
    const sid = sessionOf(res);
    expect(sid).toBeTruthy();
    expect(res.cookies.find((c) => c.name === 'grip_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const cookie = `grip_session=${sid}`;
    expect((await app.inject({ url: '/gemeente/0482', headers: { cookie } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/gemeente/0505', headers: { cookie } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/beheer/audit', headers: { cookie } })).statusCode).toBe(403);
    const user = await w.getUser('ext:alice@alblasserdam.test');
    expect(user).toMatchObject({ role: 'gemeente', municipalities: ['0482'], disabled: false });
    expect(user!.passwordHash.startsWith('!external:')).toBe(true);
    const audit = await w.audit({ username: 'ext:alice@alblasserdam.test' });
    expect(audit.filter((a) => a.action === 'login.oidc')).toEqual([
      expect.objectContaining({ role: 'gemeente', detail: expect.stringContaining(`iss=${issuer} sub=alice`) }),
    ]);
    // The provisioned account has no password: the form login refuses it.
    await expect(login(app, 'ext:alice@alblasserdam.test', '!external:' + issuer)).rejects.toThrow(
      /login of .* failed: 401/,
    );
    // The transaction is single use: replaying the callback gives no second session.
    const replay = await finish(app, f);
    expect(replay.statusCode).toBe(400);
    expect(sessionOf(replay)).toBeUndefined();
  }, 60_000);

  it('a login started on one server process finishes on another (the transaction is kept in the warehouse)', async () => {
    const other = buildApp({ warehouse: w, oidc: settings(CLAIMS_MAPPING) });
    try {
      const f = await startFlow(app, 'alice');
      const res = await finish(other, f);
      expect(res.statusCode).toBe(200);
      expect(sessionOf(res)).toBeTruthy();
      // Still one use only, across processes.
      expect((await finish(app, f)).statusCode).toBe(400);
    } finally {
      await other.close();
    }
  }, 60_000);

  it('refuses a wrong state, a callback without the browser’s login cookie, and a tampered code', async () => {
    const before = (await w.audit({})).filter((a) => a.action === 'login.oidc.failed').length;
    const f = await startFlow(app, 'alice');
    const wrong = new URL(f.callback);
    wrong.searchParams.set('state', 'not-the-state-we-sent-0123456789');
    const r1 = await finish(app, f, wrong);
    expect(r1.statusCode).toBe(403);
    expect(sessionOf(r1)).toBeUndefined();
    // The transaction is spent by the failed attempt: the genuine callback no longer works either.
    const r1b = await finish(app, f);
    expect(r1b.statusCode).toBe(400);
    expect(sessionOf(r1b)).toBeUndefined();

    const g = await startFlow(app, 'alice');
    const r2 = await finish(app, g, g.callback, ''); // another browser (login CSRF)
    expect(r2.statusCode).toBe(400);
    expect(sessionOf(r2)).toBeUndefined();

    const h = await startFlow(app, 'alice');
    const forged = new URL(h.callback);
    forged.searchParams.set('code', 'forged-code');
    const r3 = await finish(app, h, forged);
    expect(r3.statusCode).toBe(403);
    expect(sessionOf(r3)).toBeUndefined();

    const failed = (await w.audit({})).filter((a) => a.action === 'login.oidc.failed');
    expect(failed.length - before).toBe(4);
    expect(failed.map((a) => a.detail)).toContainEqual(
      expect.stringMatching(/unexpected "state" response parameter value/),
    );
  }, 60_000);

  it('denies an identity without a mapping or with a role the provider may not grant', async () => {
    for (const person of ['bob', 'mallory']) {
      const r = await finish(app, await startFlow(app, person));
      expect(r.statusCode).toBe(403);
      expect(sessionOf(r)).toBeUndefined();
      expect(await w.getUser(`ext:${PEOPLE[person]?.email as string}`)).toBeNull();
    }
    const failed = (await w.audit({})).filter((a) => a.action === 'login.oidc.failed').map((a) => a.detail ?? '');
    expect(failed.some((d) => d.includes('sub=bob') && d.includes('no grip_role claim'))).toBe(true);
    expect(failed.some((d) => d.includes('sub=mallory') && d.includes('role beheerder may not be granted'))).toBe(true);
  }, 60_000);

  it('drops the session cookie the browser had before (no session fixation)', async () => {
    await addTestUser(w, 'fixation-victim', 'regio');
    const before = await login(app, 'fixation-victim');
    const f = await startFlow(app, 'alice');
    const res = await finish(app, f, f.callback, `${f.txCookie}; ${before.cookie}`);
    expect(res.statusCode).toBe(200);
    expect(`grip_session=${sessionOf(res)}`).not.toBe(before.cookie);
    expect((await before.get('/')).statusCode).toBe(302);
  }, 60_000);
});

describe('OpenID Connect with the users-only mapping', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = buildApp({ warehouse: w, oidc: settings({ kind: 'users', claim: 'email' }) });
    await new Accounts(w).addUser({ username: 'carol@example.test', role: 'regio', password: 'a-long-password-1234' });
  });
  afterAll(() => app.close());

  it('logs an existing Grip user in by email and refuses unknown or unverified emails', async () => {
    const ok = await finish(app, await startFlow(app, 'carol', '/'));
    expect(ok.statusCode).toBe(200);
    const cookie = `grip_session=${sessionOf(ok)}`;
    expect((await app.inject({ url: '/gemeente/0505', headers: { cookie } })).statusCode).toBe(200); // regio: all municipalities
    expect(
      (await w.audit({ username: 'carol@example.test' })).some((a) => a.action === 'login.oidc' && a.role === 'regio'),
    ).toBe(true);
    for (const person of ['dave', 'erin']) {
      const r = await finish(app, await startFlow(app, person));
      expect(r.statusCode).toBe(403);
      expect(sessionOf(r)).toBeUndefined();
    }
    await new Accounts(w).setDisabled('carol@example.test', true);
    const disabled = await finish(app, await startFlow(app, 'carol'));
    expect(disabled.statusCode).toBe(403);
    expect(sessionOf(disabled)).toBeUndefined();
  }, 60_000);
});

describe('OpenID Connect settings and claim mapping', () => {
  it('reads GRIP_OIDC_* and refuses incomplete or plain-http settings', () => {
    expect(oidcSettingsFromEnv({})).toBeNull();
    const env = {
      GRIP_OIDC_ISSUER: 'https://login.gemeente.test',
      GRIP_OIDC_CLIENT_ID: 'grip',
      GRIP_OIDC_CLIENT_SECRET: 's',
      GRIP_OIDC_REDIRECT: 'https://grip.test/login/oidc/callback',
    };
    expect(oidcSettingsFromEnv(env)).toMatchObject({
      issuer: env.GRIP_OIDC_ISSUER,
      scope: 'openid email profile',
      mapping: { kind: 'users', claim: 'email' },
    });
    expect(() => oidcSettingsFromEnv({ ...env, GRIP_OIDC_CLIENT_SECRET: '' })).toThrow(/clientSecret is missing/);
    expect(() => oidcSettingsFromEnv({ ...env, GRIP_OIDC_ISSUER: 'http://login.gemeente.test' })).toThrow(
      /must use https/,
    );
    expect(() => oidcSettingsFromEnv({ ...env, GRIP_OIDC_MAPPING: 'everyone' })).toThrow(/users, claims or groups/);
    expect(() => oidcSettingsFromEnv({ ...env, GRIP_OIDC_MAPPING: 'claims', GRIP_OIDC_ROLES: 'regio,koning' })).toThrow(
      /unknown role/,
    );
    expect(
      oidcSettingsFromEnv({
        ...env,
        GRIP_OIDC_MAPPING: 'groups',
        GRIP_OIDC_GROUPS: '{"jeugd-0482":{"role":"gemeente","municipalities":["0482"]}}',
      })!.mapping,
    ).toMatchObject({ kind: 'groups', claim: 'groups' });
  });

  it('maps groups, combining municipalities, and refuses conflicting roles', () => {
    const m: OidcMapping = {
      kind: 'groups',
      claim: 'groups',
      roles: ['regio', 'gemeente'],
      groups: {
        'jeugd-0482': { role: 'gemeente', municipalities: ['0482'] },
        'jeugd-0505': { role: 'gemeente', municipalities: ['0505'] },
        'grip-regio': { role: 'regio' },
      },
    };
    expect(
      mapClaims(m, 'https://i', { sub: 'x', email: 'X@A.test', groups: ['jeugd-0482', 'jeugd-0505', 'other'] }),
    ).toEqual({
      identity: {
        issuer: 'https://i',
        subject: 'x',
        username: 'ext:x@a.test',
        provision: { role: 'gemeente', municipalities: ['0482', '0505'], organisation: null },
      },
    });
    expect(mapClaims(m, 'https://i', { sub: 'x', groups: ['jeugd-0482', 'grip-regio'] })).toEqual({
      reason: expect.stringMatching(/several roles/),
    });
    expect(mapClaims(m, 'https://i', { sub: 'x', groups: ['toString', 'other'] })).toEqual({
      reason: expect.stringMatching(/no mapped group/),
    });
    expect(mapClaims(m, 'https://i', { groups: ['jeugd-0482'] })).toEqual({ reason: 'no sub claim' });
  });

  it('never lets a provisioned identity take over a local account or get municipalities it names wrongly', async () => {
    const acc = new Accounts(w);
    await acc.addUser({ username: 'local-admin', role: 'beheerder', password: 'a-long-password-1234' });
    await w.saveUser({ ...(await w.getUser('local-admin'))!, username: 'ext:local-admin' });
    expect(
      await acc.loginExternal({
        issuer: 'https://i',
        subject: 's',
        username: 'ext:local-admin',
        provision: { role: 'regio', municipalities: [], organisation: null },
      }),
    ).toBeNull();
    expect(
      await acc.loginExternal({
        issuer: 'https://i',
        subject: 's',
        username: 'local-admin',
        provision: { role: 'regio', municipalities: [], organisation: null },
      }),
    ).toBeNull();
    expect(
      await acc.loginExternal({
        issuer: 'https://i',
        subject: 's',
        username: 'ext:g',
        provision: { role: 'gemeente', municipalities: ['9999'], organisation: null },
      }),
    ).toBeNull();
    expect(
      await acc.loginExternal({
        issuer: 'https://i',
        subject: 's',
        username: 'ext:g',
        provision: { role: 'gemeente', municipalities: [], organisation: null },
      }),
    ).toBeNull();
    expect(
      await acc.loginExternal({
        issuer: 'https://i',
        subject: 's',
        username: 'ext:p',
        provision: { role: 'partner', municipalities: [], organisation: null },
      }),
    ).toBeNull();
    expect(
      (
        await acc.loginExternal({
          issuer: 'https://i',
          subject: 's',
          username: 'ext:g',
          provision: { role: 'gemeente', municipalities: ['GM0482'], organisation: null },
        })
      )?.user.municipalities,
    ).toEqual(['0482']);
    // Another provider cannot reuse the account of the first.
    expect(
      await acc.loginExternal({
        issuer: 'https://other',
        subject: 's',
        username: 'ext:g',
        provision: { role: 'gemeente', municipalities: ['0482'], organisation: null },
      }),
    ).toBeNull();
  });
});
