/**
 * What the steering pages (begroting, verdeling, maatregelen, kpi, scenario) share: who may edit, Dutch form
 * errors, CSV errors in Dutch, the audit entry for a change, small form widgets.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z, type ZodError } from 'zod';
import type { Role } from '../../warehouse/warehouse.js';
import { GripError } from '../../domain/errors.js';
import { parseEuros } from '../../domain/money.js';
import type { RegionMunicipality } from '../../domain/codes/index.js';
import type { WebDeps, Viewer } from '../core.js';
import { errorPage } from '../layout.js';
import { html, type SafeHtml } from '../html.js';
import { filterMunicipality, filterYear } from '../filters.js';

/** Roles that may change steering data (budgets, reference data, measures, KPI definitions). */
export const STEERING_EDITORS: readonly Role[] = ['beheerder', 'regio'];

export const canEdit = (v: Viewer): boolean => !!v.user && STEERING_EDITORS.includes(v.user.role);

export const csrfField = (v: Viewer): SafeHtml =>
  v.user ? html`<input type="hidden" name="_csrf" value="${v.user.csrfToken}">` : html``;

/** A zod error as one Dutch sentence, naming the fields. */
export function formErrors(e: ZodError, labels: Record<string, string> = {}): string {
  const parts = e.issues.map((i) => {
    const field = String(i.path[0] ?? '');
    const label = labels[field] ?? field;
    return label ? `${label}: ${i.message}` : i.message;
  });
  return `Het formulier is niet opgeslagen. Controleer: ${[...new Set(parts)].join('; ')}.`;
}

/** A CSV or input error (GripError from the app layer) in Dutch, with its location; the detail stays as written. */
export function csvErrorNl(e: unknown): string {
  if (e instanceof GripError) {
    const where = [e.where.line ? `regel ${e.where.line}` : '', e.where.column ? `kolom ${e.where.column}` : '']
      .filter(Boolean)
      .join(', ');
    const what =
      e.code === 'CSV_EMPTY'
        ? 'het bestand bevat geen regels'
        : e.code === 'CSV_HEADER'
          ? 'de kopregel klopt niet'
          : e.code === 'CSV_MALFORMED'
            ? 'dit is geen geldige CSV'
            : 'een waarde klopt niet';
    return `De CSV is niet ingelezen en er is niets opgeslagen: ${what}${where ? ` (${where})` : ''}. Detail: ${e.message}`;
  }
  return `De CSV is niet ingelezen en er is niets opgeslagen: ${e instanceof Error ? e.message : String(e)}`;
}

export function fail(reply: FastifyReply, v: Viewer, status: number, message: string) {
  return reply
    .code(status)
    .type('text/html')
    .send(errorPage(v.user, status, message));
}

/** Audits a change to steering data made through the web app. */
export async function auditChange(
  deps: WebDeps,
  req: FastifyRequest,
  action: string,
  municipality: string | null,
  detail: string,
): Promise<void> {
  const u = req.gripUser;
  await deps.warehouse.appendAudit({
    at: new Date().toISOString(),
    username: u?.username ?? '-',
    role: u?.role ?? '-',
    action,
    clients: [],
    purpose: null,
    municipality,
    detail,
  });
}

/** `<option>`s for the municipalities, one selected. */
export function municipalityOptions(
  munis: readonly RegionMunicipality[],
  selected?: string | null,
  withAll?: string,
): SafeHtml {
  const opt = (value: string, label: string) =>
    html`<option value="${value}"${value === (selected ?? '') ? ' selected' : ''}>${label}</option>`;
  return html`${withAll !== undefined ? opt('', withAll) : ''}${munis.map((m) => opt(m.code, `${m.name} (${m.code})`))}`;
}

/** Empty strings from a form become undefined, so optional fields validate. */
export const blankToUndefined = (v: unknown) =>
  typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v;

/** A steering page's query (begroting, maatregelen): `?year=` and `?municipality=` (empty: all). */
export const yearAndMunicipalityQuery = z.object({
  year: filterYear.optional(),
  municipality: z.preprocess(blankToUndefined, filterMunicipality.optional()),
});

/** `€ 1.234` with a sign: `+€ 1.234` (over budget), `-€ 1.234`. */
export const signedEuroText = (euroText: string, cents: number) => (cents > 0 ? `+${euroText}` : euroText);

export const FORM_STYLE = html`<style>
form.edit{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 14px;margin:8px 0 16px;display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:8px 16px;align-items:end}
form.edit label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}form.edit .wide{grid-column:1/-1}
form.edit textarea{width:100%;font-family:ui-monospace,monospace;font-size:.85rem}
details.box{background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 14px;margin:8px 0}details.box summary{cursor:pointer;font-weight:600}
</style>`;

/**
 * An amount as Dutch users type it, in cents: `400.000` and `1.250,50` (points group thousands), and whatever
 * parseEuros reads (`400000`, `400000,00`, `1250.5`). Throws a RangeError when it is not an amount.
 */
export function parseEurosNl(text: string, what = 'bedrag'): number {
  const s = text.trim().replace(/^€\s*/, '').replace(/\s/g, '');
  if (/^-?\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(s)) return parseEuros(s.replace(/\./g, '').replace(',', '.'), what);
  return parseEuros(s, what);
}
