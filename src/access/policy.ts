/**
 * Who may do what: deny by default. Every web route declares a rule; `decide` applies it to the user,
 * the municipality the request is about and, for client-level data, the stated purpose.
 *
 * - beheerder: everything, including users and the audit log.
 * - regio (regional analyst): all municipalities, client level allowed.
 * - gemeente: only its own municipalities; aggregates; client level only with a stated purpose.
 * - raad: aggregates only, with small numbers suppressed.
 * - partner: enters KPI figures for its organisation; sees aggregates only.
 */
import type { Role } from '../warehouse/warehouse.js';

export interface RouteRule {
  /** Roles allowed; 'public' needs no login (login page, health check, static files). */
  roles: readonly Role[] | 'public';
  /** The route shows data of one municipality (its code comes with the request). */
  municipalityScoped?: boolean;
  /** The route shows pseudonymised client-level data. */
  clientLevel?: boolean;
}

export interface Subject {
  role: Role;
  municipalities: readonly string[];
}

export type Decision = 'allow' | 'login' | 'forbidden' | 'purpose-required';

export const ALL_ROLES: readonly Role[] = ['beheerder', 'regio', 'gemeente', 'raad', 'partner'];
export const ANALYSTS: readonly Role[] = ['beheerder', 'regio', 'gemeente'];
export const VIEWERS: readonly Role[] = ['beheerder', 'regio', 'gemeente', 'raad', 'partner'];

/** The municipalities a user may see: null means all. */
export function municipalityScope(s: Subject): readonly string[] | null {
  return s.role === 'gemeente' ? s.municipalities : null;
}

export function maySeeMunicipality(s: Subject, code: string): boolean {
  const scope = municipalityScope(s);
  return scope === null || scope.includes(code);
}

/** Whether figures must be disclosure-controlled (small cells suppressed) for this user. */
export function needsSuppression(s: Subject | null): boolean {
  return !s || s.role === 'raad' || s.role === 'partner';
}

export function decide(
  user: Subject | null,
  rule: RouteRule,
  municipality: string | null,
  purpose: string | null,
): Decision {
  if (rule.roles === 'public') return 'allow';
  if (!user) return 'login';
  if (!rule.roles.includes(user.role)) return 'forbidden';
  if (rule.municipalityScoped && municipality !== null && !maySeeMunicipality(user, municipality)) return 'forbidden';
  if (rule.clientLevel) {
    if (user.role === 'beheerder' || user.role === 'regio') return 'allow';
    if (user.role === 'gemeente') return purpose && purpose.trim().length >= 5 ? 'allow' : 'purpose-required';
    return 'forbidden';
  }
  return 'allow';
}
