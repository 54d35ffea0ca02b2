/** Test helpers for the web app: users of each role and logged-in requests through fastify's inject. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { Accounts } from '../access/accounts.js';
import { importDeclarations, type DeclarationSpec } from '../app/testing/ledger.js';
import { openTestWarehouse } from '../ingest/testing/fixtures.js';
import type { Role, Warehouse } from '../warehouse/warehouse.js';
import { buildApp } from './server.js';

export const TEST_PASSWORD = 'correct-horse-battery';
/** What a page says while its figures are computed in the background (layout.ts pendingPage). */
const PENDING = 'Bezig met berekenen';

export interface Session {
  cookie: string;
  csrf: string;
  get(url: string): Promise<LightMyRequestResponse>;
  /** GET that waits (up to a minute) while the page answers that it is still computing in the background. */
  settled(url: string): Promise<LightMyRequestResponse>;
  post(url: string, form: Record<string, string>, opts?: { csrf?: string | null }): Promise<LightMyRequestResponse>;
}

/** Logs in through the real login form (login CSRF cookie, password check) and returns a session. */
export async function login(app: FastifyInstance, username: string, password = TEST_PASSWORD): Promise<Session> {
  const form = await app.inject('/login');
  const loginCookie = form.cookies.find((c) => c.name === 'grip_login')?.value ?? '';
  const token = /name="_login" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  const r = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: `grip_login=${loginCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ username, password, _login: token }).toString(),
  });
  const sid = r.cookies.find((c) => c.name === 'grip_session')?.value;
  if (r.statusCode !== 303 || !sid)
    throw new Error(`login of ${username} failed: ${r.statusCode} ${r.body.slice(0, 200)}`);
  const cookie = `grip_session=${sid}`;
  const home = await app.inject({ url: '/vergelijken', headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)?.[1] ?? '';
  const get = (url: string) => app.inject({ url, headers: { cookie } });
  return {
    cookie,
    csrf,
    get,
    settled: async (url: string) => {
      for (let i = 0; ; i++) {
        const r = await get(url);
        if (!r.body.includes(PENDING) || i >= 240) return r;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    post: (url: string, f: Record<string, string>, opts: { csrf?: string | null } = {}) => {
      const token = opts.csrf === undefined ? csrf : opts.csrf;
      const payload = new URLSearchParams(token === null ? f : { ...f, _csrf: token }).toString();
      return app.inject({
        method: 'POST',
        url,
        payload,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      } as InjectOptions);
    },
  };
}

/** Creates a user of a role (gemeente users get the given municipalities) with the test password. */
export async function addTestUser(
  w: Warehouse,
  username: string,
  role: Role,
  municipalities: string[] = [],
): Promise<void> {
  await new Accounts(w).addUser({
    username,
    role,
    municipalities,
    password: TEST_PASSWORD,
    organisation: role === 'partner' ? 'SJT' : null,
  });
}

/** A logged-in session for a new user of the role. */
export async function sessionAs(
  app: FastifyInstance,
  w: Warehouse,
  role: Role,
  municipalities: string[] = [],
): Promise<Session> {
  const username = `${role}-${municipalities.join('-') || 'x'}-${Math.random().toString(36).slice(2, 7)}`;
  await addTestUser(w, username, role, municipalities);
  return login(app, username);
}

/** Group `n` of the first match of `re` in `text` (a token or figure read off a page); fails, naming the pattern, when absent. */
export function matchGroup(re: RegExp, text: string, n = 1): string {
  const g = re.exec(text)?.[n];
  if (g === undefined) throw new Error(`no group ${n} of ${String(re)} in: ${text.slice(0, 300)}`);
  return g;
}

/** The app on a hand-made region, as the council attack tests use it. */
/** A page's text with non-breaking spaces as plain spaces and escaped slashes as `/` (for matching amounts). */
export const plainText = (body: string): string => body.replace(/&nbsp;|\u00a0/g, ' ').replace(/&#x2F;|&#47;/g, '/');

export interface CouncilApp {
  w: Warehouse;
  app: FastifyInstance;
  /** A council member (an aggregate role). */
  raad: Session;
  /** A regional analyst (client level), who sees what the council must not. */
  analyst: Session;
  close(): Promise<void>;
}

/**
 * The declaration lines imported into a fresh warehouse, the app on it, and a council member (`raad`) and an
 * analyst (`regio`) logged in. `close` shuts the app and the warehouse; when setting up fails half-way, what
 * was opened is closed before the error goes on.
 */
export async function councilApp(lines: readonly DeclarationSpec[]): Promise<CouncilApp> {
  const w = await openTestWarehouse();
  let app: FastifyInstance | undefined;
  const close = async () => {
    await app?.close();
    await w.close();
  };
  try {
    await importDeclarations(w, lines);
    const served = buildApp({ warehouse: w });
    app = served;
    const raad = await sessionAs(served, w, 'raad');
    const analyst = await sessionAs(served, w, 'regio');
    return { w, app: served, raad, analyst, close };
  } catch (e) {
    await close();
    throw e;
  }
}
