import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { cbsMunicipality } from '../../domain/codes/index.js';
import {
  ITEM_KIND_LABELS,
  SEED002_CASE,
  STANCE_LABELS,
  tallyVotes,
  type CalendarEntry,
  type DecisionCase,
  type LinkedFigure,
  type VoteChoice,
} from '../../domain/decisions/index.js';
import { calendarToIcs } from '../../domain/decisions/ics.js';
import { formatEuro } from '../../domain/money.js';
import { formatDateNl, isIsoDate, type IsoDate } from '../../domain/month.js';
import { existsSync } from 'node:fs';
import { resolveDbSpec } from '../../warehouse/open.js';
import { DecisionInputError } from '../../domain/decisions/rules.js';
import { ALLOCATION_KEY_LABELS } from '../../domain/steering/allocation.js';
import { DB_OPTION_HELP, action, printJson, table, usage, withWarehouse } from '../context.js';
import { PLANNING_NAME, decisionCalendar, decisionCaseView, storedDecisionCases } from '../../app/decisions.js';
import { PROPOSAL_KEYS, PROPOSAL_KINDS, createProposal, proposalForm, toNewProposal } from '../../app/proposals.js';

const muniName = (code: string) => cbsMunicipality(code)?.name ?? code;
const dateNl = (d: IsoDate | null | undefined) => (d ? formatDateNl(d) : 'onbekend');
const today = (): IsoDate => new Date().toISOString().slice(0, 10);

function figureValue(f: LinkedFigure): string {
  return f.value.kind === 'cents' ? formatEuro(f.value.cents) : `${f.value.percent.toLocaleString('nl-NL')}%`;
}

/** Everything `decisions show --json` prints. */
/** The case with everything derived from it (the JSON output): the app service's view. */
export const decisionCaseReport = decisionCaseView;

/** The case as text for people (Dutch). `municipality` limits the points listed to one council. */
export function renderDecisionCase(c: DecisionCase, asOf: IsoDate, municipality?: string): string {
  const r = decisionCaseReport(c, asOf);
  const p = c.proposal;
  const o: string[] = [];
  const d = Object.fromEntries(r.deadlines.map((x) => [x.key, x.date]));
  o.push(p.title);
  o.push(`Bedrag: ${formatEuro(p.amountCents)} · begrotingsjaar ${p.budgetYear}`);
  o.push(`Voor zienswijze verzonden: ${dateNl(p.sentForViewOn)} · besluit AB: ${dateNl(p.decidedByAbOn)}`);
  o.push(
    `Termijnen (${r.rules.name}): zienswijzen uiterlijk ${dateNl(d['zienswijze-termijn'])}; reactie DB uiterlijk ${dateNl(d.reactie)}` +
      (p.decidedByAbOn && d['zienswijze-termijn']
        ? `; AB besloot ${p.decidedByAbOn >= d['zienswijze-termijn'] ? 'na' : 'vóór'} afloop van de zienswijzetermijn.`
        : '.'),
  );
  if (!p.split.length) o.push(`Verdeling per gemeente: ${p.splitNote ?? 'onbekend'}`);
  else {
    o.push(
      table(
        ['gemeente', 'bedrag'],
        p.split.map((s) => [muniName(s.municipality), formatEuro(s.amountCents)]),
        [false, true],
      ),
    );
    if (p.splitNote) o.push(p.splitNote);
  }
  o.push(`Bron: ${c.source}`, '');

  o.push('Gekoppelde cijfers (bevroren)');
  o.push(
    table(
      ['cijfer', 'waarde', 'peildatum'],
      p.linkedFigures.map((f) => [f.label, figureValue(f), dateNl(f.asOf)]),
      [false, true, false],
    ),
    '',
  );

  o.push('Zienswijzen per gemeente');
  o.push(
    table(
      [
        'gemeente',
        'standpunt',
        'ontvangen',
        'termijn t/m',
        'op tijd',
        'punten',
        'overgenomen',
        'deels',
        'niet',
        'kennisgenomen',
        'reactie uiterlijk',
        'reactie op tijd',
      ],
      r.views.map((v) => [
        muniName(v.municipality),
        v.zienswijze ? STANCE_LABELS[v.zienswijze.stance] : 'geen zienswijze',
        dateNl(v.zienswijze?.received),
        dateNl(v.termEnd),
        v.timeliness,
        String(v.points.length),
        String(v.statusCounts.overgenomen),
        String(v.statusCounts.deels),
        String(v.statusCounts.niet),
        String(v.statusCounts.kennisgenomen),
        dateNl(v.reactionDue),
        v.reactionOnTime === null ? 'onbekend' : v.reactionOnTime ? 'ja' : 'nee',
      ]),
      [false, false, false, false, false, true, true, true, true, true, false, false],
    ),
  );
  o.push(
    'Ontvangstdata staan niet in de bron. Reactie op tijd: het AB behandelde de nota van reactie op ' +
      `${dateNl(c.nota.treatedByAbOn)}.`,
  );
  if (c.nota.statusBasis === 'aanname')
    o.push('De status per reactie is Grips lezing van de reactietekst; de bron heeft geen statuskolom.');
  o.push('');

  o.push('Thema’s');
  o.push(
    table(
      ['thema', 'gemeenten', 'punten'],
      r.themes.map((t) => [t.theme, String(t.municipalities), String(t.points)]),
      [false, true, true],
    ),
    '',
  );

  for (const v of r.views) {
    if (municipality && v.municipality !== municipality) continue;
    const z = v.zienswijze;
    if (!z) continue;
    o.push(`${muniName(v.municipality)} — ${STANCE_LABELS[z.stance]}`);
    for (const n of z.notes ?? []) o.push(`  Let op: ${n}`);
    if (z.earlierViews?.length)
      o.push(`  Eerdere zienswijzen: ${z.earlierViews.map((e) => dateNl(e.date)).join(', ')}`);
    for (const pt of v.points) {
      o.push(`  ${pt.number.padEnd(4)} [${pt.theme}] ${pt.text}`);
      o.push(`       → ${pt.reaction ? `${pt.reaction.status}: ${pt.reaction.text}` : 'geen reactie'}`);
    }
    o.push('');
  }

  o.push(`Stemming ${c.vote.body} ${dateNl(c.vote.date)}`);
  o.push(
    table(
      ['gemeente', 'stem', 'bron'],
      c.members.map((m) => {
        const v = c.vote.votes.find((x) => x.municipality === m);
        return [muniName(m), v?.choice ?? 'afwezig', v ? (v.basis === 'bron' ? 'vastgelegd' : 'afgeleid') : '-'];
      }),
    ),
  );
  const t = r.vote;
  o.push(
    `Uitslag: ${t.voor} voor, ${t.tegen} tegen${t.onthouding ? `, ${t.onthouding} onthouding` : ''}${t.afwezig ? `, ${t.afwezig} afwezig` : ''} van ${t.members} leden → ${t.result}` +
      (c.vote.recordedResult
        ? c.vote.recordedResult === t.result
          ? ' (zoals vastgelegd)'
          : ` (vastgelegd: ${c.vote.recordedResult}!)`
        : ''),
  );
  for (const pr of t.problems) o.push(`Let op: ${pr}`);
  o.push('');

  o.push(`Openstaande toezeggingen en verzoeken per ${dateNl(asOf)}`);
  o.push(
    table(
      ['wat', 'eigenaar', 'uiterlijk', 'herhaling', 'herkomst', 'status'],
      r.openCommitments.map((x) => [
        x.text,
        x.owner,
        x.due ? `${dateNl(x.due)}${x.dueNote ? ` (${x.dueNote})` : ''}` : (x.dueNote ?? '-'),
        x.recurrence ?? '-',
        x.origin,
        x.status === 'lopend' ? 'lopend' : x.overdue ? 'verlopen, geen terugmelding' : 'open',
      ]),
    ),
  );
  return o.join('\n') + '\n';
}

/** The calendar of a year as text for people (Dutch). */
export function renderCalendar(entries: CalendarEntry[], year: number, undated: string[]): string {
  const o: string[] = [];
  o.push(`Planning ${year}`);
  if (!entries.length) o.push('Geen data in de planning voor dit jaar.');
  else
    o.push(
      table(
        ['datum', 'orgaan', 'onderwerp', 'wat', 'soort'],
        entries.map((e) => [
          `${e.bound === 'voor' ? 'vóór ' : ''}${formatDateNl(e.date)}`,
          e.body,
          `${e.itemTitle} (${ITEM_KIND_LABELS[e.kind].toLowerCase()})`,
          e.label + (e.assumed ? ' *' : ''),
          e.derived ? `termijn: ${e.rule}` : 'vergadering/datum',
        ]),
      ),
    );
  if (entries.some((e) => e.assumed)) o.push('* rust op een aangenomen datum');
  if (undated.length) o.push('', 'Zonder vaste datum:', ...undated.map((u) => `  - ${u}`));
  return o.join('\n') + '\n';
}

/** The case from the warehouse, or null when it is not stored there (or no warehouse was given and ./grip.duckdb does not exist). */
/** False when no warehouse is named and the default file does not exist (nothing to read, and none is made). */
function warehouseExists(opts: { db?: string }): boolean {
  return !!opts.db || !!process.env.GRIP_DB || existsSync(resolveDbSpec(opts.db));
}

async function storedCase(opts: { id: string; db?: string }): Promise<DecisionCase | null> {
  if (!warehouseExists(opts)) return null;
  return withWarehouse(opts, (w) => w.decisionCase(opts.id));
}

export function registerDecisions(program: Command): void {
  const cmd = program
    .command('decisions')
    .description(
      'The decision cycle: proposals, councils’ views (zienswijzen), the DB’s reactions, AB votes, commitments and the planning calendar',
    );
  cmd
    .command('show')
    .description(
      'Show a decision case: proposal, views per municipality with deadline status, reactions, votes and result, open commitments (from the warehouse when stored, else the built-in 2020 budget-amendment case)',
    )
    .option('--json', 'print everything as JSON (the case, derived deadlines, view statuses, tally, open commitments)')
    .option('--id <id>', 'the proposal id', SEED002_CASE.proposal.id)
    .option('--municipality <code>', 'list the points and reactions of one municipality only (CBS code, e.g. 0482)')
    .option('--as-of <YYYY-MM-DD>', 'date to judge open commitments against (default: today)')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
Deadlines follow the Wgr in force when the proposal was sent (8 weeks in 2020); the DB's reaction is
due 3 months after the end of the term (the councils' wish in their views on the 2020 budget amendment).
The case is read from the warehouse when it holds it (see \`grip decisions load-bw2020\`); otherwise the
2020 budget-amendment case built into Grip is shown.

Examples:
  $ grip decisions show
  $ grip decisions show --municipality 0482
  $ grip decisions show --as-of 2021-01-01 --json`,
    )
    .action(
      action(async (opts: { json?: boolean; id: string; municipality?: string; asOf?: string; db?: string }) => {
        const asOf = opts.asOf ?? today();
        if (!isIsoDate(asOf)) throw usage(`--as-of moet een datum JJJJ-MM-DD zijn, niet "${asOf}"`);
        const stored = await storedCase(opts);
        if (!stored && opts.id !== SEED002_CASE.proposal.id)
          throw usage(`--id: geen voorstel "${opts.id}" in het warehouse`);
        const c = stored ?? SEED002_CASE;
        const m = opts.municipality ? opts.municipality.replace(/^GM/i, '').padStart(4, '0') : undefined;
        if (m && !c.members.includes(m))
          throw usage(`--municipality: ${opts.municipality} is geen gemeente van de regio`);
        if (opts.json) return printJson({ ...decisionCaseReport(c, asOf), from: stored ? 'warehouse' : 'ingebouwd' });
        if (!stored)
          process.stderr.write(
            '(niet in het warehouse: het ingebouwde dossier van de begrotingswijziging 2020 wordt getoond; sla het op met grip decisions load-bw2020)\n',
          );
        process.stdout.write(renderDecisionCase(c, asOf, m));
      }),
    );
  cmd
    .command('load-bw2020')
    .description(
      'Store the case of the 2020 budget amendment (Serviceorganisatie Jeugd ZHZ: proposal, views, reactions, votes, commitments) in the warehouse; replaces it when already there',
    )
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
Examples:
  $ grip decisions load-bw2020
  $ grip decisions load-bw2020 --db postgres://user@host/grip`,
    )
    .action(
      action(async (opts: { db?: string }) => {
        await withWarehouse(opts, async (w) => {
          await w.saveDecisionCase(SEED002_CASE, process.env.USER ?? 'grip');
          const back = await w.decisionCase(SEED002_CASE.proposal.id);
          const points = back?.zienswijzen.reduce((n, z) => n + z.points.length, 0) ?? 0;
          process.stdout.write(
            `Opgeslagen: ${SEED002_CASE.proposal.title} — ${back?.zienswijzen.length ?? 0} zienswijzen, ${points} punten, ${back?.nota.reactions.length ?? 0} reacties, ${back?.vote.votes.length ?? 0} stemmen, ${back?.commitments.length ?? 0} toezeggingen.\n`,
          );
        });
      }),
    );
  cmd
    .command('add-proposal')
    .description(
      'Store a new proposal: its amount split per municipality by an allocation key, and the year-end forecast of the region and each municipality frozen as of the proposal date',
    )
    .requiredOption('--title <text>', 'title of the proposal')
    .requiredOption('--type <type>', `kind of proposal: ${PROPOSAL_KINDS.join(', ')}`)
    .requiredOption('--amount-euros <amount>', 'the amount in euros, e.g. 6600000 or 6.600.000')
    .requiredOption('--date <YYYY-MM-DD>', 'the proposal date (as-of date of the split basis and the frozen forecast)')
    .requiredOption('--key <key>', `allocation key: ${PROPOSAL_KEYS.join(', ')}`)
    .option(
      '--send-date <YYYY-MM-DD>',
      'sent to the councils for their view (starts the zienswijze term; default: the proposal date)',
    )
    .option('--ab-date <YYYY-MM-DD>', 'the AB meeting that decides, when known')
    .option('--budget-year <year>', 'budget year (default: the year of the proposal date)')
    .option('--json', 'print the stored case as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
Keys: ${PROPOSAL_KEYS.map((k) => `${k} (${ALLOCATION_KEY_LABELS[k]})`).join('; ')}.
The key's basis is the production year of the proposal date, counting lines declared up to that date.
The split and the forecast are stored with the proposal; later imports do not change them.

Examples:
  $ grip decisions add-proposal --title "Begrotingswijziging 2026" --type begrotingswijziging --amount-euros 6600000 --date 2026-11-24 --key usage
  $ grip decisions add-proposal --title "Begroting 2027" --type begroting --amount-euros 120.000.000 --date 2026-04-01 --send-date 2026-04-10 --ab-date 2026-07-09 --key youths --budget-year 2027`,
    )
    .action(
      action(
        async (opts: {
          title: string;
          type: string;
          amountEuros: string;
          date: string;
          key: string;
          sendDate?: string;
          abDate?: string;
          budgetYear?: string;
          json?: boolean;
          db?: string;
        }) => {
          const f = proposalForm.safeParse({
            title: opts.title,
            kind: opts.type,
            amount: opts.amountEuros,
            date: opts.date,
            key: opts.key,
            sendDate: opts.sendDate,
            abDate: opts.abDate,
            budgetYear: opts.budgetYear,
          });
          if (!f.success) throw usage(f.error.issues.map((i) => i.message).join('; '));
          await withWarehouse(opts, async (w) => {
            const c = await createProposal(w, toNewProposal(f.data), process.env.USER ?? 'grip').catch((e: unknown) => {
              throw e instanceof DecisionInputError ? usage(e.message) : e;
            });
            if (opts.json) return printJson(decisionCaseReport(c, today()));
            process.stdout.write(`Opgeslagen als ${c.proposal.id}.\n`);
            process.stdout.write(renderDecisionCase(c, today()));
          });
        },
      ),
    );
  cmd
    .command('vote')
    .description(
      'Record a municipality’s vote in the AB on a stored proposal (replaces its earlier vote) and print the result',
    )
    .requiredOption('--id <id>', 'the proposal id')
    .requiredOption('--municipality <code>', 'CBS code of the member, e.g. 0482')
    .requiredOption('--choice <choice>', 'voor, tegen, onthouding or afwezig')
    .option('--date <YYYY-MM-DD>', 'date of the AB meeting (needed with the first vote)')
    .option('--db <file|url>', DB_OPTION_HELP)
    .action(
      action(async (opts: { id: string; municipality: string; choice: string; date?: string; db?: string }) => {
        if (!['voor', 'tegen', 'onthouding', 'afwezig'].includes(opts.choice))
          throw usage(`--choice moet voor, tegen, onthouding of afwezig zijn, niet "${opts.choice}"`);
        if (opts.date !== undefined && !isIsoDate(opts.date))
          throw usage(`--date moet een datum JJJJ-MM-DD zijn, niet "${opts.date}"`);
        const m = opts.municipality.replace(/^GM/i, '').padStart(4, '0');
        await withWarehouse(opts, async (w) => {
          try {
            await w.saveDecisionVote(
              opts.id,
              { municipality: m, choice: opts.choice as VoteChoice, basis: 'bron' },
              opts.date,
            );
          } catch (e) {
            if (e instanceof DecisionInputError) throw usage(e.message);
            throw e;
          }
          const c = await w.decisionCase(opts.id);
          const t = tallyVotes(c!.vote, c!.members);
          process.stdout.write(
            `Stem van ${muniName(m)} opgeslagen. Uitslag: ${t.voor} voor, ${t.tegen} tegen${t.onthouding ? `, ${t.onthouding} onthouding` : ''}${t.afwezig ? `, ${t.afwezig} afwezig` : ''} van ${t.members} leden → ${t.result}.\n`,
          );
        });
      }),
    );
  cmd
    .command('calendar')
    .description(
      'The planning calendar of a year (the DG&J planning of April 2025, plus the stored cases) with the deadlines derived from the Wgr rules',
    )
    .requiredOption('--year <year>', 'calendar year, e.g. 2025')
    .option('--ics <file>', 'also write the entries as an iCalendar (.ics) file')
    .option('--weeks <n>', 'zienswijze term in weeks instead of the Wgr term in force (8 before 1-7-2022, 12 after)')
    .option('--json', 'print the entries as JSON')
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
The calendar shows the cases stored in the warehouse, as the web app does (store the 2020 budget-amendment
case with \`grip decisions load-bw2020\`).

Examples:
  $ grip decisions calendar --year 2025
  $ grip decisions calendar --year 2020 --weeks 12
  $ grip decisions calendar --year 2025 --ics planning-2025.ics`,
    )
    .action(
      action(async (opts: { year: string; ics?: string; weeks?: string; json?: boolean; db?: string }) => {
        if (!/^\d{4}$/.test(opts.year)) throw usage(`--year moet een jaar zijn zoals 2025, niet "${opts.year}"`);
        if (opts.weeks !== undefined && !/^\d{1,2}$/.test(opts.weeks))
          throw usage(`--weeks moet een geheel aantal weken zijn, niet "${opts.weeks}"`);
        const year = Number(opts.year);
        const cases = warehouseExists(opts) ? await withWarehouse(opts, storedDecisionCases) : [];
        const { entries, undated } = decisionCalendar(cases, {
          year,
          viewTermWeeks: opts.weeks ? Number(opts.weeks) : undefined,
        });
        if (opts.json) printJson({ year, entries, undated });
        else process.stdout.write(renderCalendar(entries, year, undated));
        if (opts.ics) {
          writeFileSync(
            opts.ics,
            await calendarToIcs(entries, { calName: `${PLANNING_NAME} ${year}`, stamp: new Date().toISOString() }),
          );
          if (!opts.json) process.stdout.write(`${entries.length} afspraken geschreven naar ${opts.ics}.\n`);
        }
      }),
    );
}
