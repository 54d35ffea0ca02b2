/** Beheer: the audit log (NEN 7513 style, read-only) and the list of accounts — for `beheerder` only. */
import { z } from 'zod';
import { getPage } from '../route.js';
import { addDays, formatDateTimeNl, localDayStartUtc } from '../../domain/month.js';
import { addNav, int, page, reqPath } from '../layout.js';
import { html, joinHtml } from '../html.js';
import type { WebContext } from '../server.js';

const ADMIN = ['beheerder'] as const;

/** The audit log's action codes (stored as written, in English) in Dutch; the code stays on hover. */
export const AUDIT_ACTIONS_NL: Record<string, string> = {
  import: 'Berichten geïmporteerd',
  login: 'Ingelogd',
  'login.failed': 'Inloggen mislukt',
  'login.locked': 'Inloggen geweigerd: account tijdelijk geblokkeerd',
  'login.ratelimited': 'Inloggen geweigerd: te veel pogingen',
  'login.oidc': 'Ingelogd via de eigen organisatie',
  'login.oidc.failed': 'Inloggen via de eigen organisatie mislukt',
  'user.add': 'Gebruiker aangemaakt',
  'user.update': 'Gebruiker gewijzigd',
  'user.disable': 'Gebruiker geblokkeerd',
  'user.enable': 'Gebruiker weer toegelaten',
  'user.reset-password': 'Nieuw wachtwoord ingesteld',
  'view.declaration-lines': 'Inzage declaratieregels',
  'view.special-cases': 'Inzage bijzondere casussen',
  'view.client-journey': 'Inzage route van een cliënt',
  'budget.entry': 'Begrotingsregel ingevoerd',
  'budget.import': 'Begroting geïmporteerd',
  'kpi.value': 'KPI-waarde ingevoerd',
  'kpi.import': "KPI's geïmporteerd",
  'kpi.load-seed004': 'KPI-tabellen van de Rekenkamer geladen',
  'measures.import': 'Maatregelen geïmporteerd',
  'targets.import': 'Taakstelling geïmporteerd',
  'reference.municipalities': 'Gemeentegegevens geïmporteerd',
};

export const auditActionNl = (code: string): string => AUDIT_ACTIONS_NL[code] ?? code;

const auditQuery = z.object({
  user: z.string().max(64).optional(),
  client: z.string().max(64).optional(),
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

export function registerAdmin({ app, data }: WebContext): void {
  addNav({ href: '/beheer/audit', label: 'Auditlog', roles: ADMIN });
  addNav({ href: '/beheer/gebruikers', label: 'Gebruikers', roles: ADMIN });

  getPage(
    app,
    '/beheer/audit',
    {
      rule: { roles: ADMIN },
      query: auditQuery,
      invalid: 'Ongeldige filter: datums als JJJJ-MM-DD.',
    },
    async ({ req, v, q }) => {
      const entries = await data.warehouse.audit({
        username: q.user || undefined,
        client: q.client || undefined,
        from: q.from ? localDayStartUtc(q.from) : undefined,
        to: q.to ? new Date(Date.parse(localDayStartUtc(addDays(q.to, 1))) - 1).toISOString() : undefined,
        limit: 1000,
      });
      const rows = joinHtml(
        entries.map(
          (e) =>
            html`<tr><td class="n"><time datetime="${e.at}">${formatDateTimeNl(e.at, true)}</time></td><td>${e.username}</td><td>${e.role}</td><td><span title="${e.action}">${auditActionNl(e.action)}</span></td><td>${e.municipality ?? ''}</td><td>${e.purpose ?? ''}</td><td>${e.clients.length ? html`${int(e.clients.length)}: <code>${e.clients.slice(0, 5).join(' ')}${e.clients.length > 5 ? ' …' : ''}</code>` : ''}</td><td>${e.detail ?? ''}</td></tr>`,
        ),
        '',
      );
      return page(
        v.user,
        'Auditlog',
        html`<h1>Auditlog</h1><p class="note">Alle inzage en export van gegevens op cliëntniveau, aanmeldingen, wijzigingen van gebruikers en imports. Het logboek kan niet worden gewijzigd of verwijderd (bewaartermijn minimaal 5 jaar).</p>
<form class="filters" method="get" action="/beheer/audit"><label>Gebruiker<input name="user" value="${q.user ?? ''}"></label><label>Cliënt (pseudoniem)<input name="client" value="${q.client ?? ''}"></label>
<label>Van<input type="date" name="from" value="${q.from ?? ''}"></label><label>Tot en met<input type="date" name="to" value="${q.to ?? ''}"></label><button type="submit">Zoek</button></form>
<table><caption>${int(entries.length)} regels${entries.length >= 1000 ? ' (de nieuwste 1.000)' : ''}</caption><thead><tr><th>Tijd (Nederlandse tijd)</th><th>Gebruiker</th><th>Rol</th><th>Actie</th><th>Gemeente</th><th>Doel</th><th>Cliënten</th><th>Details</th></tr></thead><tbody>${rows}</tbody></table>`,
        { path: reqPath(req) },
      );
    },
  );

  getPage(app, '/beheer/gebruikers', { rule: { roles: ADMIN } }, async ({ req, v }) => {
    const users = await data.warehouse.listUsers();
    return page(
      v.user,
      'Gebruikers',
      html`<h1>Gebruikers</h1><p class="note">Beheer gebruikers met <code>grip user add|disable|enable|reset-password</code>.</p>
<table><thead><tr><th>Gebruiker</th><th>Rol</th><th>Gemeenten</th><th>Organisatie</th><th>Status</th><th>Aangemaakt</th></tr></thead><tbody>${users.map(
        (u) =>
          html`<tr><td>${u.username}</td><td>${u.role}</td><td>${u.municipalities.join(', ')}</td><td>${u.organisation ?? ''}</td><td>${u.disabled ? 'geblokkeerd' : 'actief'}</td><td>${formatDateTimeNl(u.createdAt)}</td></tr>`,
      )}</tbody></table>`,
      { path: reqPath(req) },
    );
  });
}
