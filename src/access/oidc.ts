/**
 * OpenID Connect login (optional per deployment): settings from the environment and the mapping from a
 * verified identity (ID token + userinfo claims) to a Grip account. Deny by default: an identity that the
 * mapping does not cover gets no session.
 *
 * Mappings (GRIP_OIDC_MAPPING):
 * - `users` (default): the identity logs in as an EXISTING Grip user whose username equals a claim
 *   (GRIP_OIDC_USER_CLAIM, default `email`; an `email` claim must not be marked unverified). Role and
 *   municipalities stay managed in Grip (`grip user add`). The safest choice: the provider proves who
 *   someone is, Grip decides what they may see.
 * - `claims`: role and municipalities come from claims (GRIP_OIDC_ROLE_CLAIM, default `grip_role`;
 *   GRIP_OIDC_MUNICIPALITIES_CLAIM, default `grip_municipalities`, a list or comma string;
 *   GRIP_OIDC_ORGANISATION_CLAIM, default `grip_organisation`, for partners). Only roles in GRIP_OIDC_ROLES
 *   (default `regio,gemeente,raad,partner`; never `beheerder` unless listed) are accepted.
 * - `groups`: a group claim (GRIP_OIDC_GROUPS_CLAIM, default `groups`) is mapped by GRIP_OIDC_GROUPS, JSON
 *   `{"jeugd-0482": {"role": "gemeente", "municipalities": ["0482"]}, "grip-regio": {"role": "regio"}}`.
 *   Several matching groups must agree on the role (gemeente municipalities are combined).
 * With `claims` and `groups`, the account `ext:<email | preferred_username | sub>` is created or updated at
 * each login; it has no password.
 */
import { GripError } from '../domain/errors.js';
import { ROLES, type Role } from '../warehouse/warehouse.js';
import type { ExternalIdentity } from './accounts.js';

export type OidcMapping =
  | { kind: 'users'; claim: string }
  | {
      kind: 'claims';
      roleClaim: string;
      municipalitiesClaim: string;
      organisationClaim: string;
      roles: readonly Role[];
    }
  | {
      kind: 'groups';
      claim: string;
      groups: Record<string, { role: Role; municipalities?: string[]; organisation?: string }>;
      roles: readonly Role[];
    };

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The callback URL registered at the provider, e.g. https://grip.example.nl/login/oidc/callback. */
  redirectUri: string;
  scope: string;
  mapping: OidcMapping;
}

export const DEFAULT_OIDC_ROLES: readonly Role[] = ['regio', 'gemeente', 'raad', 'partner'];

/** Plain http is only accepted for a provider on this machine (tests, local development). */
export function isLoopbackHttp(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}

function roleList(value: string | undefined, name: string): readonly Role[] {
  if (!value) return DEFAULT_OIDC_ROLES;
  const roles = value
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  for (const r of roles) if (!ROLES.includes(r as Role)) throw new GripError('CONFIG', `${name}: unknown role "${r}"`);
  return roles as Role[];
}

/** Checks settings given to buildApp or read from the environment; throws a clear error when incomplete. */
export function checkOidcSettings(s: OidcSettings): OidcSettings {
  for (const [k, v] of Object.entries({
    issuer: s.issuer,
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    redirectUri: s.redirectUri,
  })) {
    if (!v) throw new GripError('CONFIG', `OpenID Connect: ${k} is missing`);
  }
  for (const u of [s.issuer, s.redirectUri]) {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      throw new GripError('CONFIG', `OpenID Connect: "${u}" is not a URL`);
    }
    if (url.protocol !== 'https:' && !isLoopbackHttp(u))
      throw new GripError('CONFIG', `OpenID Connect: ${u} must use https`);
  }
  if (!s.scope.split(' ').includes('openid'))
    throw new GripError('CONFIG', 'OpenID Connect: the scope must include openid');
  return s;
}

/** Settings from GRIP_OIDC_* variables, or null when GRIP_OIDC_ISSUER is not set. */
export function oidcSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OidcSettings | null {
  if (!env.GRIP_OIDC_ISSUER) return null;
  const kind = env.GRIP_OIDC_MAPPING ?? 'users';
  let mapping: OidcMapping;
  if (kind === 'users') mapping = { kind, claim: env.GRIP_OIDC_USER_CLAIM ?? 'email' };
  else if (kind === 'claims')
    mapping = {
      kind,
      roleClaim: env.GRIP_OIDC_ROLE_CLAIM ?? 'grip_role',
      municipalitiesClaim: env.GRIP_OIDC_MUNICIPALITIES_CLAIM ?? 'grip_municipalities',
      organisationClaim: env.GRIP_OIDC_ORGANISATION_CLAIM ?? 'grip_organisation',
      roles: roleList(env.GRIP_OIDC_ROLES, 'GRIP_OIDC_ROLES'),
    };
  else if (kind === 'groups') {
    let groups: unknown;
    try {
      groups = JSON.parse(env.GRIP_OIDC_GROUPS ?? '');
    } catch {
      throw new GripError(
        'CONFIG',
        'GRIP_OIDC_GROUPS must be JSON: {"group": {"role": "gemeente", "municipalities": ["0482"]}}',
      );
    }
    if (!groups || typeof groups !== 'object' || Array.isArray(groups))
      throw new GripError('CONFIG', 'GRIP_OIDC_GROUPS must be a JSON object');
    mapping = {
      kind,
      claim: env.GRIP_OIDC_GROUPS_CLAIM ?? 'groups',
      groups: groups as Record<string, { role: Role }>,
      roles: roleList(env.GRIP_OIDC_ROLES, 'GRIP_OIDC_ROLES'),
    };
  } else throw new GripError('CONFIG', `GRIP_OIDC_MAPPING must be users, claims or groups, got "${kind}"`);
  return checkOidcSettings({
    issuer: env.GRIP_OIDC_ISSUER,
    clientId: env.GRIP_OIDC_CLIENT_ID ?? '',
    clientSecret: env.GRIP_OIDC_CLIENT_SECRET ?? '',
    redirectUri: env.GRIP_OIDC_REDIRECT ?? '',
    scope: env.GRIP_OIDC_SCOPE ?? 'openid email profile',
    mapping,
  });
}

export type Claims = Record<string, unknown>;

const list = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string'
      ? v.split(/[,\s]+/).filter(Boolean)
      : [];
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** The Grip identity for verified claims, or the reason there is none (deny by default). */
export function mapClaims(
  mapping: OidcMapping,
  issuer: string,
  claims: Claims,
): { identity: ExternalIdentity } | { reason: string } {
  const subject = str(claims.sub);
  if (!subject) return { reason: 'no sub claim' };
  if (mapping.kind === 'users') {
    const name = str(claims[mapping.claim]);
    if (!name) return { reason: `no ${mapping.claim} claim` };
    if (mapping.claim === 'email' && claims.email_verified === false)
      return { reason: 'email not verified by the provider' };
    return { identity: { issuer, subject, username: name.toLowerCase() } };
  }
  const username = `ext:${(str(claims.email) ?? str(claims.preferred_username) ?? subject).toLowerCase()}`.slice(
    0,
    128,
  );
  let role: Role;
  let municipalities: string[];
  let organisation: string | null;
  if (mapping.kind === 'claims') {
    const r = str(claims[mapping.roleClaim]);
    if (!r) return { reason: `no ${mapping.roleClaim} claim` };
    role = r as Role;
    municipalities = list(claims[mapping.municipalitiesClaim]);
    organisation = str(claims[mapping.organisationClaim]);
  } else {
    const hits = list(claims[mapping.claim]).flatMap((g) => {
      const hit = Object.hasOwn(mapping.groups, g) ? mapping.groups[g] : undefined;
      return hit !== undefined ? [hit] : [];
    });
    const [first] = hits;
    if (first === undefined) return { reason: `no mapped group in ${mapping.claim}` };
    const roles = new Set(hits.map((h) => h.role));
    if (roles.size > 1) return { reason: `groups map to several roles (${[...roles].join(', ')})` };
    role = first.role;
    municipalities = [...new Set(hits.flatMap((h) => h.municipalities ?? []))];
    organisation = hits.find((h) => h.organisation)?.organisation ?? null;
  }
  if (!ROLES.includes(role)) return { reason: `unknown role ${role}` };
  if (!mapping.roles.includes(role)) return { reason: `role ${role} may not be granted by the provider` };
  return { identity: { issuer, subject, username, provision: { role, municipalities, organisation } } };
}
