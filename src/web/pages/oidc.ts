/**
 * OpenID Connect login (authorization code flow with state, nonce and PKCE, openid-client v6). Registered
 * only when the deployment configures a provider (GRIP_OIDC_* or buildApp's `oidc`). A verified identity is
 * mapped to a Grip account (access/oidc.ts) and gets a normal Grip session; anything else is refused and
 * audited as `login.oidc.failed`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as client from 'openid-client';
import { SESSION_HOURS } from '../../access/accounts.js';
import { isLoopbackHttp, mapClaims, type Claims, type OidcSettings } from '../../access/oidc.js';
import { SESSION_COOKIE, setSessionCookie, type WebDeps } from '../core.js';
import { errorPage, page } from '../layout.js';
import { html } from '../html.js';
import type { WebContext } from '../server.js';
import { safeNext } from './auth.js';

/** The cookie that ties the callback to the browser that started the login (its value is a random id). */
export const OIDC_COOKIE = 'grip_oidc';
const PENDING_MINUTES = 10;
/**
 * Login transactions are kept in the warehouse (the sessions table), so a callback that reaches another
 * `grip serve` process — or the same one after a restart — still finds its state, nonce and PKCE verifier.
 * The row is keyed by a hash of the cookie's random id, belongs to no user (no account can have this name: local names have no colon, provisioned ones start with ext:) and is
 * deleted at the first callback: one use only.
 */
const PENDING_OWNER = 'oidc:pending';
const pendingKey = (id: string) => createHash('sha256').update(`oidc-login:${id}`).digest('hex');

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  expires: number;
}

async function auditFailure(deps: WebDeps, req: FastifyRequest, reason: string): Promise<void> {
  await deps.warehouse.appendAudit({
    at: new Date().toISOString(),
    username: '-',
    role: '-',
    action: 'login.oidc.failed',
    clients: [],
    purpose: null,
    municipality: null,
    detail: `${req.ip}: ${reason}`.slice(0, 500),
  });
}

/** Why openid-client refused a response, without codes or tokens. */
function why(e: unknown): string {
  const cause = (e as { cause?: unknown }).cause;
  const detail =
    cause instanceof Error
      ? cause.message
      : typeof cause === 'object' && cause !== null && 'error' in cause && typeof cause.error === 'string'
        ? cause.error
        : null;
  return `${(e as Error).message}${detail ? ` (${detail})` : ''}`;
}

export function registerOidc({ app, deps, oidc }: WebContext): void {
  if (!oidc) return;
  const settings: OidcSettings = oidc;
  const w = deps.warehouse;
  const savePending = async (id: string, tx: Pending) => {
    const { expires, ...secret } = tx;
    await w.deleteExpiredSessions(new Date().toISOString());
    await w.saveSession({
      idHash: pendingKey(id),
      username: PENDING_OWNER,
      csrfToken: JSON.stringify(secret),
      createdAt: new Date().toISOString(),
      expiresAt: new Date(expires).toISOString(),
    });
  };
  /** The transaction of this id, taken out of the warehouse (one use only); null when unknown or expired. */
  const takePending = async (id: string): Promise<Pending | null> => {
    const rec = await w.getSession(pendingKey(id));
    if (!rec) return null;
    await w.deleteSession(rec.idHash);
    if (rec.username !== PENDING_OWNER || rec.expiresAt <= new Date().toISOString()) return null;
    try {
      return { ...(JSON.parse(rec.csrfToken) as Omit<Pending, 'expires'>), expires: Date.parse(rec.expiresAt) };
    } catch {
      return null;
    }
  };
  let configuration: Promise<client.Configuration> | null = null;
  const discover = () =>
    (configuration ??= client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        client.ClientSecretBasic(settings.clientSecret),
        isLoopbackHttp(settings.issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((e: unknown) => {
        configuration = null; // try again at the next login
        throw e;
      }));
  const secure = (req: FastifyRequest) => deps.secureCookies ?? req.protocol === 'https';
  const refuse = (reply: FastifyReply, status: number, message: string) =>
    reply
      .code(status)
      .type('text/html')
      .send(
        page(
          null,
          'Inloggen mislukt',
          html`<h1>Inloggen mislukt</h1><p role="alert">${message}</p><p><a href="/login">Terug naar inloggen</a></p>`,
        ),
      );

  app.get('/login/oidc', { config: { rule: { roles: 'public' } } }, async (req, reply) => {
    let config: client.Configuration;
    try {
      config = await discover();
    } catch (e) {
      req.log.warn({ err: e }, 'OpenID Connect discovery failed');
      return reply
        .code(502)
        .type('text/html')
        .send(
          errorPage(null, 502, 'De inlogdienst van uw organisatie is nu niet bereikbaar. Probeer het later opnieuw.'),
        );
    }
    const now = Date.now();
    const verifier = client.randomPKCECodeVerifier();
    const tx: Pending = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier,
      next: safeNext((req.query as Record<string, unknown>).next),
      expires: now + PENDING_MINUTES * 60_000,
    };
    const id = randomBytes(24).toString('base64url');
    await savePending(id, tx);
    // SameSite=Lax, not Strict: the provider sends the browser back with a cross-site top-level GET.
    reply.setCookie(OIDC_COOKIE, id, {
      path: '/login/oidc',
      httpOnly: true,
      sameSite: 'lax',
      secure: secure(req),
      maxAge: PENDING_MINUTES * 60,
    });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: settings.redirectUri,
      scope: settings.scope,
      state: tx.state,
      nonce: tx.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return reply.redirect(url.href, 302);
  });

  app.get('/login/oidc/callback', { config: { rule: { roles: 'public' } } }, async (req, reply) => {
    const id = req.cookies[OIDC_COOKIE];
    const tx = id ? await takePending(id) : null; // one use only
    reply.clearCookie(OIDC_COOKIE, { path: '/login/oidc' });
    if (!tx || tx.expires < Date.now()) {
      await auditFailure(deps, req, 'no or expired login transaction');
      return refuse(reply, 400, 'Deze inlogpoging is verlopen of niet in deze browser begonnen. Probeer het opnieuw.');
    }
    let claims: Claims;
    try {
      const config = await discover();
      // The redirect URI as registered (not as seen behind a proxy), with the provider's response parameters.
      const current = new URL(settings.redirectUri);
      current.search = new URL(req.url, 'http://localhost').search;
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: tx.verifier,
        expectedState: tx.state,
        expectedNonce: tx.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new Error('no ID token');
      claims = { ...idClaims };
      if (config.serverMetadata().userinfo_endpoint) {
        const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...info, ...idClaims };
      }
    } catch (e) {
      await auditFailure(deps, req, `response refused: ${why(e)}`);
      return refuse(
        reply,
        403,
        'Het antwoord van de inlogdienst van uw organisatie is niet geldig. Probeer het opnieuw.',
      );
    }
    const mapped = mapClaims(settings.mapping, settings.issuer, claims);
    if ('reason' in mapped) {
      await auditFailure(deps, req, `iss=${settings.issuer} sub=${String(claims.sub)}: ${mapped.reason}`);
      return refuse(
        reply,
        403,
        'Uw account bij uw organisatie geeft geen toegang tot Grip. Neem contact op met de beheerder van Grip.',
      );
    }
    const r = await deps.accounts.loginExternal(mapped.identity, req.ip);
    if (!r)
      return refuse(
        reply,
        403,
        'Uw account bij uw organisatie geeft geen toegang tot Grip. Neem contact op met de beheerder van Grip.',
      );
    // A new session id at every login (no session fixation); the old one is dropped.
    const old = req.cookies[SESSION_COOKIE];
    if (old) await deps.accounts.logout(old);
    setSessionCookie(reply, req, r.sessionId, deps, SESSION_HOURS * 3600);
    // Not a redirect: the browser arrived here cross-site, and would not send the SameSite=Strict session
    // cookie along a redirect chain that started at the provider. A page on our own site navigates on.
    return reply
      .type('text/html')
      .header('cache-control', 'no-store')
      .header('refresh', `0;url=${tx.next}`)
      .send(
        page(
          null,
          'Ingelogd',
          html`<meta http-equiv="refresh" content="0;url=${tx.next}"><h1>Ingelogd</h1><p>U bent ingelogd als ${r.user.username}. <a href="${tx.next}">Verder naar Grip</a></p>`,
        ),
      );
  });
}
