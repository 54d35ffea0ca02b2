/**
 * Special cases marked by hand on the Bijzondere casussen page (analysts only, client level): the list with what
 * each case's lines cost, a form to mark a client (pseudonym), family or allocation with a reason and period, and
 * a button to remove one — POST with the session's CSRF token, every change in the audit log. The forecast
 * "zonder bijzondere casussen" on the page and the explanation of a forecast change count these cases too.
 */
import { z } from 'zod';
import { ANALYSTS } from '../../access/policy.js';
import {
  addSpecialCase,
  listSpecialCases,
  periodNl,
  removeSpecialCase,
  SPECIAL_CASE_KIND_NL,
  SPECIAL_CASE_KINDS,
  type SpecialCaseWithCost,
} from '../../app/special-cases.js';
import { GripError } from '../../domain/errors.js';
import type { IsoDate } from '../../domain/month.js';
import type { Viewer } from '../core.js';
import { postForm } from '../route.js';
import { euro, html, int, type SafeHtml } from '../layout.js';
import type { WebContext } from '../server.js';
import type { WebData } from '../data.js';
import { FORM_STYLE, auditChange, fail } from './steering-common.js';

const FIELD_NL: Record<string, string> = {
  municipality: 'Gemeente',
  kind: 'Soort',
  subject: 'Aanduiding',
  provider: 'Aanbieder',
  reason: 'Reden',
  from: 'Vanaf',
  to: 'Tot en met',
};

/** The section on the page: the marked cases of the municipality and the form to add one. */
export function markedCasesHtml(v: Viewer, code: string, cases: SpecialCaseWithCost[]): SafeHtml {
  const rows = cases.map(
    (
      c,
    ) => html`<tr><td class="n">${c.id}</td><td>${SPECIAL_CASE_KIND_NL[c.kind]}</td><td><code>${c.subject}</code>${c.provider ? ` (AGB ${c.provider})` : ''}</td><td>${periodNl(c.from, c.to)}</td><td>${c.reason}</td><td class="n">${euro(c.amountCents)}</td><td class="n">${int(c.clients)}</td><td>${c.enteredBy}</td>
<td><form method="post" action="${`/gemeente/${code}/casussen/${c.id}/verwijderen`}">${csrfFieldHtml(v)}<button type="submit">Verwijderen</button></form></td></tr>`,
  );
  const list = cases.length
    ? html`<table><caption>Met de hand gemarkeerde bijzondere casussen (${int(cases.length)})</caption><thead><tr><th scope="col" class="n">Nr</th><th scope="col">Soort</th><th scope="col">Aanduiding</th><th scope="col">Periode</th><th scope="col">Reden</th><th scope="col" class="n">Gedeclareerd</th><th scope="col" class="n">Cliënten</th><th scope="col">Door</th><th scope="col"></th></tr></thead><tbody>${rows}</tbody></table>`
    : html`<p class="note">Nog geen met de hand gemarkeerde bijzondere casussen.</p>`;
  const kinds = SPECIAL_CASE_KINDS.map((k) => html`<option value="${k}">${SPECIAL_CASE_KIND_NL[k]}</option>`);
  return html`${FORM_STYLE}<section id="markeren"><h2>Met de hand gemarkeerd</h2>
<p class="note">Een analist kan een cliënt (pseudoniem p_…), een gezin (gezinssleutel) of een toewijzing (nummer) als bijzondere casus markeren, met een reden en een periode van productiemaanden. Hun kosten tellen mee in de bijzondere casussen: de prognose toont ze apart en de uitleg van een verandering van de prognose noemt ze. Nooit een BSN: Grip kent alleen pseudoniemen.</p>
${list}
<form class="edit" method="post" action="${`/gemeente/${code}/casussen/markeren`}">${csrfFieldHtml(v)}
<label>Soort<select name="kind">${kinds}</select></label>
<label>Aanduiding<input name="subject" required placeholder="p_… / gezinssleutel / toewijzingsnummer"></label>
<label>Aanbieder (AGB, alleen bij een toewijzing)<input name="provider" inputmode="numeric"></label>
<label>Vanaf (JJJJ-MM)<input name="from" required placeholder="2026-01"></label>
<label>Tot en met (JJJJ-MM, leeg = doorlopend)<input name="to"></label>
<label class="wide">Reden<input name="reason" required maxlength="500"></label>
<div><button type="submit">Markeren</button></div></form></section>`;
}

const csrfFieldHtml = (v: Viewer) =>
  v.user ? html`<input type="hidden" name="_csrf" value="${v.user.csrfToken}">` : html``;

/** The marked cases of a municipality with their cost up to the as-of date (not cached: they change by hand). */
export function markedCasesFor(data: WebData, code: string, asOf: IsoDate): Promise<SpecialCaseWithCost[]> {
  return listSpecialCases(data.warehouse, { municipalities: [code], asOf });
}

const NO_CASE = 'Deze bijzondere casus bestaat niet.';

const markForm = z.object({
  kind: z.string(),
  subject: z.string(),
  provider: z.string().optional(),
  reason: z.string(),
  from: z.string(),
  to: z.string().optional(),
});

export function registerMarkedCases({ app, deps, data }: WebContext): void {
  const rule = { roles: ANALYSTS, municipalityScoped: true, clientLevel: true };
  postForm(
    app,
    '/gemeente/:code/casussen/markeren',
    {
      rule,
      municipality: true,
      unknownMunicipality: (code) => `Gemeente ${code} bestaat niet.`,
      body: markForm,
      invalid: () => 'Het formulier is niet opgeslagen: vul soort, aanduiding, reden en vanaf in.',
    },
    async ({ req, reply, v, body, muni }) => {
      const code = muni.code;
      let id: number;
      try {
        id = (
          await addSpecialCase(data.warehouse, { ...body, municipality: code }, { enteredBy: v.user?.username ?? '-' })
        ).id;
      } catch (e) {
        if (e instanceof GripError)
          return fail(
            reply,
            v,
            400,
            `Het formulier is niet opgeslagen. ${FIELD_NL[e.where.element ?? ''] ?? 'Invoer'}: ${e.message}.`,
          );
        throw e;
      }
      // The audit names the case, not its subject: the subject is in the case itself (client level).
      await auditChange(deps, req, 'special-case.add', code, `bijzondere casus ${id} (${body.kind})`);
      return reply.redirect(`/gemeente/${code}/casussen#markeren`, 303);
    },
  );
  postForm(
    app,
    '/gemeente/:code/casussen/:id/verwijderen',
    { rule, municipality: true, unknownMunicipality: () => NO_CASE },
    async ({ req, reply, v, muni }) => {
      const code = muni.code;
      const { id } = req.params as { id: string };
      if (!/^\d{1,9}$/.test(id)) return fail(reply, v, 404, NO_CASE);
      try {
        await removeSpecialCase(data.warehouse, Number(id), { by: v.user?.username ?? '-', municipalities: [code] });
      } catch (e) {
        if (e instanceof GripError)
          return fail(reply, v, 404, 'Deze bijzondere casus bestaat niet (meer) bij deze gemeente.');
        throw e;
      }
      await auditChange(deps, req, 'special-case.remove', code, `bijzondere casus ${id}`);
      return reply.redirect(`/gemeente/${code}/casussen#markeren`, 303);
    },
  );
}
