/**
 * Corona: the revenue-loss check (omzetderving) of seed 002 — per provider and month March–June 2020,
 * the average validated monthly revenue of 2019 minus the validated revenue of that month, never below
 * 0, with catch-up care (declared after the peildatum) netted — per provider and per municipality, with
 * the lines it rests on and an xlsx download. The loss is always computed over the provider's whole
 * revenue in the region and then split; a gemeente user sees only its own municipality's share and lines.
 */
import { z, type ZodError } from 'zod';
import { ANALYSTS } from '../../access/policy.js';
import { rankedBarsOption } from '../../charts/echarts.js';
import { cbsMunicipality, normaliseMunicipalityCode } from '../../domain/codes/index.js';
import { at } from '../../domain/indexing.js';
import { formatDateNl, formatMonthNl, isIsoDate, type IsoDate } from '../../domain/month.js';
import { coronaLines, coronaView, coronaWorkbook, lineRole, type CoronaView } from '../../app/corona.js';
import { scoped, type Viewer } from '../core.js';
import { getFile, getPage } from '../route.js';
import { providerName, providerNameWithCode, type ProviderNames } from '../../domain/providers.js';
import { addNav, chart, euro, int, page, pct, providerHtml, qs } from '../layout.js';
import { html, joinHtml, type SafeHtml } from '../html.js';
import type { WebContext } from '../server.js';

const muniName = (code: string) => cbsMunicipality(code)?.name ?? code;

export const coronaQuery = z.object({
  year: z.coerce
    .number({ invalid_type_error: 'jaar als getal' })
    .int()
    .min(2001, 'jaar vanaf 2001')
    .max(2100, 'jaar tot 2100')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  peildatum: z
    .string()
    .refine(isIsoDate, 'peildatum als JJJJ-MM-DD')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  municipality: z
    .string()
    .transform((s, ctx) => {
      const code = normaliseMunicipalityCode(s);
      if (!code || !cbsMunicipality(code)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'gemeente als CBS-code, bijvoorbeeld 0482' });
        return z.NEVER;
      }
      return code;
    })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  provider: z
    .string()
    .regex(/^\d{8}$/, 'aanbieder als AGB-code van 8 cijfers')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

function coronaHtml(
  v: Viewer,
  cv: CoronaView,
  f: { year: number; peildatum: IsoDate; municipality?: string; provider?: string },
  names: ProviderNames,
): SafeHtml {
  const r = cv.report;
  const base = { year: f.year, peildatum: f.peildatum, municipality: f.municipality };
  const o: SafeHtml[] = [];
  const period = `${formatMonthNl(at(r.months, 0))} – ${formatMonthNl(at(r.months, r.months.length - 1))}`;
  const who = cv.scope ? cv.scope.map(muniName).join(', ') : 'de hele regio';
  o.push(html`<style>thead th.n{white-space:normal}</style><h1>Omzetderving door corona — ${period}</h1>`);
  o.push(html`<form class="filters" method="get" action="/corona"><label>Jaar <input name="year" type="number" min="2001" max="2100" value="${f.year}"></label>
<label>Peildatum <input name="peildatum" type="date" value="${f.peildatum}"></label>
${v.scope === null || v.scope.length > 1 ? html`<label>Gemeente <select name="municipality"><option value="">${v.scope === null ? 'hele regio' : 'al mijn gemeenten'}</option>${(v.scope ?? [...new Set(r.municipalities.map((m) => m.municipality))]).map((m) => html`<option value="${m}"${m === f.municipality ? ' selected' : ''}>${muniName(m)}</option>`)}</select></label>` : ''}
<button type="submit">Toon</button> <a class="dl" href="/corona.xlsx${qs(base)}">Download xlsx</a></form>`);
  o.push(
    html`<p class="note">Derving per aanbieder en maand = gemiddelde gevalideerde omzet ${r.baselineYear} (÷ 12) − gevalideerde omzet van die maand in ${r.year}, nooit onder 0. Gevalideerd: niet afgewezen in een JW325. Wat voor deze maanden ná de peildatum (${formatDateNl(r.peildatum)}) is gedeclareerd is inhaalzorg; de compensatie wordt daarmee verrekend, zodat niets twee keer wordt betaald. De derving van een aanbieder wordt verdeeld over de gemeenten naar hun aandeel in zijn omzet ${r.baselineYear}.</p>`,
  );
  if (!r.providers.length) {
    o.push(
      html`<p class="empty">Geen gevalideerde declaraties voor ${r.baselineYear}–${r.year} — importeer declaraties met <code>grip import</code>.</p>`,
    );
    return joinHtml(o, '\n');
  }
  const t = cv.totals;
  o.push(html`<div class="cards">
<div class="card"><div class="k">Derving voorlopig</div><div class="v">${euro(t.provisionalLossCents)}</div><div class="s">${who}, per peildatum</div></div>
<div class="card"><div class="k">Inhaalzorg later gedeclareerd</div><div class="v">${euro(t.lateCents)}</div><div class="s">voor ${period}</div></div>
<div class="card"><div class="k">Verrekend</div><div class="v">${euro(t.nettedCents)}</div></div>
<div class="card"><div class="k">Derving definitief</div><div class="v">${euro(t.finalLossCents)}</div><div class="s">${int(cv.providers.length)} aanbieders</div></div></div>`);
  const top = [...cv.providers]
    .sort((a, b) => b.finalLossCents - a.finalLossCents)
    .filter((p) => p.finalLossCents > 0)
    .slice(0, 12);
  if (top.length)
    o.push(
      chart(
        rankedBarsOption(top.map((p) => ({ label: providerName(p.provider, names), cents: p.finalLossCents }))),
        900,
        Math.max(140, 26 * top.length + 20),
        `Derving definitief per aanbieder (grootste ${top.length})${cv.scope ? `, aandeel ${who}` : ''}`,
      ),
    );
  const link = (p: string) => `/corona${qs(base, { provider: p })}#regels`;
  o.push(
    html`<table><caption>Per aanbieder${cv.scope ? html` — het aandeel van ${who}` : ''}</caption><thead><tr><th scope="col">Aanbieder</th><th scope="col" class="n">Gem. omzet ${r.baselineYear}/mnd (regio)</th>${cv.scope ? html`<th scope="col" class="n">Omzet ${r.baselineYear} hier</th><th scope="col" class="n">Aandeel</th>` : ''}<th scope="col" class="n">Derving voorlopig</th><th scope="col" class="n">Inhaalzorg later</th><th scope="col" class="n">Verrekend</th><th scope="col" class="n">Derving definitief</th><th scope="col">Inhaalzorg?</th><th scope="col" class="n">Boven gem. na juni (signaal)</th></tr></thead><tbody>${cv.providers.map(
      (p) =>
        html`<tr${p.provider === f.provider ? html` aria-current="true"` : ''}><th scope="row"><a href="${link(p.provider)}">${providerHtml(p.provider, names)}</a></th><td class="n">${euro(p.baselineCents)}</td>${cv.scope ? html`<td class="n">${euro(p.baselineYearCents)}</td><td class="n">${pct(p.share)}</td>` : ''}<td class="n">${euro(p.provisionalLossCents)}</td><td class="n">${euro(p.lateCents)}</td><td class="n">${euro(p.nettedCents)}</td><td class="n">${euro(p.finalLossCents)}</td><td>${p.catchUpDetected ? 'ja' : '—'}</td><td class="n">${euro(p.laterExcessCents)}</td></tr>`,
    )}</tbody><tfoot><tr><td>Totaal</td><td></td>${cv.scope ? html`<td></td><td></td>` : ''}<td class="n">${euro(t.provisionalLossCents)}</td><td class="n">${euro(t.lateCents)}</td><td class="n">${euro(t.nettedCents)}</td><td class="n">${euro(t.finalLossCents)}</td><td></td><td></td></tr></tfoot></table>`,
  );
  o.push(html`<table><caption>Per gemeente</caption><thead><tr><th scope="col">Gemeente</th><th scope="col" class="n">Aanbieders</th><th scope="col" class="n">Derving voorlopig</th><th scope="col" class="n">Inhaalzorg later</th><th scope="col" class="n">Verrekend</th><th scope="col" class="n">Derving definitief</th></tr></thead><tbody>${cv.municipalities.map(
    (m) =>
      html`<tr><th scope="row">${muniName(m.municipality)}</th><td class="n">${int(m.providers)}</td><td class="n">${euro(m.provisionalLossCents)}</td><td class="n">${euro(m.lateCents)}</td><td class="n">${euro(m.nettedCents)}</td><td class="n">${euro(m.finalLossCents)}</td></tr>`,
  )}</tbody></table>
<p class="note">“Inhaalzorg later” is wat voor de gemeente zelf na de peildatum is gedeclareerd; derving en verrekening zijn per aanbieder bepaald en naar aandeel verdeeld.</p>`);

  o.push(html`<h2 id="regels">De regels waarop dit rust</h2>`);
  if (!f.provider)
    o.push(
      html`<p class="note">Kies een aanbieder in de tabel om de regels te zien waarop zijn derving rust (gevalideerde omzet per gemeente, productiemaand en declaratiedatum). Alle regels staan in de xlsx.</p>`,
    );
  else {
    const p = r.providers.find((x) => x.provider === f.provider);
    const lines = cv.lines.filter((l) => l.provider === f.provider);
    if (!p || !lines.length)
      o.push(
        html`<p class="empty">Geen regels van ${providerNameWithCode(f.provider, names)}${cv.scope ? html` voor ${who}` : ''}.</p>`,
      );
    else {
      if (cv.scope === null)
        o.push(
          html`<table><caption>${providerNameWithCode(p.provider, names)} per maand (gemiddelde ${r.baselineYear}: ${euro(p.baselineYearCents)} ÷ 12 = ${euro(p.baselineCents)})</caption><thead><tr><th scope="col">Maand</th><th scope="col" class="n">Gemiddelde</th><th scope="col" class="n">Omzet t/m peildatum</th><th scope="col" class="n">Later gedeclareerd</th><th scope="col" class="n">Derving voorlopig</th><th scope="col" class="n">Derving definitief</th><th scope="col" class="n">Verrekend</th></tr></thead><tbody>${p.months.map(
            (m) =>
              html`<tr><th scope="row">${formatMonthNl(m.month)}</th><td class="n">${euro(m.baselineCents)}</td><td class="n">${euro(m.revenueCents)}</td><td class="n">${euro(m.lateCents)}</td><td class="n">${euro(m.provisionalLossCents)}</td><td class="n">${euro(m.finalLossCents)}</td><td class="n">${euro(m.nettedCents)}</td></tr>`,
          )}</tbody></table>`,
        );
      o.push(html`<table><caption>Gevalideerde omzet van ${providerNameWithCode(p.provider, names)}${cv.scope ? html` bij ${who}` : ''} per gemeente, productiemaand en declaratiedatum</caption><thead><tr><th scope="col">Gemeente</th><th scope="col">Productiemaand</th><th scope="col" class="n">Declaratiedatum</th><th scope="col" class="n">Gevalideerd</th><th scope="col" class="n">Regels</th><th scope="col" class="n">Afgewezen (JW325)</th><th scope="col">Telt als</th></tr></thead><tbody>${lines.map(
        (l) =>
          html`<tr><td>${muniName(l.municipality)}</td><td>${formatMonthNl(l.month, true)}</td><td class="n">${formatDateNl(l.declarationDate)}</td><td class="n">${euro(l.validatedCents)}</td><td class="n">${int(l.validatedLines)}</td><td class="n">${l.rejectedLines ? html`${euro(l.rejectedCents)} (${int(l.rejectedLines)})` : '—'}</td><td>${lineRole(l, r)}</td></tr>`,
      )}</tbody></table>
<p class="note">De declaratieregels zelf (met bronbestand en regelnummer) staan onder de gemeentepagina’s → uitsplitsing → declaratieregels.</p>`);
    }
  }
  return joinHtml(o, '\n');
}

export function registerCorona({ app, data }: WebContext): void {
  addNav({ href: '/corona', label: 'Corona', roles: ANALYSTS });
  const opts = {
    rule: { roles: ANALYSTS, municipalityScoped: true },
    query: coronaQuery,
    invalid: (error: ZodError) => `Ongeldige invoer: ${error.issues.map((i) => i.message).join('; ')}.`,
  };

  async function load(v: Viewer, q: z.infer<typeof coronaQuery>) {
    const year = q.year ?? 2020;
    const peildatum = q.peildatum ?? `${year}-09-30`;
    const s = scoped(v, q.municipality ? [q.municipality] : undefined);
    // Always the whole region's lines: a provider's loss is computed over all its municipalities, then split.
    const lines = await data.cached(`corona:${year}`, () => coronaLines(data.warehouse, year));
    return {
      f: { year, peildatum, municipality: q.municipality, provider: q.provider },
      cv: coronaView(lines, { year, peildatum }, s ?? null),
    } as const;
  }

  getPage(app, '/corona', opts, async ({ v, q }) => {
    const r = await load(v, q);
    return page(v.user, 'Omzetderving corona', coronaHtml(v, r.cv, r.f, await data.providerNames()), {
      path: '/corona',
      crumbs: [{ href: '/', label: 'Overzicht' }, { label: 'Omzetderving corona' }],
    });
  });

  getFile(app, '/corona.xlsx', opts, async ({ reply, v, q }) => {
    const r = await load(v, q);
    const suffix = r.cv.scope ? `-${r.cv.scope.join('-')}` : '';
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="omzetderving-${r.f.year}${suffix}.xlsx"`)
      .send(await coronaWorkbook(r.cv, await data.providerNames()));
  });
}
