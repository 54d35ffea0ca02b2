/**
 * Verdeling (`/verdeling`): split a regional amount (a deficit, an amendment, a fund such as the € 400.000
 * voorkant fund of seed 001) over the municipalities by a key, exact to the cent; every key's share side by
 * side, and a check of which key reproduces a decided share (seed 001: Alblasserdam € 19.000 = 4,75%).
 * Reference data (inhabitants, youths 0–17) are shown as approximate and editable by beheerder/regio.
 */
import { z } from 'zod';
import { VIEWERS } from '../../access/policy.js';
import { allocationInputs, splitByEveryKey } from '../../app/allocation.js';
import { normaliseMunicipalityCode } from '../../domain/codes/index.js';
import { at } from '../../domain/indexing.js';
import { formatEuro, type Cents } from '../../domain/money.js';
import {
  ALLOCATION_KEYS,
  ALLOCATION_KEY_LABELS,
  PURE_ALLOCATION_KEYS,
  compareKeys,
  isAllocationKey,
  parsePhase,
  phaseWeightFor,
  type AllocationBasisRow,
  type AllocationKey,
  type PhaseStep,
  type PureAllocationKey,
} from '../../domain/steering/allocation.js';
import { getPage, postForm } from '../route.js';
import { HIDDEN } from '../protected.js';
import { addNav, euro, int, page, qs, reqPath } from '../layout.js';
import { html, raw, type SafeHtml } from '../html.js';
import type { WebContext } from '../server.js';
import {
  FORM_STYLE,
  STEERING_EDITORS,
  auditChange,
  blankToUndefined,
  canEdit,
  csrfField,
  fail,
  municipalityOptions,
  parseEurosNl,
} from './steering-common.js';
import { filterMunicipality, filterYear } from '../filters.js';

const DEFAULT_PHASE = '2020:0,2021:0.25,2022:0.5,2023:1';

const query = z.object({
  year: filterYear.optional(),
  amount: z.preprocess(blankToUndefined, z.string().max(40).optional()),
  key: z.preprocess(blankToUndefined, z.string().refine(isAllocationKey).optional()),
  phase: z.preprocess(blankToUndefined, z.string().max(200).optional()),
  solidarity: z.preprocess(
    blankToUndefined,
    z.enum(['clients-prev', 'clients-3y', 'inhabitants', 'youths', 'equal']).optional(),
  ),
  check: z.preprocess(blankToUndefined, filterMunicipality.optional()),
  decided: z.preprocess(blankToUndefined, z.string().max(40).optional()),
});

/** `4,75%` with two decimals. */
const pct2 = (fraction: number) =>
  `${(fraction * 100).toLocaleString('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}%`;

function basisText(key: AllocationKey, r: AllocationBasisRow): string {
  switch (key) {
    case 'usage':
      return euro(r.usageCents);
    case 'clients-prev':
      return int(r.clientsPrev);
    case 'clients-3y':
      return r.clients3y.length
        ? (r.clients3y.reduce((a, b) => a + b, 0) / r.clients3y.length).toLocaleString('nl-NL', {
            maximumFractionDigits: 1,
          })
        : '—';
    case 'inhabitants':
      return int(r.inhabitants);
    case 'youths':
      return int(r.youths);
    default:
      return '';
  }
}

export function registerVerdeling({ app, deps, data }: WebContext): void {
  const w = deps.warehouse;
  addNav({ href: '/verdeling', label: 'Verdeling', roles: VIEWERS });

  getPage(
    app,
    '/verdeling',
    {
      rule: { roles: VIEWERS },
      query,
      invalid:
        'Ongeldige invoer: jaar (bijv. 2025), sleutel, ingroeipad (bijv. 2020:0,2021:0.25) of gemeente (CBS-code).',
    },
    async ({ req, reply, v, q }) => {
      const year = q.year ?? (await data.currentYear());
      const amountText = q.amount ?? '400.000';
      let amountCents: Cents;
      try {
        amountCents = parseEurosNl(amountText, 'bedrag');
      } catch {
        return fail(
          reply,
          v,
          400,
          `Ongeldig bedrag: "${amountText}" is geen bedrag in euro's (bijv. 400.000 of 400000,00).`,
        );
      }
      const key: AllocationKey = q.key ?? 'usage';
      const phaseText = q.phase ?? DEFAULT_PHASE;
      let phase: PhaseStep[];
      try {
        phase = parsePhase(phaseText);
      } catch {
        return fail(
          reply,
          v,
          400,
          `Ongeldig ingroeipad "${phaseText}": geef stappen als JAAR:GEWICHT, bijv. ${DEFAULT_PHASE} (gewicht van eigen gebruik, 0 tot 1).`,
        );
      }
      const solidarityKey: PureAllocationKey = q.solidarity ?? 'youths';
      // What one municipality may see of another: its realised cost (the AB papers publish each one's share
      // of the regional result), but client counts only in protected form — rounded to 5, hidden below 10,
      // and the client keys computed from those rounded counts. Only the region's analysts see exact counts.
      const exactCounts = v.user?.role === 'beheerder' || v.user?.role === 'regio';
      const {
        municipalities: munis,
        rows,
        approximate,
      } = await allocationInputs(w, year, { protectedCounts: !exactCounts });
      const opts = { phase, year, solidarityKey };
      // Aggregate roles: a municipality's own usage is its total of the year, a cell of the protected table;
      // when that is hidden, so are its usage and every share resting on it (own usage, the phased key).
      const py = v.suppress ? await data.protectedYear(year) : null;
      const usageHidden = (code: string) => py !== null && py.municipality(code).hidden !== null;
      const onUsage = (k: AllocationKey) => k === 'usage' || k === 'phased';
      // Every key side by side; a key that cannot be computed (e.g. no clients in t-1) says why.
      const perKey = splitByEveryKey(amountCents, rows, opts);
      const shareOf = (k: AllocationKey, code: string) => {
        const s = perKey.get(k);
        return typeof s === 'string' ? null : (s?.find((x) => x.code === code) ?? null);
      };
      const cell = (k: AllocationKey, code: string) => {
        const s = shareOf(k, code);
        if (!s) return html`<td class="n">—</td>`;
        if (onUsage(k) && usageHidden(code)) return html`<td class="n">${HIDDEN}</td>`;
        return html`<td class="n"${k === key ? raw(' style="font-weight:600"') : ''}>${formatEuro(s.shareCents)}<br><span class="note">${amountCents ? pct2(s.shareCents / amountCents) : '—'}</span></td>`;
      };
      const sideBySide = html`<table><caption>Alle sleutels naast elkaar: ${formatEuro(amountCents)} verdeeld (${year}); de gekozen sleutel is vet</caption>
<thead><tr><th scope="col">Gemeente</th>${ALLOCATION_KEYS.map((k) => html`<th scope="col" class="n">${ALLOCATION_KEY_LABELS[k]}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr><th scope="row">${r.name}</th>${ALLOCATION_KEYS.map((k) => cell(k, r.code))}</tr>`)}</tbody>
<tfoot><tr><th scope="row">Totaal</th>${ALLOCATION_KEYS.map((k) => {
        const s = perKey.get(k);
        return typeof s === 'string' || !s
          ? html`<td class="n note">niet te berekenen</td>`
          : html`<td class="n">${formatEuro(s.reduce((a, x) => a + x.shareCents, 0))}</td>`;
      })}</tr></tfoot></table>
${[...perKey]
  .filter(([, s]) => typeof s === 'string')
  .map(
    ([k, s]) =>
      html`<p class="note">${ALLOCATION_KEY_LABELS[k]}: niet te berekenen met de gegevens van ${year} (${s as string}).</p>`,
  )}`;
      const chosen = perKey.get(key);
      const chosenTable =
        typeof chosen === 'string' || !chosen
          ? html`<p class="empty">De sleutel ${ALLOCATION_KEY_LABELS[key]} is niet te berekenen: ${String(chosen)}</p>`
          : html`<table><caption>Verdeling naar ${ALLOCATION_KEY_LABELS[key]}${key === 'phased' ? html` — ${year}: ${pct2(phaseWeightFor(phase, year))} eigen gebruik, ${pct2(1 - phaseWeightFor(phase, year))} solidariteit (${ALLOCATION_KEY_LABELS[solidarityKey]})` : ''}</caption>
<thead><tr><th scope="col">Gemeente</th><th scope="col" class="n">Grondslag</th><th scope="col" class="n">Aandeel</th><th scope="col" class="n">Bedrag (op de cent)</th></tr></thead>
<tbody>${chosen.map((s) => {
              const r = rows.find((x) => x.code === s.code)!;
              if (onUsage(key) && usageHidden(s.code))
                return html`<tr><th scope="row">${r.name}</th><td class="n">${HIDDEN}</td><td class="n">${HIDDEN}</td><td class="n">${HIDDEN}</td></tr>`;
              return html`<tr><th scope="row">${r.name}</th><td class="n">${key === 'phased' ? pct2(s.basis) : key === 'equal' ? '1 deel' : basisText(key, r)}</td><td class="n">${amountCents ? pct2(s.shareCents / amountCents) : pct2(s.fraction)}</td><td class="n">${formatEuro(s.shareCents)}</td></tr>`;
            })}</tbody>
<tfoot><tr><th scope="row">Totaal</th><td></td><td class="n">${amountCents ? pct2(chosen.reduce((a, s) => a + s.shareCents, 0) / amountCents) : '—'}</td><td class="n">${formatEuro(chosen.reduce((a, s) => a + s.shareCents, 0))}</td></tr></tfoot></table>`;

      // Which key reproduces a decision?
      let check: SafeHtml | '' = '';
      const checkCode = q.check ? normaliseMunicipalityCode(q.check) : '0482';
      const decidedText = q.decided ?? (q.check ? '' : '19.000');
      if (checkCode && decidedText && rows.some((r) => r.code === checkCode)) {
        let decidedCents: Cents | null = null;
        try {
          decidedCents = parseEurosNl(decidedText, 'besluit');
        } catch {
          check = html`<p class="empty">Ongeldig bedrag in het besluit: "${decidedText}".</p>`;
        }
        if (decidedCents !== null) {
          const all = compareKeys(amountCents, { municipality: checkCode, cents: decidedCents }, rows, opts);
          // A hidden usage is not tested either: "klopt" for a chosen amount would give the share back.
          const c = usageHidden(checkCode)
            ? {
                ...all,
                keys: all.keys.filter((k) => !onUsage(k.key)),
                closest:
                  all.keys
                    .filter((k) => !onUsage(k.key) && k.differenceCents !== null)
                    .sort((a, b) => Math.abs(a.differenceCents ?? 0) - Math.abs(b.differenceCents ?? 0))[0]?.key ??
                  null,
              }
            : all;
          const name = rows.find((r) => r.code === checkCode)!.name;
          check = html`<table><caption>Besluit: ${name} krijgt ${formatEuro(decidedCents)} van ${formatEuro(amountCents)} (${amountCents ? pct2(decidedCents / amountCents) : '—'}) — welke sleutel geeft dat?</caption>
<thead><tr><th scope="col">Sleutel</th><th scope="col" class="n">Aandeel ${name}</th><th scope="col" class="n">%</th><th scope="col" class="n">Verschil met besluit</th><th scope="col">Klopt</th></tr></thead>
<tbody>${c.keys.map((k) =>
            k.shareCents === null
              ? html`<tr><th scope="row">${k.label}</th><td class="n">—</td><td class="n">—</td><td class="n">—</td><td class="note">niet te berekenen</td></tr>`
              : html`<tr${k.key === c.closest ? raw(' style="background:#eef7ee"') : ''}><th scope="row">${k.label}</th><td class="n">${formatEuro(k.shareCents)}</td><td class="n">${pct2((k.percent ?? 0) / 100)}</td><td class="n">${k.differenceCents! > 0 ? '+' : k.differenceCents! < 0 ? '-' : ''}${formatEuro(Math.abs(k.differenceCents!))}</td><td>${k.reproduces ? html`<strong>ja</strong>` : 'nee'}</td></tr>`,
          )}</tbody></table>
<p class="note">Een sleutel "klopt" als hij binnen ${formatEuro(c.toleranceCents)} van het besluit uitkomt (besluiten zijn meestal afgerond). ${c.closest ? html`Dichtst bij het besluit: <strong>${ALLOCATION_KEY_LABELS[c.closest]}</strong>.` : ''}</p>`;
        }
      }

      const keyOpt = (k: string, cur: string) =>
        html`<option value="${k}"${k === cur ? ' selected' : ''}>${ALLOCATION_KEY_LABELS[k as AllocationKey]}</option>`;
      const form = html`<form class="filters" method="get" action="/verdeling" aria-label="Verdeling">
<label>Bedrag (€)<input name="amount" value="${amountText}" inputmode="decimal" size="12"></label>
<label>Jaar<input name="year" type="number" min="2000" max="2100" value="${year}"></label>
<label>Sleutel<select name="key">${ALLOCATION_KEYS.map((k) => keyOpt(k, key))}</select></label>
<label>Ingroeipad (jaar:gewicht eigen gebruik)<input name="phase" value="${phaseText}" size="30"></label>
<label>Solidariteitssleutel<select name="solidarity">${PURE_ALLOCATION_KEYS.filter((k) => k !== 'usage').map((k) => keyOpt(k, solidarityKey))}</select></label>
<label>Besluit toetsen: gemeente<select name="check">${municipalityOptions(munis, checkCode ?? '')}</select></label>
<label>Besloten bedrag (€)<input name="decided" value="${decidedText}" inputmode="decimal" size="10"></label>
<button type="submit">Verdelen</button></form>`;

      const refTable = html`<table><caption>Grondslagen ${year}${approximate ? html` — inwoners en jeugdigen zijn deels <strong>benaderingen</strong>` : ''}</caption>
<thead><tr><th scope="col">Gemeente</th><th scope="col" class="n">Realisatie ${year}</th><th scope="col" class="n">Cliënten ${year - 1}</th><th scope="col" class="n">Cliënten gem. 3 jaar</th><th scope="col" class="n">Inwoners</th><th scope="col" class="n">Jeugdigen 0–17</th><th scope="col">Bron inwoners/jeugdigen</th></tr></thead>
<tbody>${rows.map((r) => {
        const m = munis.find((x) => x.code === r.code)!;
        return html`<tr><th scope="row">${r.name}</th><td class="n">${usageHidden(r.code) ? HIDDEN : euro(r.usageCents)}</td><td class="n">${int(r.clientsPrev)}</td><td class="n">${basisText('clients-3y', r)}</td><td class="n">${m.approximate ? '± ' : ''}${int(r.inhabitants)}</td><td class="n">${m.approximate ? '± ' : ''}${int(r.youths)}</td><td>${m.approximate ? 'benadering' : 'ingevoerd'}</td></tr>`;
      })}</tbody></table>`;
      const refForm = canEdit(v)
        ? html`<details class="box"><summary>Inwoners en jeugdigen aanpassen</summary>
<p class="note">Vul de CBS-cijfers in (bijv. van StatLine). Een gewijzigde gemeente telt daarna niet meer als benadering. Ook te laden met <code>grip municipalities import</code>.</p>
<form method="post" action="/verdeling/referentie">${csrfField(v)}<table><thead><tr><th scope="col">Gemeente</th><th scope="col">Inwoners</th><th scope="col">Jeugdigen 0–17</th></tr></thead><tbody>${munis.map(
            (m) =>
              html`<tr><th scope="row">${m.name}</th><td><input name="inhabitants_${m.code}" type="number" min="0" step="1" value="${m.inhabitants}" aria-label="Inwoners ${m.name}"></td><td><input name="youths_${m.code}" type="number" min="0" step="1" value="${m.youths}" aria-label="Jeugdigen ${m.name}"></td></tr>`,
          )}</tbody></table><button type="submit">Opslaan</button></form></details>`
        : '';
      return page(
        v.user,
        'Verdeling',
        html`${FORM_STYLE}<h1>Een regionaal bedrag verdelen</h1>
<p class="note">Verdeel een tekort, een begrotingswijziging of een fonds (zoals de € 400.000 voor de voorkant uit de raadsinformatiebrief) over de gemeenten. De bedragen tellen op de cent op tot het totaal (grootste-restmethode).</p>
${form}${check}${chosenTable}${sideBySide}
<h2>Grondslagen</h2>${refTable}
<p class="note">Eigen gebruik = netto gedeclareerde kosten naar productiemaand in ${year}; cliënten t-1 = unieke cliënten in ${year - 1}; 3-jaarsgemiddelde over ${year - 3}–${year - 1} (jaren met gegevens)${exactCounts ? '' : '; aantallen cliënten afgerond op 5 (minder dan 10 telt als 0), ook in de sleutels op cliënten — de definitieve verdeling maakt de regio op de exacte aantallen'}. Ingroeipad: per jaar het gewicht van eigen gebruik, de rest volgens de solidariteitssleutel. ${approximate ? 'Inwoners en jeugdigen met ± zijn benaderingen (jeugdigen ≈ 21,5% van de inwoners) tot ze zijn ingevoerd.' : ''}</p>
${refForm}`,
        { path: reqPath(req), crumbs: [{ href: '/', label: 'Overzicht' }, { label: 'Verdeling' }] },
      );
    },
  );

  postForm(app, '/verdeling/referentie', { rule: { roles: STEERING_EDITORS } }, async ({ req, reply, v }) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const munis = await w.municipalities();
    const problems: string[] = [];
    const next = munis.map((m) => {
      const read = (field: string, label: string) => {
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a form value is a string (or a list of them)
        const raw = String(body[`${field}_${m.code}`] ?? '')
          .trim()
          .replace(/\./g, '');
        if (!/^\d{1,9}$/.test(raw)) {
          problems.push(`${label} van ${m.name} ${raw ? `("${raw}") is geen heel getal` : 'ontbreekt'}`);
          return 0;
        }
        return Number(raw);
      };
      const inhabitants = read('inhabitants', 'inwoners');
      const youths = read('youths', 'jeugdigen');
      if (!problems.length && youths > inhabitants) problems.push(`jeugdigen van ${m.name} zijn meer dan de inwoners`);
      const changed = inhabitants !== m.inhabitants || youths !== m.youths;
      return { ...m, inhabitants, youths, approximate: changed ? false : m.approximate };
    });
    if (problems.length)
      return fail(
        reply,
        v,
        400,
        `Niet opgeslagen. Controleer: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (en ${problems.length - 5} meer)` : ''}.`,
      );
    const changed = next.filter(
      (m, i) => m.inhabitants !== at(munis, i).inhabitants || m.youths !== at(munis, i).youths,
    );
    if (changed.length) {
      await w.upsertMunicipalities(changed);
      await auditChange(
        deps,
        req,
        'reference.municipalities',
        null,
        changed.map((m) => `${m.code}: ${m.inhabitants} inwoners, ${m.youths} jeugdigen`).join('; '),
      );
    }
    return reply.redirect(`/verdeling${qs({})}#grondslagen`, 303);
  });
}
