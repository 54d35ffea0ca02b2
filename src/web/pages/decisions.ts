/**
 * Besluitvorming: the planning calendar per year (P&C products with dates per body and the deadlines the
 * Wgr rules give), its iCalendar download, each stored proposal with its split, frozen figures, the
 * councils' views with deadline status, the nota van reactie, the AB vote and the result, and the
 * commitments as open items. Regional analysts (and the beheerder) add points, reactions and commitments.
 */
import type { FastifyReply } from 'fastify';
import { z, type ZodError, type ZodTypeAny } from 'zod';
import { VIEWERS } from '../../access/policy.js';
import { rankedBarsOption } from '../../charts/echarts.js';
import { cbsMunicipality, type RegionMunicipality } from '../../domain/codes/index.js';
import { regionOf } from '../../app/region.js';
import {
  ITEM_KIND_LABELS,
  SEED003_CALENDAR,
  STANCE_LABELS,
  THEMES,
  WGR_CHANGE_DATE,
  openCommitments,
  tallyVotes,
  type CalendarEntry,
  type Commitment,
  type DecisionCase,
  type LinkedFigure,
  type ReactionStatus,
  type Theme,
} from '../../domain/decisions/index.js';
import { calendarToIcs } from '../../domain/decisions/ics.js';
import { formatDateNl, isIsoDate, type IsoDate } from '../../domain/month.js';
import { ALLOCATION_KEY_LABELS } from '../../domain/steering/allocation.js';
import { proposalForAggregate } from '../../domain/decisions/disclosure.js';
import { DecisionInputError } from '../../domain/decisions/rules.js';
import type { StoredDocument } from '../../warehouse/types.js';
import type { Role } from '../../warehouse/warehouse.js';
import type { Viewer } from '../core.js';
import { getFile, getPage, postForm } from '../route.js';
import { addNav, chart, errorPage, euro, int, page, qs } from '../layout.js';
import { html, joinHtml, type SafeHtml } from '../html.js';
import type { WebContext } from '../server.js';
import {
  PLANNING_NAME,
  decisionCalendar,
  decisionCaseView,
  storedDecisionCases,
  type DecisionCalendar,
} from '../../app/decisions.js';
import { PROPOSAL_KEYS, PROPOSAL_KINDS, createProposal, proposalForm, toNewProposal } from '../../app/proposals.js';
import { slugify } from '../../domain/text.js';

export const EDITORS: readonly Role[] = ['beheerder', 'regio'];

const muniName = (code: string) => cbsMunicipality(code)?.name ?? code;
const dateNl = (d: IsoDate | null | undefined) => (d ? formatDateNl(d) : 'onbekend');
const today = (): IsoDate => new Date().toISOString().slice(0, 10);
const canEdit = (v: Viewer) => !!v.user && EDITORS.includes(v.user.role);

const REACTION_LABELS: Record<ReactionStatus, string> = {
  overgenomen: 'overgenomen',
  deels: 'deels overgenomen',
  niet: 'niet overgenomen',
  kennisgenomen: 'kennisgenomen',
};
const VOTE_LABELS = { voor: 'voor', tegen: 'tegen', onthouding: 'onthouding', afwezig: 'afwezig' } as const;
const RESULT_LABELS = {
  aangenomen: 'aangenomen',
  verworpen: 'verworpen',
  staken: 'staken der stemmen',
  'geen quorum': 'geen quorum',
} as const;
/** The result as shown: "nog niet gestemd" while no vote is recorded. */
const resultLabel = (c: DecisionCase, t: ReturnType<typeof tallyVotes>) =>
  c.vote.votes.length ? RESULT_LABELS[t.result] : 'nog niet gestemd';

// ---------------------------------------------------------------------------------------------------------
// Data

const yearQuery = z.object({
  year: z.coerce
    .number({ invalid_type_error: 'jaar als getal, bijvoorbeeld 2025' })
    .int()
    .min(2000, 'jaar vanaf 2000')
    .max(2100, 'jaar tot 2100')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

// ---------------------------------------------------------------------------------------------------------
// Forms

const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((s) => (s ? s : undefined))
  .refine((s) => s === undefined || isIsoDate(s), 'datum als JJJJ-MM-DD (bijvoorbeeld 2020-09-09)');
const required = (what: string, max = 2000) =>
  z
    .string({ required_error: `${what} is verplicht` })
    .trim()
    .min(1, `${what} is verplicht`)
    .max(max, `${what} is te lang (hoogstens ${max} tekens)`);

/** A municipality of the region (the warehouse's list, app/region.ts). */
const regionMunicipality = (codes: readonly string[]) =>
  z.string({ required_error: 'kies een gemeente' }).refine((m) => codes.includes(m), 'kies een gemeente uit de regio');

export const pointForm = (codes: readonly string[]) =>
  z.object({
    municipality: regionMunicipality(codes),
    number: z
      .string({ required_error: 'nummer is verplicht' })
      .trim()
      .regex(/^[0-9A-Za-z]{1,6}$/, 'nummer: 1 tot 6 letters of cijfers, zoals 4a'),
    theme: z
      .string({ required_error: 'kies een thema' })
      .refine((t): t is Theme => (THEMES as readonly string[]).includes(t), 'kies een thema uit de lijst'),
    text: required('tekst van het punt'),
    received: optionalDate,
  });

export const reactionForm = z.object({
  pointId: z.string({ required_error: 'kies een punt' }).trim().min(1, 'kies een punt'),
  status: z.enum(['overgenomen', 'deels', 'niet', 'kennisgenomen'], {
    errorMap: () => ({ message: 'kies een status: overgenomen, deels, niet of kennisgenomen' }),
  }),
  text: required('tekst van de reactie'),
});

export const commitmentForm = z.object({
  text: required('omschrijving', 500),
  owner: required('eigenaar', 200),
  due: optionalDate,
  dueNote: z.string().trim().max(200, 'toelichting op de datum is te lang').optional(),
  recurrence: z
    .enum(['', 'maandelijks', 'per kwartaal', 'halfjaarlijks', 'jaarlijks'], {
      errorMap: () => ({ message: 'kies een herhaling uit de lijst' }),
    })
    .optional(),
  origin: z.enum(['toegezegd', 'gevraagd'], { errorMap: () => ({ message: 'kies of het is toegezegd of gevraagd' }) }),
  status: z.enum(['open', 'lopend', 'gedaan'], {
    errorMap: () => ({ message: 'kies een status: open, lopend of gedaan' }),
  }),
  fromPoints: z.string().trim().max(500).optional(),
  id: z
    .string()
    .trim()
    .max(80)
    .regex(/^[a-z0-9-]*$/, 'kenmerk: kleine letters, cijfers en streepjes')
    .optional(),
});

export const voteForm = (codes: readonly string[]) =>
  z.object({
    municipality: regionMunicipality(codes),
    choice: z.enum(['voor', 'tegen', 'onthouding', 'afwezig'], {
      errorMap: () => ({ message: 'kies een stem: voor, tegen, onthouding of afwezig' }),
    }),
    date: optionalDate,
  });

/** A Dutch message listing what is wrong with a form. */
export function formErrors(e: z.ZodError): string {
  return `Controleer het formulier: ${e.issues.map((i) => i.message).join('; ')}.`;
}

const slug = (s: string) => slugify(s, 60) || 'toezegging';

// ---------------------------------------------------------------------------------------------------------
// Rendering

function figureValue(f: LinkedFigure): string {
  return f.value.kind === 'cents' ? euro(f.value.cents) : `${f.value.percent.toLocaleString('nl-NL')}%`;
}

const timelinessBadge = (t: string) =>
  t === 'op tijd'
    ? html`<span class="light groen">op tijd</span>`
    : t === 'te laat'
      ? html`<span class="light rood">te laat</span>`
      : html`<span class="note">onbekend</span>`;

function perProductTable(entries: CalendarEntry[]): SafeHtml {
  const items = new Map<
    string,
    {
      title: string;
      kind: CalendarEntry['kind'];
      cols: Record<'DB' | 'AB' | 'raden' | 'overig' | 'termijn', SafeHtml[]>;
    }
  >();
  for (const e of entries) {
    const it = items.get(e.itemId) ?? {
      title: e.itemTitle,
      kind: e.kind,
      cols: { DB: [], AB: [], raden: [], overig: [], termijn: [] },
    };
    const when = `${e.bound === 'voor' ? 'vóór ' : ''}${formatDateNl(e.date)}`;
    const col = e.derived
      ? 'termijn'
      : e.body === 'AB DG&J'
        ? 'AB'
        : e.body === 'DB DG&J'
          ? 'DB'
          : e.body.startsWith('Raad') || e.body === 'Raden'
            ? 'raden'
            : 'overig';
    const who =
      (col === 'raden' || col === 'overig') && e.body !== e.label && !e.body.startsWith(e.label) ? `${e.body}: ` : '';
    it.cols[col].push(html`<div><strong>${when}</strong> ${who + e.label}${e.assumed ? ' *' : ''}</div>`);
    items.set(e.itemId, it);
  }
  const rows = joinHtml(
    [...items.values()].map(
      (i) =>
        html`<tr><th scope="row">${i.title}<div class="note">${ITEM_KIND_LABELS[i.kind]}</div></th>${(['DB', 'AB', 'raden', 'overig', 'termijn'] as const).map((c) => html`<td>${i.cols[c].length ? i.cols[c] : html`<span class="note">—</span>`}</td>`)}</tr>`,
    ),
    '',
  );
  return html`<table><caption>Per product: data per orgaan en de afgeleide termijnen</caption><thead><tr><th scope="col">Product</th><th scope="col">DB</th><th scope="col">AB</th><th scope="col">Raden</th><th scope="col">Overig</th><th scope="col">Afgeleide termijnen</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function chronologicalTable(entries: CalendarEntry[]): SafeHtml {
  const rows = joinHtml(
    entries.map(
      (e) =>
        html`<tr${e.derived ? html` class="derived"` : ''}><td class="n">${`${e.bound === 'voor' ? 'vóór ' : ''}${formatDateNl(e.date)}`}</td><td>${e.body}</td><td>${e.itemTitle}</td><td>${e.label}${e.assumed ? ' *' : ''}${e.note ? html`<div class="note">${e.note}</div>` : ''}</td><td>${e.derived ? html`termijn<div class="note">${e.rule ?? ''}</div>` : 'vergadering of datum'}</td></tr>`,
    ),
    '',
  );
  return html`<table><caption>Alle data op volgorde</caption><thead><tr><th scope="col" class="n">Datum</th><th scope="col">Orgaan</th><th scope="col">Onderwerp</th><th scope="col">Wat</th><th scope="col">Soort</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const municipalityOptions = (municipalities: readonly RegionMunicipality[], selected?: string) =>
  joinHtml(
    municipalities.map(
      (m) => html`<option value="${m.code}"${m.code === selected ? ' selected' : ''}>${m.name}</option>`,
    ),
    '',
  );

function editForms(v: Viewer, c: DecisionCase, municipalities: readonly RegionMunicipality[]): SafeHtml {
  const id = c.proposal.id;
  const csrf = html`<input type="hidden" name="_csrf" value="${v.user!.csrfToken}">`;
  const points = c.zienswijzen.flatMap((z) =>
    z.points.map((p) => ({
      id: p.id,
      label: `${muniName(z.municipality)} ${p.number}: ${p.text.slice(0, 70)}${p.text.length > 70 ? '…' : ''}`,
    })),
  );
  return html`<h2 id="invoer">Invoeren</h2>
<div class="grid2">
<form method="post" action="/besluitvorming/voorstel/${id}/punt" class="entry"><h3>Punt uit een zienswijze</h3>${csrf}
<label>Gemeente <select name="municipality" required>${municipalityOptions(municipalities)}</select></label>
<label>Nummer <input name="number" required maxlength="6" size="6" placeholder="bijv. 12"></label>
<label>Thema <select name="theme" required>${THEMES.map((t) => html`<option>${t}</option>`)}</select></label>
<label>Punt <textarea name="text" required rows="3" maxlength="2000"></textarea></label>
<label>Zienswijze ontvangen op (optioneel) <input type="date" name="received"></label>
<button type="submit">Punt toevoegen</button></form>
<form method="post" action="/besluitvorming/voorstel/${id}/reactie" class="entry"><h3>Reactie in de nota van reactie</h3>${csrf}
<label>Punt <select name="pointId" required>${points.map((p) => html`<option value="${p.id}">${p.label}</option>`)}</select></label>
<label>Status <select name="status" required>${Object.entries(REACTION_LABELS).map(([k, l]) => html`<option value="${k}">${l}</option>`)}</select></label>
<label>Reactie <textarea name="text" required rows="3" maxlength="2000"></textarea></label>
<p class="note">Een punt met al een reactie krijgt de nieuwe reactie.</p>
<button type="submit">Reactie opslaan</button></form>
<form method="post" action="/besluitvorming/voorstel/${id}/toezegging" class="entry"><h3>Toezegging</h3>${csrf}
<label>Wat <input name="text" required maxlength="500" size="40"></label>
<label>Eigenaar <input name="owner" required maxlength="200" size="30"></label>
<label>Uiterlijk (optioneel) <input type="date" name="due"></label>
<label>Toelichting op de datum (optioneel) <input name="dueNote" maxlength="200"></label>
<label>Herhaling <select name="recurrence"><option value="">geen</option><option>maandelijks</option><option>per kwartaal</option><option>halfjaarlijks</option><option>jaarlijks</option></select></label>
<label>Herkomst <select name="origin"><option>toegezegd</option><option>gevraagd</option></select></label>
<label>Status <select name="status"><option>open</option><option>lopend</option><option>gedaan</option></select></label>
<label>Bij punten (optioneel, bijv. 0482-4c, 1963-6) <input name="fromPoints" maxlength="500"></label>
<label>Kenmerk (optioneel; een bestaand kenmerk werkt die toezegging bij) <input name="id" maxlength="80" pattern="[a-z0-9-]*"></label>
<button type="submit">Toezegging opslaan</button></form>
<form method="post" action="/besluitvorming/voorstel/${id}/stem" class="entry"><h3>Stem in het AB</h3>${csrf}
<label>Gemeente <select name="municipality" required>${c.members.map((m) => html`<option value="${m}">${muniName(m)}</option>`)}</select></label>
<label>Stem <select name="choice" required>${Object.entries(VOTE_LABELS).map(([k, l]) => html`<option value="${k}">${l}</option>`)}</select></label>
<label>Datum AB-vergadering${c.vote.date ? ' (optioneel)' : ''} <input type="date" name="date" value="${c.vote.date}"${c.vote.date ? '' : ' required'}></label>
<p class="note">Een gemeente die al gestemd heeft krijgt de nieuwe stem. De datum wordt ook de besluitdatum van het AB als die nog niet bekend is.</p>
<button type="submit">Stem opslaan</button></form>
</div>`;
}

function commitmentRows(
  list: ReturnType<typeof openCommitments>,
  withProposal: Map<string, { id: string; title: string }> | null,
): SafeHtml {
  return joinHtml(
    list.map((x) => {
      const state =
        x.status === 'lopend'
          ? html`<span class="light groen">lopend</span>`
          : x.overdue
            ? html`<span class="light rood">verlopen</span>`
            : html`<span class="light oranje">open</span>`;
      const due = x.due
        ? html`<span class="nw">${formatDateNl(x.due)}</span>${x.dueNote ? html`<div class="note">${x.dueNote}</div>` : ''}`
        : (x.dueNote ?? '—');
      const prop = withProposal?.get(x.id);
      return html`<tr><td>${x.text}</td><td>${x.owner}</td><td>${due}</td><td>${x.recurrence ?? '—'}</td><td>${x.origin}</td><td>${state}${x.daysLeft !== null && x.status !== 'lopend' ? html`<div class="note">${x.daysLeft < 0 ? html`${int(-x.daysLeft)} dagen over tijd` : html`nog ${int(x.daysLeft)} dagen`}</div>` : ''}</td><td>${
        x.fromPoints.length
          ? joinHtml(
              x.fromPoints.map((f) => html`<span class="nw">${f}</span>`),
              ', ',
            )
          : '—'
      }</td>${withProposal ? html`<td>${prop ? html`<a href="/besluitvorming/voorstel/${prop.id}">${prop.title}</a>` : ''}</td>` : ''}</tr>`;
    }),
    '',
  );
}

export function renderProposal(
  v: Viewer,
  c: DecisionCase,
  asOf: IsoDate,
  municipalities: readonly RegionMunicipality[],
): SafeHtml {
  // Aggregate roles see a split made by a ledger key as its total only (domain/decisions/disclosure.ts).
  const { proposal: p, withheldKey } = v.suppress
    ? proposalForAggregate(c.proposal)
    : { proposal: c.proposal, withheldKey: null };
  const r = decisionCaseView(c, asOf);
  const { rules, deadlines, views, vote: tally } = r;
  const d = Object.fromEntries(deadlines.map((x) => [x.key, x.date]));
  const o: SafeHtml[] = [];
  o.push(html`<h1>${p.title}</h1>`);
  o.push(html`<div class="cards">
<div class="card"><div class="k">${ITEM_KIND_LABELS[p.kind]} ${p.budgetYear}</div><div class="v">${euro(p.amountCents)}</div></div>
<div class="card"><div class="k">Voor zienswijze verzonden</div><div class="v">${dateNl(p.sentForViewOn)}</div><div class="s">zienswijzen uiterlijk ${dateNl(d['zienswijze-termijn'])}</div></div>
<div class="card"><div class="k">Besluit AB</div><div class="v">${dateNl(p.decidedByAbOn)}</div><div class="s">${resultLabel(c, tally)}: ${tally.voor} voor, ${tally.tegen} tegen</div></div>
<div class="card"><div class="k">Reactie DB uiterlijk</div><div class="v">${dateNl(d.reactie)}</div><div class="s">nota behandeld ${dateNl(c.nota.treatedByAbOn)}</div></div></div>`);
  o.push(html`<h2>Termijnen</h2><table><caption>Afgeleid volgens ${rules.name}</caption><thead><tr><th scope="col">Termijn</th><th scope="col" class="n">Datum</th><th scope="col">Hoe bepaald</th></tr></thead><tbody>${deadlines.map(
    (x) =>
      html`<tr><td>${x.label}${x.assumed ? ' *' : ''}</td><td class="n">${formatDateNl(x.date)}</td><td>${x.rule}</td></tr>`,
  )}</tbody></table>
<p class="note">Tot ${formatDateNl(WGR_CHANGE_DATE)} gaf de Wgr de raden 8 weken voor een zienswijze, daarna 12 weken. De reactietermijn van 3 maanden is de wens van de raden (zienswijze Zwijndrecht op de begrotingswijziging 2020).${
    p.decidedByAbOn && d['zienswijze-termijn']
      ? html` Het AB besloot ${p.decidedByAbOn >= d['zienswijze-termijn'] ? 'na' : 'vóór'} afloop van de zienswijzetermijn.`
      : ''
  }</p>`);

  o.push(html`<h2>Verdeling per gemeente</h2>`);
  if (withheldKey !== null) {
    o.push(
      html`<p class="note">Totaal ${euro(p.amountCents)}. De verdeling per gemeente is niet zichtbaar voor deze rol: de verdeelsleutel (${withheldKey}) rust op cliënt- en kostengegevens, waaruit kleine aantallen terug te rekenen zijn.</p>`,
    );
  } else if (p.split.length) {
    o.push(
      html`<div class="grid2"><table><thead><tr><th scope="col">Gemeente</th><th scope="col" class="n">Bedrag</th></tr></thead><tbody>${p.split.map(
        (s) => html`<tr><td>${muniName(s.municipality)}</td><td class="n">${euro(s.amountCents)}</td></tr>`,
      )}</tbody><tfoot><tr><td>Totaal</td><td class="n">${euro(p.split.reduce((t, s) => t + s.amountCents, 0))}</td></tr></tfoot></table>${chart(
        rankedBarsOption(p.split.map((s) => ({ label: muniName(s.municipality), cents: s.amountCents }))),
        520,
        Math.max(140, 26 * p.split.length + 20),
        'Bedrag per gemeente',
      )}</div>${p.splitNote ? html`<p class="note">${p.splitNote}</p>` : ''}`,
    );
  } else o.push(html`<p class="empty">${p.splitNote ?? 'De verdeling per gemeente is niet bekend.'}</p>`);

  o.push(
    html`<h2>Gekoppelde cijfers (bevroren)</h2><table><caption>Zoals bekend op de peildatum; latere cijfers veranderen deze niet</caption><thead><tr><th scope="col">Cijfer</th><th scope="col" class="n">Waarde</th><th scope="col" class="n">Peildatum</th></tr></thead><tbody>${p.linkedFigures.map(
      (f) => html`<tr><td>${f.label}</td><td class="n">${figureValue(f)}</td><td class="n">${dateNl(f.asOf)}</td></tr>`,
    )}</tbody></table>`,
  );
  if (p.documents.length)
    o.push(
      html`<h2>Documenten</h2><ul>${(p.documents as StoredDocument[]).map(
        (doc) =>
          html`<li>${doc.url && /^https?:\/\//.test(doc.url) ? html`<a href="${doc.url}" rel="noopener">${doc.title}</a>` : doc.title}${doc.date ? html` <span class="note">(${formatDateNl(doc.date)})</span>` : ''}</li>`,
      )}</ul>`,
    );

  o.push(html`<h2>Zienswijzen per gemeente</h2><table><thead><tr><th scope="col">Gemeente</th><th scope="col">Standpunt</th><th scope="col" class="n">Ontvangen</th><th scope="col" class="n">Termijn t/m</th><th scope="col">Op tijd?</th><th scope="col" class="n">Punten</th><th scope="col" class="n">Over&shy;genomen</th><th scope="col" class="n">Deels</th><th scope="col" class="n">Niet</th><th scope="col" class="n">Kennis&shy;genomen</th><th scope="col" class="n">Reactie uiterlijk</th><th scope="col">Reactie op tijd?</th></tr></thead><tbody>${views.map(
    (s) =>
      html`<tr><th scope="row"><a href="#gemeente-${s.municipality}">${muniName(s.municipality)}</a></th><td>${s.zienswijze ? STANCE_LABELS[s.zienswijze.stance] : 'geen zienswijze'}</td><td class="n">${dateNl(s.zienswijze?.received)}</td><td class="n">${formatDateNl(s.termEnd)}</td><td>${timelinessBadge(s.timeliness)}</td><td class="n">${s.points.length}</td><td class="n">${s.statusCounts.overgenomen}</td><td class="n">${s.statusCounts.deels}</td><td class="n">${s.statusCounts.niet}</td><td class="n">${s.statusCounts.kennisgenomen}</td><td class="n">${dateNl(s.reactionDue)}</td><td>${s.reactionOnTime === null ? html`<span class="note">onbekend</span>` : s.reactionOnTime ? 'ja' : html`<span class="over">nee</span>`}</td></tr>`,
  )}</tbody></table>
<p class="note">Op tijd: ontvangen uiterlijk op de laatste dag van de termijn. Ontbreekt de ontvangstdatum (zoals in de bron), dan is de status onbekend. ${c.nota.statusBasis === 'aanname' ? 'De status per reactie is Grips lezing van de reactietekst; de bron heeft geen statuskolom.' : ''}</p>`);

  const themes = r.themes;
  if (themes.length)
    o.push(
      html`<h2>Thema’s</h2><table><thead><tr><th scope="col">Thema</th><th scope="col" class="n">Gemeenten</th><th scope="col" class="n">Punten</th></tr></thead><tbody>${themes.map(
        (t) => html`<tr><td>${t.theme}</td><td class="n">${t.municipalities}</td><td class="n">${t.points}</td></tr>`,
      )}</tbody></table>`,
    );

  o.push(html`<h2>Nota van reactie per gemeente</h2>`);
  for (const s of views) {
    const z = s.zienswijze;
    if (!z) continue;
    o.push(
      html`<section id="gemeente-${s.municipality}"><h3>${muniName(s.municipality)} — ${STANCE_LABELS[z.stance]}</h3>${(z.notes ?? []).map((n) => html`<p class="note">Let op: ${n}</p>`)}${
        z.earlierViews?.length
          ? html`<p class="note">Eerdere zienswijzen: ${z.earlierViews.map((e) => `${formatDateNl(e.date)} (${e.subject})`).join(', ')}</p>`
          : ''
      }<table><thead><tr><th scope="col">Nr.</th><th scope="col">Thema</th><th scope="col">Punt</th><th scope="col">Reactie DB</th><th scope="col">Status</th></tr></thead><tbody>${s.points.map(
        (pt) =>
          html`<tr id="punt-${pt.id}"><td>${pt.number}</td><td>${pt.theme}</td><td>${pt.text}</td><td>${pt.reaction ? pt.reaction.text : html`<span class="note">nog geen reactie</span>`}</td><td>${pt.reaction ? REACTION_LABELS[pt.reaction.status] : '—'}</td></tr>`,
      )}</tbody></table></section>`,
    );
  }

  o.push(html`<h2 id="stemming">Stemming ${c.vote.body} ${dateNl(c.vote.date)}</h2><table><thead><tr><th scope="col">Gemeente</th><th scope="col">Stem</th><th scope="col">Bron</th></tr></thead><tbody>${c.members.map(
    (m) => {
      const vt = c.vote.votes.find((x) => x.municipality === m);
      return html`<tr><td>${muniName(m)}</td><td>${vt?.choice === 'tegen' ? html`<strong class="over">tegen</strong>` : VOTE_LABELS[vt?.choice ?? 'afwezig']}</td><td>${vt ? (vt.basis === 'bron' ? 'vastgelegd in de bron' : 'afgeleid') : '—'}</td></tr>`;
    },
  )}</tbody></table>
${c.vote.votes.length ? '' : html`<p class="empty">Nog geen stemmen vastgelegd.</p>`}<p class="story"><strong>Uitslag:</strong> ${tally.voor} voor, ${tally.tegen} tegen${tally.onthouding ? html`, ${tally.onthouding} onthouding` : ''}${tally.afwezig ? html`, ${tally.afwezig} afwezig` : ''} van ${tally.members} leden → <strong>${resultLabel(c, tally)}</strong> (meerderheid van de uitgebrachte stemmen)${
    c.vote.recordedResult
      ? c.vote.recordedResult === tally.result
        ? ', zoals vastgelegd.'
        : html`; vastgelegd is echter: ${RESULT_LABELS[c.vote.recordedResult]}!`
      : '.'
  }${c.vote.votes.some((x) => x.basis === 'aanname') ? ' Stemmen gemarkeerd als afgeleid staan niet letterlijk in de bron.' : ''}</p>${tally.problems.map((pr) => html`<p class="over">Let op: ${pr}</p>`)}`);

  const open = r.openCommitments;
  o.push(html`<h2 id="toezeggingen">Toezeggingen en verzoeken</h2><p class="note">${int(open.length)} van ${int(c.commitments.length)} nog open of lopend per ${formatDateNl(asOf)}. <a href="/besluitvorming/toezeggingen">Alle toezeggingen</a></p>
<table><thead><tr><th scope="col">Wat</th><th scope="col">Eigenaar</th><th scope="col">Uiterlijk</th><th scope="col">Herhaling</th><th scope="col">Herkomst</th><th scope="col">Status</th><th scope="col">Bij punten</th></tr></thead><tbody>${commitmentRows(open, null)}</tbody></table>`);
  if (canEdit(v)) o.push(editForms(v, c, municipalities));
  o.push(html`<p class="note">Bron: ${c.source}</p>`);
  return joinHtml(o, '\n');
}

/** The form for a new proposal (regio and beheerder). */
function newProposalForm(v: Viewer): SafeHtml {
  return html`<form method="post" action="/besluitvorming/voorstel" class="entry" id="nieuw-voorstel"><h3>Nieuw voorstel</h3><input type="hidden" name="_csrf" value="${v.user!.csrfToken}">
<label>Titel <input name="title" required maxlength="200" size="50"></label>
<label>Soort <select name="kind" required>${PROPOSAL_KINDS.map((k) => html`<option value="${k}"${k === 'begrotingswijziging' ? ' selected' : ''}>${ITEM_KIND_LABELS[k]}</option>`)}</select></label>
<label>Bedrag (€) <input name="amount" required inputmode="decimal" size="14" placeholder="bijv. 6.600.000"></label>
<label>Datum van het voorstel <input type="date" name="date" required></label>
<label>Verdeelsleutel <select name="key" required>${PROPOSAL_KEYS.map((k) => html`<option value="${k}">${ALLOCATION_KEY_LABELS[k]}</option>`)}</select></label>
<label>Voor zienswijze naar de raden op (optioneel; anders de datum van het voorstel) <input type="date" name="sendDate"></label>
<label>Besluit in het AB op (optioneel) <input type="date" name="abDate"></label>
<label>Begrotingsjaar (optioneel; anders het jaar van het voorstel) <input name="budgetYear" inputmode="numeric" size="6" maxlength="4"></label>
<p class="note">Grip verdeelt het bedrag over de gemeenten met de gekozen sleutel (gegevens van het jaar van het voorstel, tot en met de datum van het voorstel) en legt de prognose jaareinde van de regio en elke gemeente op die datum vast. Latere imports veranderen deze cijfers niet. De termijnen volgen uit de verzenddatum en de Wgr.</p>
<button type="submit">Voorstel opslaan</button></form>`;
}

const EXTRA_STYLE = html`<style>tr.derived td{background:#fbf8ef}form.entry{display:flex;flex-direction:column;gap:6px;background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 14px}form.entry label{display:flex;flex-direction:column;font-size:.9rem}form.entry h3{margin:.2em 0}.nw{white-space:nowrap}</style>`;

// ---------------------------------------------------------------------------------------------------------
// Routes

export function registerDecisions({ app, data }: WebContext): void {
  addNav({ href: '/besluitvorming', label: 'Besluitvorming', roles: VIEWERS });
  const w = data.warehouse;
  const regionCodes = async () => (await regionOf(w)).municipalities.map((m) => m.code);

  async function yearAndEntries(year: number | undefined): Promise<DecisionCalendar & { cases: DecisionCase[] }> {
    const cases = await storedDecisionCases(w);
    return { ...decisionCalendar(cases, { year }), cases };
  }
  const yearRoute = { rule: { roles: VIEWERS }, query: yearQuery, invalid: (e: ZodError) => formErrors(e) };

  getPage(app, '/besluitvorming', yearRoute, async ({ v, q }) => {
    const r = await yearAndEntries(q.year);
    const { year, years, entries, cases, undated } = r;
    const yearLinks = joinHtml(
      years.map((y) =>
        y === year
          ? html`<strong aria-current="page">${y}</strong>`
          : html`<a href="/besluitvorming${qs({ year: y })}">${y}</a>`,
      ),
      ' · ',
    );
    const proposals = cases.length
      ? html`<table><thead><tr><th scope="col">Voorstel</th><th scope="col" class="n">Bedrag</th><th scope="col" class="n">Verzonden</th><th scope="col" class="n">Besluit AB</th><th scope="col">Uitslag</th><th scope="col" class="n">Zienswijzen</th></tr></thead><tbody>${cases.map(
          (c) => {
            const t = tallyVotes(c.vote, c.members);
            return html`<tr><th scope="row"><a href="/besluitvorming/voorstel/${c.proposal.id}">${c.proposal.title}</a></th><td class="n">${euro(c.proposal.amountCents)}</td><td class="n">${dateNl(c.proposal.sentForViewOn)}</td><td class="n">${dateNl(c.proposal.decidedByAbOn)}</td><td>${resultLabel(c, t)}${c.vote.votes.length ? html` (${t.voor}–${t.tegen})` : ''}</td><td class="n">${c.zienswijzen.length}</td></tr>`;
          },
        )}</tbody></table>`
      : html`<p class="empty">Nog geen voorstellen opgeslagen. Sla het eerste dossier (de begrotingswijziging 2020) op met <code>grip decisions load-bw2020</code>.</p>`;
    return page(
      v.user,
      `Besluitvorming ${year}`,
      html`${EXTRA_STYLE}<h1>Besluitvorming — planning ${year}</h1>
<p>Jaar: ${years.length ? yearLinks : year} <a class="button dl" href="/besluitvorming/kalender.ics${qs({ year })}" download>Agenda ${year} downloaden (.ics)</a> <a class="dl" href="/besluitvorming/toezeggingen">Toezeggingen</a></p>
${entries.length ? html`${perProductTable(entries)}${chronologicalTable(entries)}` : html`<p class="empty">Geen data in de planning voor ${year}.</p>`}
${entries.some((e) => e.assumed) ? html`<p class="note">* rust op een aangenomen datum</p>` : ''}
${undated.length ? html`<h2>Zonder vaste datum</h2><ul>${undated.map((u) => html`<li>${u}</li>`)}</ul>` : ''}
<p class="note">Afgeleide termijnen volgen de Wgr die gold op het moment van verzenden: 8 weken zienswijzetermijn tot ${formatDateNl(WGR_CHANGE_DATE)}, daarna 12 weken; de reactie van het DB binnen 3 maanden na de termijn. Planning: ${SEED003_CALENDAR.title}.</p>
<h2>Voorstellen</h2>${proposals}${canEdit(v) ? newProposalForm(v) : ''}`,
      { path: '/besluitvorming', crumbs: [{ href: '/', label: 'Overzicht' }, { label: 'Besluitvorming' }] },
    );
  });

  getFile(app, '/besluitvorming/kalender.ics', yearRoute, async ({ reply, q }) => {
    const r = await yearAndEntries(q.year);
    if (!r.entries.length)
      return reply.code(404).type('text/plain; charset=utf-8').send(`Geen data in de planning voor ${r.year}.`);
    const text = await calendarToIcs(r.entries, {
      calName: `${PLANNING_NAME} ${r.year}`,
      stamp: new Date().toISOString(),
    });
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="planning-dgj-${r.year}.ics"`)
      .send(text);
  });

  getPage(
    app,
    '/besluitvorming/voorstel/:id',
    { rule: { roles: VIEWERS }, query: z.object({ peildatum: optionalDate }), invalid: (e) => formErrors(e) },
    async ({ req, reply, v, q }) => {
      const id = (req.params as { id: string }).id;
      const c = await w.decisionCase(id);
      if (!c) return reply.code(404).send(errorPage(v.user, 404, `Voorstel ${id} bestaat niet.`));
      return page(
        v.user,
        c.proposal.title,
        html`${EXTRA_STYLE}${renderProposal(v, c, q.peildatum ?? today(), (await regionOf(w)).municipalities)}`,
        {
          path: '/besluitvorming',
          crumbs: [
            { href: '/', label: 'Overzicht' },
            { href: '/besluitvorming', label: 'Besluitvorming' },
            { label: c.proposal.title },
          ],
        },
      );
    },
  );

  getPage(
    app,
    '/besluitvorming/toezeggingen',
    {
      rule: { roles: VIEWERS },
      query: z.object({ peildatum: optionalDate, alle: z.string().optional() }),
      invalid: (e) => formErrors(e),
    },
    async ({ v, q }) => {
      const asOf = q.peildatum ?? today();
      const [summaries, stored] = [await w.decisionCases(), await w.decisionCommitments()];
      const titles = new Map(summaries.map((s) => [s.id, s.title]));
      const owners = new Map<string, { id: string; title: string }>();
      const list: Commitment[] = stored.map((c) => {
        const key = `${c.proposalId}/${c.id}`;
        owners.set(key, { id: c.proposalId, title: titles.get(c.proposalId) ?? c.proposalId });
        const { proposalId: _p, ...rest } = c;
        return { ...rest, id: key };
      });
      const open = openCommitments(list, asOf);
      const done = list.filter((c) => c.status === 'gedaan');
      const overdue = open.filter((c) => c.overdue && c.status !== 'lopend').length;
      const head = html`<thead><tr><th scope="col">Wat</th><th scope="col">Eigenaar</th><th scope="col">Uiterlijk</th><th scope="col">Herhaling</th><th scope="col">Herkomst</th><th scope="col">Status</th><th scope="col">Bij punten</th><th scope="col">Voorstel</th></tr></thead>`;
      const body = list.length
        ? html`<div class="cards"><div class="card"><div class="k">Open of lopend</div><div class="v">${int(open.length)}</div></div><div class="card"><div class="k">Over tijd</div><div class="v">${int(overdue)}</div><div class="s">per ${formatDateNl(asOf)}</div></div><div class="card"><div class="k">Gedaan</div><div class="v">${int(done.length)}</div></div></div>
<form class="filters" method="get" action="/besluitvorming/toezeggingen"><label>Peildatum <input type="date" name="peildatum" value="${asOf}"></label><button type="submit">Toon</button></form>
<div class="compact"><table><caption>Open punten: wat is toegezegd (of gevraagd), door wie, wanneer</caption>${head}<tbody>${commitmentRows(open, owners)}</tbody></table></div>
${
  done.length
    ? html`<h2>Gedaan</h2><div class="compact"><table>${head}<tbody>${commitmentRows(
        done.map((c) => ({ ...c, overdue: false, daysLeft: null })),
        owners,
      )}</tbody></table></div>`
    : ''
}
<p class="note">Toezeggingen voegt u toe onder het voorstel waar ze bij horen (rol regio of beheerder).</p>`
        : html`<p class="empty">Nog geen toezeggingen opgeslagen. Sla het dossier van de begrotingswijziging 2020 op met <code>grip decisions load-bw2020</code>.</p>`;
      return page(v.user, 'Toezeggingen', html`${EXTRA_STYLE}<h1>Toezeggingen</h1>${body}`, {
        path: '/besluitvorming',
        crumbs: [
          { href: '/', label: 'Overzicht' },
          { href: '/besluitvorming', label: 'Besluitvorming' },
          { label: 'Toezeggingen' },
        ],
      });
    },
  );

  const edit = <S extends ZodTypeAny>(body: S | (() => Promise<S>)) => ({
    rule: { roles: EDITORS },
    body,
    invalid: (e: ZodError) => formErrors(e),
  });
  const fail = (reply: FastifyReply, v: Viewer, status: number, message: string) =>
    reply
      .code(status)
      .type('text/html')
      .send(errorPage(v.user, status, message));
  const done = async <T>(reply: FastifyReply, v: Viewer, id: string, anchor: string, fn: () => Promise<T>) => {
    try {
      await fn();
    } catch (e) {
      if (e instanceof DecisionInputError)
        return fail(
          reply,
          v,
          /bestaat niet/.test(e.message) && e.message.startsWith('Voorstel') ? 404 : 400,
          e.message,
        );
      throw e;
    }
    return reply.redirect(`/besluitvorming/voorstel/${encodeURIComponent(id)}#${anchor}`, 303);
  };

  postForm(app, '/besluitvorming/voorstel', edit(proposalForm), async ({ reply, v, body }) => {
    let id: string;
    try {
      id = (await createProposal(w, toNewProposal(body), v.user?.username ?? 'web')).proposal.id;
    } catch (e) {
      if (e instanceof DecisionInputError) return fail(reply, v, 400, e.message);
      throw e;
    }
    return reply.redirect(`/besluitvorming/voorstel/${encodeURIComponent(id)}`, 303);
  });

  postForm(
    app,
    '/besluitvorming/voorstel/:id/stem',
    edit(async () => voteForm(await regionCodes())),
    async ({ req, reply, v, body: { municipality, choice, date } }) => {
      const id = (req.params as { id: string }).id;
      return done(reply, v, id, 'stemming', () =>
        w.saveDecisionVote(id, { municipality, choice, basis: 'bron' }, date),
      );
    },
  );

  postForm(
    app,
    '/besluitvorming/voorstel/:id/punt',
    edit(async () => pointForm(await regionCodes())),
    async ({ req, reply, v, body: { municipality, number, theme, text, received } }) => {
      const id = (req.params as { id: string }).id;
      return done(reply, v, id, `punt-${municipality}-${number}`, () =>
        w.addDecisionPoint({ proposalId: id, municipality, number, theme, text, received }),
      );
    },
  );

  postForm(app, '/besluitvorming/voorstel/:id/reactie', edit(reactionForm), async ({ req, reply, v, body }) => {
    const id = (req.params as { id: string }).id;
    return done(reply, v, id, `punt-${body.pointId}`, () => w.saveDecisionReaction(id, body));
  });

  postForm(app, '/besluitvorming/voorstel/:id/toezegging', edit(commitmentForm), async ({ req, reply, v, body: x }) => {
    const id = (req.params as { id: string }).id;
    const c: Commitment = {
      id: x.id || slug(x.text),
      text: x.text,
      owner: x.owner,
      due: x.due ?? null,
      origin: x.origin,
      fromPoints: (x.fromPoints ?? '').split(/[\s,;]+/).filter(Boolean),
      status: x.status,
      source: `invoer ${v.user?.username ?? ''} ${today()}`.trim(),
    };
    if (x.dueNote) c.dueNote = x.dueNote;
    if (x.recurrence) c.recurrence = x.recurrence;
    return done(reply, v, id, 'toezeggingen', () => w.saveDecisionCommitment(id, c));
  });
}
