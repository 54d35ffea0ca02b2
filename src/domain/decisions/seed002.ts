/**
 * The first real case: the 2020 budget amendment of the Serviceorganisatie Jeugd ZHZ (SOJ).
 *
 * Source: the DB DG&J's letter to the colleges about the AB
 * decision, and its appendix "Concept-nota van reactie zienswijzen begrotingswijziging Serviceorganisatie
 * Jeugd ZHZ (SOJ) 2020" (per municipality: Inbreng | Reactie). Figures and dates are carried over; points
 * and reactions are summarised in one Dutch sentence each.
 *
 * What the source gives and what is Grip's reading:
 * - Dates from the letter: sent for views 15-07-2020 (with the 1e Bestuursrapportage 2020); AB decision
 *   12-11-2020, where the 2e Bestuursrapportage was also on the agenda.
 * - The date each view was received is not in the source (null); Alblasserdam's later motion
 *   ("nagekomen motie") was put on the AB agenda separately.
 * - Votes: the source records that Alblasserdam voted against and the amendment was adopted; that the
 *   other nine voted for is inferred (basis `aanname`).
 * - The status per reaction (overgenomen / deels / niet / kennisgenomen) is Grip's reading of the
 *   reaction text (statusBasis `aanname`); the source has no such column.
 * - The split of the € 6,6 mln per municipality is not in the source.
 * - Dordrecht and Zwijndrecht both attach the "Overdenkingen" of the Regionale Werkgroep Jeugd; the
 *   DB answers them once per municipality, so they appear under both.
 */
import type { Commitment, DecisionCase, Reaction, ReactionStatus, Theme, ViewPoint, Zienswijze } from './types.js';

/** The source as a person would cite it (shown as "Bron" in the web app). */
export const SEED002_SOURCE =
  'Brief van het DB DG&J aan de colleges over het AB-besluit begrotingswijziging SOJ 2020, met bijlage concept-nota van reactie zienswijzen';

export const SEED002_MEMBERS = [
  '0482',
  '0505',
  '0512',
  '0523',
  '0531',
  '1963',
  '1978',
  '0590',
  '0610',
  '0642',
] as const;

const pt = (municipality: string, number: string, theme: Theme, text: string): ViewPoint => ({
  id: `${municipality}-${number}`,
  number,
  theme,
  text,
});
const re = (pointId: string, status: ReactionStatus, text: string): Reaction => ({ pointId, status, text });

/** Answers the DB repeats for several councils, summarised once. */
const R = {
  omzetderving:
    'Inhaalzorg wordt betaald als een geldig verwijzer die toekende en door het Rijk gecompenseerd; omzetderving maart–juni wordt volgens landelijke afspraken bepaald als gemiddelde gevalideerde omzet 2019 min de gevalideerde omzet van die maand in 2020, waar de SOJ nauw op toeziet.',
  lobby:
    'De SOJ lobbyt als uitvoeringsorganisatie niet zelf bij het Rijk; financiën zijn vast onderwerp in het maandelijks overleg van de 42 jeugdhulpregio’s met de VNG en de SOJ ondersteunt gemeenten bij hun lobby.',
  spanningsveld:
    'Gezien het spanningsveld tussen realistisch begroten en druk houden op maatregelen besloot het AB bij meerderheid tot de voorgestelde wijziging van € 6,6 mln.',
  maatregelenBijGemeenten:
    'De maatregelen uit Omdenknotitie en Aanjaagplan liggen grotendeels bij gemeenten; de SOJ berekende de besparingspotentie per gemeentelijke actie, ondersteunt gemeenten en voert haar eigen maatregelen in het gewenste tempo uit.',
  nietDoorgevoerd:
    'Het AB besloot bij meerderheid enkele maatregelen niet door te voeren of er alternatieven voor te ontwikkelen; de belangrijkste (budgetmaxima bij afschaffen van Nee, tenzij en specifiek beschikken) is op verzoek van gemeenten niet doorgevoerd.',
  werkgroep:
    'Het Aanjaagteam stelde de werkgroep ‘Focus en resultaten jeugdhulp ZHZ’ in, die een beperkt aantal indicatoren met tijdpad benoemt en monitort; het Aanjaagteam rapporteert over de voortgang aan stuurgroep en AB.',
  prudent:
    'Bijstellingen zijn te voorkomen door taakstellingen prudenter te verwerken, vast te houden aan hardere maatregelen en steviger op de uitvoering te sturen.',
  deskundigen:
    'Het Aanjaagteam is al volop betrokken, de auditcommissie adviseerde vooral te besluiten over maatregelen die sterk ingrijpen op de kosten, en er wordt bekeken hoe de sturing structureel te borgen (met een rol voor het netwerk MTplus).',
  informatie:
    'Gemeenten krijgen maandelijks een maandrapportage en een A4-dashboard over kosten en prognose; de 2e Burap (AB 12-11-2020) geeft de prognose 2020 met corona-impact, begrotingswijziging 2021 en meerjarenraming.',
  april2021:
    'Vóór 15-04-2021 krijgen gemeenten de voorlopige werkelijke kosten 2020 en de volgende primaire meerjarenbegroting ter zienswijze.',
  analyses:
    'De SOJ biedt gemeenten analyses aan van klantreizen, verwijsroutes en de meest complexe en kostbare cliënten, zoals in de Hoeksche Waard.',
  coronaGezinnen:
    'De gevolgen bleven beperkt en zorg werd slechts in enkele gevallen uitgesteld; in het komende jaar wordt onderzocht of er langetermijneffecten zijn, eventueel via het cliëntervaringsonderzoek.',
  geenBoeggolf: 'Er is nog geen boeggolf zichtbaar; de zorg is grotendeels voortgezet.',
} as const;

/** The "Overdenkingen" of the Regionale Werkgroep Jeugd, attached by Dordrecht and Zwijndrecht. */
function werkgroepJeugd(m: string): { points: ViewPoint[]; reactions: Reaction[] } {
  const points = [
    pt(
      m,
      'wg1',
      'realistische begroting',
      'Realistisch bezuinigen: het bezuinigingspad volgde financiële in plaats van inhoudelijke logica; de raad vraagt een realistische begroting als logisch geheel van doelen, interventies en middelen.',
    ),
    pt(
      m,
      'wg2',
      'sturing op maatregelen',
      'Uitblijvende besluiten: welke acties nam het AB om besparingen te realiseren, en is het AB niet zelf verantwoordelijk voor besluiten over kostenbesparende maatregelen?',
    ),
    pt(
      m,
      'wg3',
      'informatievoorziening',
      'Inzicht in kostendrijvers ontbreekt; het onderzoek tot op gezinsniveau van Hardinxveld-Giessendam (dubbele registraties, over-indicering) wordt voor alle ZHZ-gemeenten aanbevolen.',
    ),
    pt(
      m,
      'wg4',
      'corona',
      'Hoe bruikbaar is de Burap, welk deel van de beperkte stijging (3% tegen 15% een jaar eerder) komt door corona, en hoe gaat de SOJ om met aanbieders die omzetcompensatie krijgen en later uitgestelde zorg declareren?',
    ),
    pt(
      m,
      'wg5',
      'corona',
      'Vraagt onderzoek naar de lessen van de coronacrisis voor gezinnen (rust, zorg op afstand, gemeden zorg, boeggolf) en de reactie op punten 4 en 5 met alle raden te delen.',
    ),
  ];
  const reactions = [
    re(`${m}-wg1`, 'deels', `Zie de reactie op punt 1: ${R.spanningsveld}`),
    re(`${m}-wg2`, 'deels', `${R.werkgroep} ${R.nietDoorgevoerd}`),
    re(`${m}-wg3`, 'overgenomen', R.analyses),
    re(
      `${m}-wg4`,
      'overgenomen',
      `De Burap geeft voldoende betrouwbaar inzicht (2e Burap +0,9% ten opzichte van de 1e); ${R.omzetderving}`,
    ),
    re(`${m}-wg5`, 'deels', R.coronaGezinnen),
  ];
  return { points, reactions };
}

const wgDordrecht = werkgroepJeugd('0505');
const wgZwijndrecht = werkgroepJeugd('0642');

const ZIENSWIJZEN: Zienswijze[] = [
  {
    municipality: '0482', // Alblasserdam
    proposalId: 'soj-bw-2020',
    received: null,
    stance: 'niet-instemmend',
    earlierViews: [{ date: '2020-05-28', subject: 'zienswijze op de begroting 2020 en de jaarcijfers 2019' }],
    notes: ['Nagekomen motie van de raad wordt apart geagendeerd voor het Algemeen Bestuur.'],
    points: [
      pt(
        '0482',
        '1',
        'kostenbeheersing',
        'Zeer ontstemd dat opnieuw een kostenstijging komt zonder bijpassende maatregelen; de kostenreductiedoelstelling wordt niet gehaald, al groeit het zorggebruik minder hard.',
      ),
      pt(
        '0482',
        '2',
        'sturing op maatregelen',
        'Onderschrijft de kritische kernboodschap van het Aanjaagteam (juni 2020): de transformatie mist focus, prioritering, resultaatgerichtheid en daardoor tempo.',
      ),
      pt(
        '0482',
        '3',
        'kostenbeheersing',
        'Het AB nam ondanks voorstellen van het DB te weinig besluiten over maatregelen, waardoor grip op de uitgaven ontbreekt en de begroting verder afwijkt van de afgesproken besparing (terug naar € 100 mln).',
      ),
      pt(
        '0482',
        '4a',
        'realistische begroting',
        'Gaat niet akkoord met een begrotingswijziging 2020 en 2021 en vraagt het AB daadkrachtig te besluiten om de maatregelen door te voeren.',
      ),
      pt(
        '0482',
        '4b',
        'kostenbeheersing',
        'Vraagt het AB nog dit jaar te besluiten tot afschaffen van de Nee, tenzij-regeling.',
      ),
      pt(
        '0482',
        '4c',
        'sturing op maatregelen',
        'Vraagt het AB de uitvoering van de maatregelen goed te monitoren en de gemeenten daarover te informeren.',
      ),
      pt('0482', '4d', 'kostenbeheersing', 'Vraagt het AB te investeren in capaciteit om de resultaten te versnellen.'),
      pt(
        '0482',
        '4e',
        'meerjarenraming',
        'Vraagt de € 2,0 mln hogere besparing van de maatregelen in 2023 en 2024 vóór de lokale begrotingen 2021 als hogere taakstelling vast te leggen.',
      ),
      pt(
        '0482',
        '5',
        'realistische begroting',
        'Steunt de afslag van € 5,0 mln (€ 6,6 mln in plaats van de verwachte € 11,6 mln) als drukmiddel, betwijfelt of die € 5 mln in te lopen is en wil af van het "om de haverklap" bijstellen van de begroting.',
      ),
      pt(
        '0482',
        '6',
        'corona',
        'Verwacht dat kosten en compensatie van de coronacrisis in de 2e Burap in beeld komen en vraagt daadkracht op alle 28 punten van het Aanjaagplan en kritisch volgen van het financieel rendement van maatregelen.',
      ),
      pt(
        '0482',
        '7',
        'lobby rijksmiddelen',
        'Vraagt prioriteit voor besluiten over definitie jeugdzorg, normering en inkoopkader, en roept op te blijven lobbyen in Den Haag voor extra middelen.',
      ),
      pt(
        '0482',
        '8',
        'transformatie',
        'Voorstander van sterke inzet op transformatie (normaliseren, demedicaliseren); de projecten van het Aanjaagteam hebben nog niet het beoogde effect.',
      ),
      pt(
        '0482',
        '9',
        'kostenbeheersing',
        'Vraagt daadkrachtige AB-besluiten en de taakstelling niet naar 2021 door te schuiven voordat de SOJ de eerste tranche van € 5 mln op jaarbasis heeft gehaald.',
      ),
      pt(
        '0482',
        '10',
        'sturing op maatregelen',
        'Wil op de hoogte blijven van de regionale werkgroep die indicatoren met een tijdpad benoemt en monitort, en gaat ook lokaal sterker monitoren.',
      ),
      pt(
        '0482',
        '11',
        'meerjarenraming',
        'Vraagt eind 2020/begin 2021 een nieuwe prognose voor de jaarschijven 2021–2024 en een AB-besluit om de taakstelling met € 2,0 mln te verhogen.',
      ),
    ],
  },
  {
    municipality: '0505', // Dordrecht
    proposalId: 'soj-bw-2020',
    received: null,
    stance: 'instemmend-hoger-bedrag',
    earlierViews: [{ date: '2020-06-23', subject: 'zienswijze op de begroting 2020 en de jaarcijfers 2019' }],
    notes: ['De Overdenkingen van de Regionale Werkgroep Jeugd zijn integraal deel van de zienswijze.'],
    points: [
      pt(
        '0505',
        '1',
        'realistische begroting',
        'Staat positief tegenover een wijziging 2020, maar een realistische wijziging in lijn met de uitgaven 2019 en de halfjaarprognose is circa € 11,6 mln in plaats van € 6,6 mln.',
      ),
      pt(
        '0505',
        '2',
        'transformatie',
        'Voorzichtig optimistisch door de afnemende kostenstijging (afschaffen solidariteit, nieuwe inkoopstrategie, aanjaagteam, lokale initiatieven).',
      ),
      pt(
        '0505',
        '3',
        'meerjarenraming',
        'Vraagt de Overdenkingen integraal te behandelen, druk op het ministerie te houden en vóór het jaareinde een herziene meerjarenbegroting 2021–2024 vast te stellen.',
      ),
      ...wgDordrecht.points,
    ],
  },
  {
    municipality: '0512', // Gorinchem
    proposalId: 'soj-bw-2020',
    received: null,
    stance: 'instemmend',
    points: [
      pt(
        '0512',
        '1',
        'realistische begroting',
        'Voorzag de wijziging al en noemt € 6,6 mln in plaats van de berekende € 11,6 mln een daad vanuit ambitie, afhankelijk van maatregelen uit juli 2019 waarvan onduidelijk is wanneer ze besparen.',
      ),
    ],
  },
  {
    municipality: '0523', // Hardinxveld-Giessendam
    proposalId: 'soj-bw-2020',
    received: null,
    stance: 'instemmend',
    points: [
      pt(
        '0523',
        '1',
        'realistische begroting',
        'Waardeert dat de wijziging al bij de 1e Burap komt, wil realistische begrotingen en stemt in met de ingeboekte daling als ambitie, maar neemt lokaal risico op in de risicoparagraaf.',
      ),
      pt(
        '0523',
        '2',
        'kostenbeheersing',
        'Grote zorgen over stijgende zorgvraag en kosten; dat de kostenreductiedoelstelling niet wordt gehaald verrast niet.',
      ),
      pt(
        '0523',
        '3',
        'transformatie',
        'Positief over de lokale maatregelen (jeugdhulp naar de voorkant, sociaal team, jeugdmodule) en wil een hoog tempo houden.',
      ),
      pt(
        '0523',
        '4',
        'informatievoorziening',
        'Heeft na het loslaten van de solidariteit data op gemeenteniveau nodig en wil periodiek horen over voortgang en prognoses van de bestedingen.',
      ),
      pt(
        '0523',
        '5',
        'lobby rijksmiddelen',
        'Verwacht dat het DB zich proactief blijft inzetten voor de landelijke lobby over de tekorten.',
      ),
    ],
  },
  {
    municipality: '0531', // Hendrik-Ido-Ambacht
    proposalId: 'soj-bw-2020',
    received: null,
    stance: 'geen-expliciet-standpunt',
    points: [
      pt(
        '0531',
        '1',
        'corona',
        'Noemt € 6,6 mln financieel pijnlijk, vraagt de SOJ de corona-impact (boeggolf of minder zorgvraag) te analyseren en dit najaar met de raden te delen, en of het Rijk de omzetderving compenseert.',
      ),
      pt(
        '0531',
        '2',
        'informatievoorziening',
        'Mist collectief overzicht en lerend vermogen en vraagt gemeenten, SOJ en Stichting Jeugdteams hun maatregelen in een tijdlijn periodiek te delen, gekoppeld aan de P&C-cyclus.',
      ),
      pt(
        '0531',
        '3',
        'kostenbeheersing',
        'Vraagt lef om de harde maatregelen (afschaffen Nee, tenzij, budgetverantwoordelijkheid jeugdteams) echt in te voeren, de voorwaarde voor het loslaten van de solidariteit.',
      ),
      pt(
        '0531',
        '4',
        'sturing op maatregelen',
        'Vraagt de geplande herijkingen (inkoopkader, budgetbewustzijn, AEF-onderzoek sturingskader) te benutten om sterkere sturing structureel te borgen.',
      ),
      pt(
        '0531',
        '5',
        'sturing op maatregelen',
        'Vraagt de SOJ haar maatregelen projectmatig uit te lijnen (wat, wanneer) en daarover via de begrotingscyclus verantwoording af te leggen.',
      ),
    ],
  },
  {
    municipality: '1963', // Hoeksche Waard
    proposalId: 'soj-bw-2020',
    received: null,
    stance: 'instemmend',
    points: [
      pt(
        '1963',
        '1',
        'realistische begroting',
        'Steunt € 6,6 mln met de afslag van € 5 mln als drukmiddel en waardeert de vroege wijziging, die voorkomt dat jeugdhulp bij onvoldoende budget moet stoppen.',
      ),
      pt(
        '1963',
        '2',
        'corona',
        'Verwacht onderzoek naar de positieve en negatieve corona-effecten in de 2e Burap en wil weten hoe de SOJ voorkomt dat aanbieders met omzetcompensatie dezelfde zorg later alsnog declareren.',
      ),
      pt(
        '1963',
        '3',
        'kostenbeheersing',
        'Steunt dat er nog geen wijziging 2021 is, maakt zich ernstige zorgen over kosten en taakstelling, en hoopt na de brandbrief op extra rijksmiddelen.',
      ),
      pt(
        '1963',
        '4',
        'transformatie',
        'Voorstander van sterke transformatie in de hele regio en vraagt wat het AB doet voor meer uitvoering en tempo.',
      ),
      pt(
        '1963',
        '5',
        'sturing op maatregelen',
        'Wil informatie over de monitoring van de resultaten van de taakstelling.',
      ),
      pt(
        '1963',
        '6',
        'informatievoorziening',
        'Vraagt SOJ en Stichting Jeugdteams per kwartaal te rapporteren over voortgang en prognoses van de bestedingen, met trends en vergelijkingen met andere gemeenten.',
      ),
      pt(
        '1963',
        '7',
        'informatievoorziening',
        'Beveelt het eigen onderzoek tot op gezinsniveau sterk aan voor alle ZHZ-gemeenten.',
      ),
      pt(
        '1963',
        '8',
        'meerjarenraming',
        'Vraagt eind 2020/begin 2021 een nieuwe prognose voor de jaarschijven 2021–2024.',
      ),
    ],
  },
  {
    municipality: '1978', // Molenlanden
    proposalId: 'soj-bw-2020',
    received: null,
    stance: 'instemmend',
    points: [
      pt(
        '1978',
        '1',
        'kostenbeheersing',
        'Waardeert € 6,6 mln in plaats van € 11,6 mln, maar noemt de kosten zeer zorgwekkend en vraagt de maatregelen (Nee, tenzij, budgetplafond, transformatieprojecten) met voorrang te intensiveren.',
      ),
      pt(
        '1978',
        '2',
        'lobby rijksmiddelen',
        'Vraagt dringend de druk op het Rijk voor een hogere rijksbijdrage te intensiveren.',
      ),
      pt(
        '1978',
        '3',
        'meerjarenraming',
        'Verwacht dat het bestuur met deskundigen (auditcommissie, aanjaagteam) uit de impasse van reëel begroten komt en vóór het jaareinde een herziene meerjarenbegroting ter zienswijze voorlegt.',
      ),
    ],
  },
  {
    municipality: '0590', // Papendrecht
    proposalId: 'soj-bw-2020',
    received: null,
    stance: 'instemmend-met-tegenzin',
    earlierViews: [
      { date: '2018-10-22', subject: 'eerdere zienswijze' },
      { date: '2019-11-07', subject: 'zienswijze op de begrotingswijzigingen SOJ 2019 en 2020' },
      { date: '2019-11-12', subject: 'eerdere zienswijze' },
      { date: '2020-06-11', subject: 'eerdere zienswijze' },
    ],
    points: [
      pt(
        '0590',
        '1',
        'realistische begroting',
        'Stemt in bij gebrek aan keus, wil een realistische begroting en geen wensbegroting, en vindt dat zienswijzen elkaar zo snel opvolgen dat ze aan waarde verliezen.',
      ),
      pt(
        '0590',
        '2',
        'sturing op maatregelen',
        'Vraagt het bestuur met deskundigen (auditcommissie, aanjaagteam) uit de impasse van reëel begroten en kostenbeheersing te komen, met resultaten vóór het jaareinde.',
      ),
      pt(
        '0590',
        '3',
        'kostenbeheersing',
        'Vraagt vóór het jaareinde een aanzet tot afbakening en definitie van jeugdhulp in de regio.',
      ),
      pt(
        '0590',
        '4',
        'lobby rijksmiddelen',
        'Wil via de nota van reactie horen welke concrete stappen het bestuur zet in de landelijke lobby over de tekorten.',
      ),
      pt(
        '0590',
        '5',
        'procedure',
        'Vat samen: een voorstel tegen de "deflatie" van zienswijzen, procedurevoorstellen voor reëel begroten en voor de afbakening van jeugdhulp, en een overzicht van lobbystappen.',
      ),
    ],
  },
  {
    municipality: '0610', // Sliedrecht
    proposalId: 'soj-bw-2020',
    received: null,
    stance: 'instemmend-met-tegenzin',
    points: [
      pt(
        '0610',
        '1',
        'realistische begroting',
        'Waardeert de tijdige Burap en de trendbreuk, vindt de verdere stijging zorgwekkend en stemt met tegenzin in om hulp beschikbaar te houden.',
      ),
      pt(
        '0610',
        '2',
        'kostenbeheersing',
        'Veel maatregelen komen niet van de grond en de Nee, tenzij-regeling geldt nog ongewijzigd; verwacht vóór het jaareinde maatregelen met effect op de kosten.',
      ),
      pt(
        '0610',
        '3',
        'corona',
        'Steunt compensatie van inkomstenderving van aanbieders, maar vraagt na te gaan of die er werkelijk is nu de kosten 2020 hoger zijn dan in 2019.',
      ),
      pt(
        '0610',
        '4',
        'realistische begroting',
        'Vraagt wat het DB onder een realistische begroting verstaat en of de gewijzigde begroting realistisch is nu het AB er € 5 mln van afhaalde.',
      ),
      pt(
        '0610',
        '5',
        'procedure',
        'Roept op de raden bij zienswijzen steeds voldoende tijd te geven om het debat voor te bereiden en te voeren.',
      ),
      pt(
        '0610',
        '6',
        'sturing op maatregelen',
        'Roept de gemeenten op met de afgesproken opdrachten aan de slag te gaan en elkaar daarvoor de ruimte te geven.',
      ),
    ],
  },
  {
    municipality: '0642', // Zwijndrecht
    proposalId: 'soj-bw-2020',
    received: null,
    stance: 'instemmend-hoger-bedrag',
    notes: ['De brief van de Werkgroep Jeugd is deel van de zienswijze.'],
    points: [
      pt(
        '0642',
        '1',
        'realistische begroting',
        'Stemt door het type regeling noodgedwongen in, maar stelt voor de wijziging op de verwachte € 11,6 mln vast te stellen omdat € 6,6 mln niet realistisch is.',
      ),
      pt(
        '0642',
        '2a',
        'procedure',
        'Zorgen over de haalbaarheid van de taakstellingen; zienswijzen volgen elkaar zo snel op en worden zo vaak voor kennisgeving aangenomen dat ze aan waarde verliezen.',
      ),
      pt(
        '0642',
        '2b',
        'sturing op maatregelen',
        'Verwacht dat het bestuur met deskundigen (auditcommissie, aanjaagteam) het gesprek over reëel begroten en kostenbeheersing aangaat, met resultaten vóór het jaareinde.',
      ),
      pt(
        '0642',
        '2c',
        'kostenbeheersing',
        'Wil zelf onderzoeken of jeugdhulp in de inkoop 2022 en verder scherper kan worden gedefinieerd om het gebruik te sturen.',
      ),
      pt(
        '0642',
        '2d',
        'informatievoorziening',
        'Wil schriftelijk en via rapportages op de hoogte worden gehouden van de stappen die het bestuur zet.',
      ),
      pt(
        '0642',
        '3',
        'lobby rijksmiddelen',
        'Verwacht zichtbare inzet voor de landelijke lobby over de tekorten en wil weten welke concrete stappen worden gezet.',
      ),
      pt(
        '0642',
        '4',
        'procedure',
        'De brief van de Werkgroep Jeugd hoort bij de zienswijze; de raad verwacht de reactie van het bestuur binnen 3 maanden.',
      ),
      ...wgZwijndrecht.points,
    ],
  },
];

const REACTIONS: Reaction[] = [
  // Alblasserdam
  re(
    '0482-1',
    'kennisgenomen',
    `Begrip voor de reactie: grote taakstellingen met onvoldoende harde maatregelen leidden tot deze situatie. ${R.prudent}`,
  ),
  re(
    '0482-2',
    'overgenomen',
    `Voor de resultaatgerichte houding is de werkgroep ‘Focus en resultaten jeugdhulp ZHZ’ ingesteld; voor strategische sturing wordt een structurele inrichting bekeken, met een rol voor het netwerk MTplus.`,
  ),
  re('0482-3', 'kennisgenomen', R.maatregelenBijGemeenten),
  re('0482-4a', 'niet', R.nietDoorgevoerd),
  re('0482-4b', 'niet', 'Zie de reactie op punt 4a.'),
  re(
    '0482-4c',
    'overgenomen',
    'De SOJ werkt met gemeenten en Stichting Jeugdteams in de werkgroep ‘Focus en resultaten jeugdhulp ZHZ’; het Aanjaagteam rapporteert in zijn volgende tussenbericht over de voortgang.',
  ),
  re(
    '0482-4d',
    'deels',
    'De begrotingswijziging 2020 bevat extra SOJ-budget voor het inkoopproces: bekostigings- en sturingsmodellen, het normenkader en de tijdelijke aanscherping van Nee, tenzij 2021.',
  ),
  re(
    '0482-4e',
    'niet',
    'De provincie accepteerde besparingen die in 2023 € 2,0 mln hoger uitkomen, maar tijdige uitvoering en effect zijn onzeker; een substantiële risicomarge is verstandig en controllers achten 100% realisatie onwaarschijnlijk.',
  ),
  re('0482-5', 'deels', `${R.spanningsveld} Zie ook de reacties op punten 4a en 1.`),
  re(
    '0482-6',
    'overgenomen',
    `${R.informatie} De rapportage t/m september 2020 bevat ook de financiële impact van de coronacrisis.`,
  ),
  re(
    '0482-7',
    'deels',
    `Het AB besloot de begrotingswijziging 2021 bij de 2e Burap (AB 12-11-2020) te behandelen. ${R.lobby}`,
  ),
  re(
    '0482-8',
    'overgenomen',
    'Het DB deelt dit standpunt; de SOJ zet zich in via de projecten uit het Transformatiefonds en de maatregelen uit Omdenknotitie en Aanjaagplan.',
  ),
  re(
    '0482-9',
    'niet',
    'Zie de reactie op punt 4a; de begrotingswijziging 2021 wordt bij de 2e Burap (AB 12-11-2020) behandeld.',
  ),
  re(
    '0482-10',
    'overgenomen',
    'Zie de reactie op punt 4c; het DB waardeert de lokale inspanningen en nodigt uit de resultaten met de regio te delen.',
  ),
  re('0482-11', 'deels', `${R.informatie} ${R.april2021} Zie de reactie op punt 4e.`),
  // Dordrecht
  re('0505-1', 'niet', `${R.spanningsveld} ${R.maatregelenBijGemeenten}`),
  re(
    '0505-2',
    'kennisgenomen',
    'Het DB zet zich hiervoor in met gemeenten en Stichting Jeugdteams en sluit aan bij het signaal van het Aanjaagteam over focus, prioritering en tempo.',
  ),
  re(
    '0505-3',
    'deels',
    `De Overdenkingen worden beantwoord; ${R.lobby} De begrotingswijziging 2021 met meerjarenraming volgt in het AB van 12-11-2020.`,
  ),
  ...wgDordrecht.reactions,
  // Gorinchem
  re('0512-1', 'kennisgenomen', `Dank voor de steun. ${R.maatregelenBijGemeenten} ${R.werkgroep}`),
  // Hardinxveld-Giessendam
  re('0523-1', 'kennisgenomen', `${R.spanningsveld} ${R.maatregelenBijGemeenten}`),
  re(
    '0523-2',
    'kennisgenomen',
    'Begrip voor de zorgen; de reductiedoelstelling is alleen haalbaar als gemeenten, Stichting Jeugdteams en SOJ de maatregelen uitvoeren.',
  ),
  re(
    '0523-3',
    'kennisgenomen',
    'Nauwe samenwerking is nodig; het DB waardeert de lokale inspanningen en nodigt uit de resultaten te delen.',
  ),
  re('0523-4', 'overgenomen', `${R.informatie} ${R.april2021}`),
  re('0523-5', 'deels', R.lobby),
  // Hendrik-Ido-Ambacht
  re(
    '0531-1',
    'overgenomen',
    `${R.geenBoeggolf} ${R.coronaGezinnen} ${R.omzetderving} Omzetderving zelf wordt niet apart door het Rijk vergoed, omdat het gemeentefonds al op het reguliere kostenniveau rust.`,
  ),
  re(
    '0531-2',
    'deels',
    'Waardevol voorstel; het wordt mogelijk gekoppeld aan het tussentijdse meerjarenperspectief dat onder leiding van de directeur Maatschappelijke Ontwikkeling van Dordrecht wordt bekeken.',
  ),
  re('0531-3', 'niet', `Begrip voor de teleurstelling. ${R.nietDoorgevoerd}`),
  re(
    '0531-4',
    'overgenomen',
    'Het DB steunt de oproep om beleid te herijken en de leidende principes uit de Omdenknotitie gezamenlijk vorm te geven.',
  ),
  re('0531-5', 'deels', `${R.werkgroep} De voortgang van de maatregelen wordt in de begrotingscyclus meegenomen.`),
  // Hoeksche Waard
  re('1963-1', 'kennisgenomen', `Dank voor de steun. ${R.maatregelenBijGemeenten}`),
  re('1963-2', 'overgenomen', `${R.informatie} ${R.omzetderving}`),
  re(
    '1963-3',
    'kennisgenomen',
    'De begrotingswijziging 2021 wordt bij de 2e Burap (AB 12-11-2020) behandeld; gemeenten, Stichting Jeugdteams en SOJ werken samen aan de maatregelen.',
  ),
  re('1963-4', 'deels', `De SOJ zet zich in via het Transformatiefonds en de maatregelen; ${R.deskundigen}`),
  re('1963-5', 'overgenomen', R.werkgroep),
  re(
    '1963-6',
    'deels',
    `${R.informatie} Een kwartaalrapportage met vergelijking tussen gemeenten wordt niet toegezegd.`,
  ),
  re('1963-7', 'overgenomen', R.analyses),
  re('1963-8', 'deels', `${R.informatie} ${R.april2021}`),
  // Molenlanden
  re('1978-1', 'deels', `${R.nietDoorgevoerd} ${R.maatregelenBijGemeenten}`),
  re('1978-2', 'deels', R.lobby),
  re(
    '1978-3',
    'deels',
    `${R.spanningsveld} ${R.deskundigen} De primaire meerjarenbegroting komt vóór 15-04-2021 ter zienswijze, niet vóór het jaareinde.`,
  ),
  // Papendrecht
  re('0590-1', 'kennisgenomen', `Begrip voor de zorgen. ${R.prudent} ${R.maatregelenBijGemeenten}`),
  re('0590-2', 'deels', `${R.spanningsveld} ${R.deskundigen}`),
  re(
    '0590-3',
    'niet',
    'Dit is een project uit het Aanjaagplan waarvan gemeenten trekker zijn; de SOJ ondersteunt waar mogelijk.',
  ),
  re('0590-4', 'deels', R.lobby),
  re(
    '0590-5',
    'deels',
    'Zie de reacties op punten 1 tot en met 4; op het voorstel tegen de "deflatie" van zienswijzen gaat de reactie niet apart in.',
  ),
  // Sliedrecht
  re('0610-1', 'kennisgenomen', 'Begrip voor de zorgen en de tegenzin; dank voor de steun.'),
  re('0610-2', 'niet', `${R.nietDoorgevoerd} ${R.maatregelenBijGemeenten}`),
  re('0610-3', 'overgenomen', R.omzetderving),
  re('0610-4', 'deels', `${R.spanningsveld} ${R.prudent}`),
  re(
    '0610-5',
    'deels',
    'Het DB gaat uit van de wettelijke termijn van 8 weken en houdt waar mogelijk rekening met vakanties; het wetsvoorstel Wgr (35513) rekt de termijn op tot 12 weken, toe te passen zodra de wet is gewijzigd.',
  ),
  re('0610-6', 'overgenomen', 'Het DB onderschrijft de oproep: alleen samen lukt het grip op de jeugdhulp te krijgen.'),
  // Zwijndrecht
  re('0642-1', 'niet', `${R.spanningsveld} ${R.maatregelenBijGemeenten}`),
  re(
    '0642-2a',
    'kennisgenomen',
    `${R.prudent} Het AB weegt alle zienswijzen en besluit bij meerderheid; ze worden niet voor kennisgeving aangenomen.`,
  ),
  re('0642-2b', 'deels', `${R.prudent} ${R.deskundigen}`),
  re(
    '0642-2c',
    'overgenomen',
    'Dit is een project uit het Aanjaagplan waarvan gemeenten trekker zijn; de SOJ ondersteunt graag.',
  ),
  re(
    '0642-2d',
    'overgenomen',
    `${R.werkgroep} De voortgang komt in de begrotingscyclus; onder leiding van de directeur MO van Dordrecht wordt een moment voor een geactualiseerd meerjarenperspectief bekeken.`,
  ),
  re('0642-3', 'deels', R.lobby),
  re('0642-4', 'kennisgenomen', 'Zie de reactie op de Overdenkingen van de werkgroep.'),
  ...wgZwijndrecht.reactions,
];

const COMMITMENTS: Commitment[] = [
  {
    id: 'maandrapportage',
    text: 'Maandrapportage per gemeente over de ontwikkeling van kosten en prognose',
    owner: 'SOJ',
    due: null,
    recurrence: 'maandelijks',
    origin: 'toegezegd',
    fromPoints: ['0482-6', '0523-4', '1963-6', '0531-1'],
    status: 'lopend',
    source: SEED002_SOURCE,
  },
  {
    id: 'a4-dashboard',
    text: 'Samenvattend dashboard op één A4 per gemeente over kosten en prognose',
    owner: 'SOJ',
    due: null,
    recurrence: 'maandelijks',
    origin: 'toegezegd',
    fromPoints: ['0482-6', '0523-4', '1963-6'],
    status: 'lopend',
    source: SEED002_SOURCE,
  },
  {
    id: 'corona-in-rapportage-sep-2020',
    text: 'Financiële impact van de coronacrisis opnemen in de maandrapportage t/m september 2020',
    owner: 'SOJ',
    due: null,
    dueNote: 'rapportage t/m september 2020',
    origin: 'toegezegd',
    fromPoints: ['0482-6', '1963-2'],
    status: 'open',
    source: SEED002_SOURCE,
  },
  {
    id: 'burap2-2020',
    text: '2e Bestuursrapportage 2020 met prognose 2020, corona-impact, begrotingswijziging 2021 en meerjarenraming',
    owner: 'DB DG&J / SOJ',
    due: '2020-11-12',
    dueNote: 'in het AB',
    origin: 'toegezegd',
    fromPoints: ['0482-6', '0482-7', '0482-11', '1963-2', '1963-8', '0505-3'],
    status: 'open',
    source: SEED002_SOURCE,
  },
  {
    id: 'voorlopige-kosten-2020',
    text: 'Gemeenten informeren over de voorlopige werkelijke kosten 2020 (na de productieverantwoordingen van maart 2021)',
    owner: 'SOJ',
    due: '2021-04-14',
    dueNote: 'vóór 15-04-2021',
    origin: 'toegezegd',
    fromPoints: ['0482-11', '0523-4', '1963-8'],
    status: 'open',
    source: SEED002_SOURCE,
  },
  {
    id: 'meerjarenbegroting-2022',
    text: 'Volgende primaire meerjarenbegroting (meerjarenprognose) ter zienswijze aan gemeenten',
    owner: 'DB DG&J / SOJ',
    due: '2021-04-14',
    dueNote: 'vóór 15-04-2021',
    origin: 'toegezegd',
    fromPoints: ['0482-11', '1963-8', '1978-3', '0505-3'],
    status: 'open',
    source: SEED002_SOURCE,
  },
  {
    id: 'moment-meerjarenperspectief',
    text: 'Bepalen van een geschikt tussentijds moment voor een geactualiseerd meerjarenperspectief in de beleidscyclus van de gemeenten',
    owner: 'Directeur Maatschappelijke Ontwikkeling, gemeente Dordrecht',
    due: null,
    origin: 'toegezegd',
    fromPoints: ['0531-2', '0531-5', '0642-2d'],
    status: 'open',
    source: SEED002_SOURCE,
  },
  {
    id: 'analyses-lokale-kostenbeheersing',
    text: 'Aanbod aan elke gemeente: analyses van klantreizen, verwijsroutes en de meest complexe en kostbare cliënten',
    owner: 'SOJ',
    due: null,
    origin: 'toegezegd',
    fromPoints: ['1963-7', '0505-wg3', '0642-wg3'],
    status: 'open',
    source: SEED002_SOURCE,
  },
  {
    id: 'indicatoren-werkgroep',
    text: 'Beperkt aantal indicatoren (kpi’s) met tijdpad benoemen en monitoren',
    owner: 'Werkgroep Focus en resultaten jeugdhulp ZHZ (Aanjaagteam)',
    due: null,
    origin: 'toegezegd',
    fromPoints: ['0482-4c', '0482-10', '1963-5', '0531-5'],
    status: 'open',
    source: SEED002_SOURCE,
  },
  {
    id: 'tussenbericht-aanjaagteam',
    text: 'Rapporteren over de voortgang van de maatregelen in het eerstvolgende tussenbericht',
    owner: 'Aanjaagteam',
    due: null,
    origin: 'toegezegd',
    fromPoints: ['0482-4c'],
    status: 'open',
    source: SEED002_SOURCE,
  },
  {
    id: 'omzetderving-vaststellen',
    text: 'Omzetderving maart–juni 2020 per aanbieder vaststellen: gemiddelde gevalideerde omzet 2019 min gevalideerde omzet van de maand (zie `grip corona`)',
    owner: 'SOJ',
    due: null,
    origin: 'toegezegd',
    fromPoints: ['0610-3', '1963-2', '0531-1', '0505-wg4', '0642-wg4'],
    status: 'open',
    source: SEED002_SOURCE,
  },
  {
    id: 'corona-langetermijn',
    text: 'Onderzoeken of de coronacrisis langetermijneffecten heeft, eventueel via het cliëntervaringsonderzoek',
    owner: 'SOJ',
    due: '2021-12-31',
    dueNote: '"in het komende jaar"',
    origin: 'toegezegd',
    fromPoints: ['0531-1', '0505-wg5', '0642-wg5'],
    status: 'open',
    source: SEED002_SOURCE,
  },
  {
    id: 'motie-alblasserdam',
    text: 'Nagekomen motie van Alblasserdam apart agenderen voor het Algemeen Bestuur',
    owner: 'DB DG&J',
    due: null,
    origin: 'toegezegd',
    fromPoints: [],
    status: 'open',
    source: SEED002_SOURCE,
  },
  {
    id: 'kwartaalrapportage-vergelijking',
    text: 'Kwartaalrapportage over voortgang en prognoses van de bestedingen, met trends en vergelijking met andere gemeenten',
    owner: 'SOJ en Stichting Jeugdteams',
    due: null,
    recurrence: 'per kwartaal',
    origin: 'gevraagd',
    fromPoints: ['1963-6'],
    status: 'open',
    source: SEED002_SOURCE,
  },
  {
    id: 'prognose-jaarschijven-2021-2024',
    text: 'Nieuwe prognose voor de jaarschijven 2021–2024',
    owner: 'SOJ',
    due: null,
    dueNote: 'gevraagd: eind 2020/begin 2021; beantwoord met 2e Burap en primaire meerjarenbegroting',
    origin: 'gevraagd',
    fromPoints: ['0482-11', '1963-8'],
    status: 'open',
    source: SEED002_SOURCE,
  },
  {
    id: 'overzicht-lokale-maatregelen',
    text: 'Tijdlijnen van lokale en regionale maatregelen periodiek delen, gekoppeld aan de P&C-cyclus',
    owner: 'Gemeenten, SOJ en Stichting Jeugdteams',
    due: null,
    origin: 'gevraagd',
    fromPoints: ['0531-2'],
    status: 'open',
    source: SEED002_SOURCE,
  },
  {
    id: 'deskundigen-reeel-begroten',
    text: 'Resultaten van het gesprek met deskundigen (auditcommissie, aanjaagteam) over reëel begroten en kostenbeheersing',
    owner: 'DB DG&J',
    due: '2020-12-31',
    dueNote: 'gevraagd: vóór het eind van het jaar',
    origin: 'gevraagd',
    fromPoints: ['0590-2', '0642-2b', '1978-3'],
    status: 'open',
    source: SEED002_SOURCE,
  },
  {
    id: 'definitie-jeugdhulp',
    text: 'Aanzet tot afbakening en definitie van jeugdhulp in de regio',
    owner: 'Gemeenten (project Aanjaagplan)',
    due: '2020-12-31',
    dueNote: 'gevraagd: vóór het eind van het jaar',
    origin: 'gevraagd',
    fromPoints: ['0590-3', '0642-2c'],
    status: 'open',
    source: SEED002_SOURCE,
  },
];

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}

export const SEED002_CASE: DecisionCase = deepFreeze({
  proposal: {
    id: 'soj-bw-2020',
    title: 'Begrotingswijziging 2020 Serviceorganisatie Jeugd ZHZ (bij de 1e Bestuursrapportage 2020)',
    kind: 'begrotingswijziging',
    budgetYear: 2020,
    amountCents: 660_000_000,
    split: [],
    splitNote: 'De verdeling van de € 6,6 mln over de gemeenten staat niet in de bron.',
    linkedFigures: [
      {
        label: 'Verwachte kostenstijging 2020 (1e Burap)',
        value: { kind: 'cents', cents: 1_160_000_000 },
        asOf: '2020-07-15',
        source: SEED002_SOURCE,
      },
      {
        label: 'Afslag door het AB om druk op de uitgaven te houden',
        value: { kind: 'cents', cents: 500_000_000 },
        asOf: '2020-07-15',
        source: SEED002_SOURCE,
      },
      {
        label: 'Stijging zorgvraag 2020 t.o.v. 2019 (1e Burap)',
        value: { kind: 'percent', percent: 3 },
        asOf: '2020-07-15',
        source: SEED002_SOURCE,
      },
      {
        label: 'Stijging zorgvraag een jaar eerder (2019)',
        value: { kind: 'percent', percent: 15 },
        asOf: '2020-07-15',
        source: SEED002_SOURCE,
      },
      {
        label: 'Door de provincie geaccepteerde besparing 2023 boven het meerjarenperspectief',
        value: { kind: 'cents', cents: 200_000_000 },
        asOf: null,
        source: SEED002_SOURCE,
      },
      {
        label: 'Kosten 2e Burap t.o.v. 1e Burap',
        value: { kind: 'percent', percent: 0.9 },
        asOf: '2020-11-12',
        source: SEED002_SOURCE,
      },
    ],
    documents: [
      { title: '1e Bestuursrapportage 2020 SOJ met voorstel tot begrotingswijziging', date: '2020-07-15' },
      { title: '1e Tussenbericht Aanjaagteam Omdenken Jeugdhulp (juni 2020)', date: null },
      {
        title: 'Overdenkingen Regionale Werkgroep Jeugd (bij de zienswijzen van Dordrecht en Zwijndrecht)',
        date: null,
      },
      { title: 'Concept-nota van reactie zienswijzen begrotingswijziging SOJ 2020', date: null },
      { title: 'Brief DB DG&J aan de colleges over het besluit van het AB', date: null },
    ],
    sentForViewOn: '2020-07-15',
    decidedByAbOn: '2020-11-12',
    source: SEED002_SOURCE,
  },
  zienswijzen: ZIENSWIJZEN,
  nota: {
    proposalId: 'soj-bw-2020',
    treatedByAbOn: '2020-11-12',
    sentOn: null,
    reactions: REACTIONS,
    statusBasis: 'aanname',
  },
  vote: {
    proposalId: 'soj-bw-2020',
    body: 'AB',
    date: '2020-11-12',
    votes: SEED002_MEMBERS.map((m) => ({
      municipality: m,
      choice: m === '0482' ? 'tegen' : 'voor',
      basis: m === '0482' ? 'bron' : 'aanname',
    })),
    recordedResult: 'aangenomen',
  },
  commitments: COMMITMENTS,
  members: [...SEED002_MEMBERS],
  source: SEED002_SOURCE,
} satisfies DecisionCase);
