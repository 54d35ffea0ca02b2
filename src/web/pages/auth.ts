/** Login and logout. The login form is public; a failed login says nothing about which part was wrong. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { SESSION_HOURS } from '../../access/accounts.js';
import { ALL_ROLES } from '../../access/policy.js';
import { SESSION_COOKIE, setSessionCookie } from '../core.js';
import { page } from '../layout.js';
import { html } from '../html.js';
import type { WebContext } from '../server.js';

const LOGIN_COOKIE = 'grip_login';

/** Only local paths may follow a login (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}

function loginForm(next: string, token: string, error: string | null, withOidc = false): string {
  return page(
    null,
    'Inloggen',
    html`<h1>Inloggen</h1>${error ? html`<p role="alert" class="over">${error}</p>` : ''}
<form method="post" action="/login" style="display:grid;gap:10px;max-width:340px">
<input type="hidden" name="next" value="${next}"><input type="hidden" name="_login" value="${token}">
<label>Gebruikersnaam<br><input name="username" autocomplete="username" required autofocus></label>
<label>Wachtwoord<br><input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Inloggen</button></form>
${withOidc ? html`<p><a class="button" href="${`/login/oidc?next=${encodeURIComponent(next)}`}">Inloggen met uw organisatie</a></p>` : ''}
<p class="note">Grip toont gegevens over jeugdhulp. Cliëntnummers zijn gepseudonimiseerd; inzage op cliëntniveau wordt vastgelegd.</p>`,
  );
}

export function registerAuth({ app, deps, oidc }: WebContext): void {
  app.get('/login', { config: { rule: { roles: 'public' } } }, async (req, reply) => {
    // Login CSRF: a random token in a SameSite=Strict cookie must come back in the form (double submit).
    const token = randomBytes(16).toString('base64url');
    reply.setCookie(LOGIN_COOKIE, token, {
      path: '/login',
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.secureCookies ?? req.protocol === 'https',
    });
    return reply
      .type('text/html')
      .send(loginForm(safeNext((req.query as Record<string, unknown>).next), token, null, !!oidc));
  });

  app.post('/login', { config: { rule: { roles: 'public' } } }, async (req, reply) => {
    const body = z
      .object({
        username: z.string().max(64),
        password: z.string().max(256),
        next: z.string().optional(),
        _login: z.string().optional(),
      })
      .safeParse(req.body);
    const next = safeNext(body.success ? body.data.next : '/');
    const fresh = randomBytes(16).toString('base64url');
    const again = (status: number, msg: string) => {
      reply.setCookie(LOGIN_COOKIE, fresh, {
        path: '/login',
        httpOnly: true,
        sameSite: 'strict',
        secure: deps.secureCookies ?? req.protocol === 'https',
      });
      return reply
        .code(status)
        .type('text/html')
        .send(loginForm(next, fresh, msg, !!oidc));
    };
    if (!body.success) return again(400, 'Vul gebruikersnaam en wachtwoord in.');
    if (!body.data._login || body.data._login !== req.cookies[LOGIN_COOKIE])
      return again(403, 'Het formulier is verlopen; probeer het opnieuw.');
    const r = await deps.accounts.login(body.data.username, body.data.password, req.ip);
    if (!r) return again(401, 'Onjuiste gebruikersnaam of wachtwoord, of het account is (tijdelijk) geblokkeerd.');
    // A new session id at every login (no session fixation); the old one is dropped.
    const old = req.cookies[SESSION_COOKIE];
    if (old) await deps.accounts.logout(old);
    setSessionCookie(reply, req, r.sessionId, deps, SESSION_HOURS * 3600);
    reply.clearCookie(LOGIN_COOKIE, { path: '/login' });
    return reply.redirect(next, 303);
  });

  app.post('/logout', { config: { rule: { roles: ALL_ROLES } } }, async (req, reply) => {
    if (req.gripSessionId) await deps.accounts.logout(req.gripSessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });

  app.get('/api/health', { config: { rule: { roles: 'public' } } }, async () => ({ ok: true }));
}
