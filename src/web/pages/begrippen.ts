/**
 * Begrippen (`/begrippen`): one definition per term used on the pages, reports and exports. Figure labels
 * link here (`term()` in layout.ts) with the term's anchor, so a reader can always look up what a number means.
 */
import { VIEWERS } from '../../access/policy.js';
import { getPage } from '../route.js';
import { page, reqPath } from '../layout.js';
import { html, joinHtml } from '../html.js';
import type { WebContext } from '../server.js';

/** Anchor → term and its one definition (Dutch). The anchors are what `term()` links to. */
export const TERMS: Record<string, { term: string; definition: string }> = {
  kosten: {
    term: 'Kosten',
    definition:
      "Het netto gedeclareerde bedrag (debet − credit) voor jeugdhulp, toegerekend aan de productiemaand. Afgerond op hele euro's; in exports tot op de cent.",
  },
  productiemaand: {
    term: 'Productiemaand',
    definition:
      'De maand waarin de zorg is geleverd (uit de productperiode van de declaratieregel). Kosten horen bij de productiemaand, niet bij de maand waarin ze zijn gedeclareerd.',
  },
  declaratiemaand: {
    term: 'Declaratiemaand',
    definition:
      'De maand waarin de aanbieder declareerde (de dagtekening van de declaratie). Zorg wordt vaak weken of maanden later gedeclareerd.',
  },
  'stand-per': {
    term: 'Stand per',
    definition: 'De datum van de laatste verwerkte declaratie. Wat daarna is gedeclareerd, telt nog niet mee.',
  },
  'kosten-tot-nu': {
    term: 'Kosten tot nu',
    definition: 'De kosten van het jaar die op de standdatum zijn gedeclareerd.',
  },
  'nog-niet-gedeclareerd': {
    term: 'Nog niet gedeclareerd (schatting)',
    definition:
      'Zorg die al is geleverd maar nog niet is gedeclareerd, geschat uit hoe snel eerdere maanden volledig werden gedeclareerd (chain ladder; voor de nieuwste maanden Bornhuetter–Ferguson). In grafieken gearceerd.',
  },
  'resterende-maanden': {
    term: 'Resterende maanden',
    definition:
      'De verwachte kosten van de maanden van het jaar die nog moeten komen: het recente niveau × het seizoenspatroon × een gedempte trend.',
  },
  prognose: {
    term: 'Prognose jaareinde',
    definition: 'Kosten tot nu + nog niet gedeclareerd + resterende maanden: wat het hele jaar naar verwachting kost.',
  },
  interval: {
    term: '80%-interval',
    definition:
      'De bandbreedte rond de prognose waarbinnen de uitkomst met 80% kans valt (ondergrens p10, bovengrens p90); getoetst op eerdere jaren.',
  },
  'vorig-jaar': {
    term: 'Vorig jaar',
    definition:
      'De kosten van het hele vorige jaar zoals nu bekend. "Zelfde moment vorig jaar" is even ver in het jaar en even ver gedeclareerd.',
  },
  jeugdigen: {
    term: 'Jeugdigen',
    definition: 'Inwoners van 0 tot en met 17 jaar (CBS), de noemer van alle cijfers "per 1.000 jeugdigen".',
  },
  'prognose-per-1000': {
    term: 'Prognose per 1.000 jeugdigen',
    definition:
      'Prognose jaareinde × 1.000 ÷ jeugdigen (Overzicht). Met een filter op categorie of aanbieder, waar geen prognose is: kosten per 1.000 jeugdigen.',
  },
  'kosten-per-1000': {
    term: 'Kosten per 1.000 jeugdigen',
    definition:
      'Kosten × 1.000 ÷ jeugdigen (Vergelijken): de gedeclareerde kosten van het jaar tot nu, niet de prognose.',
  },
  clienten: {
    term: 'Cliënten',
    definition:
      'Verschillende personen (gepseudonimiseerd) met ten minste één declaratieregel in de periode. Per gemeente geteld: wie in twee gemeenten zorg kreeg, telt in beide.',
  },
  'kosten-per-client': { term: 'Kosten per cliënt', definition: 'Kosten ÷ cliënten in dezelfde periode.' },
  begroting: {
    term: 'Begroting',
    definition:
      'De primitieve begroting plus alle begrotingswijzigingen met een besluitdatum tot nu. Niets wordt overschreven: elke versie blijft zichtbaar.',
  },
  'prognose-begroting': {
    term: 'Prognose − begroting',
    definition:
      'Het verwachte verschil aan het eind van het jaar. Positief (rood): een verwachte overschrijding; negatief (groen): een verwachte onderschrijding.',
  },
  tekort: {
    term: 'Tekort: eigen resultaat, aandeel en reservering',
    definition:
      'Eigen resultaat = de eigen prognose min de eigen begroting. Aandeel = het deel van het resultaat van de hele regio (som van de prognoses min som van de begrotingen) naar de verdeelsleutel; dat is wat de gemeente bijdraagt. Ze verschillen doordat de eigen begroting en prognose een ander deel van die van de regio zijn dan de sleutel. Reservering = wat de gemeente voor haar aandeel heeft gereserveerd (de laatste vóór de peildatum); aandeel min reservering is de tegenvaller (of meevaller) waarmee nog rekening moet worden gehouden.',
  },
  betrouwbaarheid: {
    term: 'Betrouwbaarheid van de prognose',
    definition:
      'Terugtoets: de prognose die op hetzelfde moment in eerdere jaren was gemaakt, vergeleken met de uitkomst. Gemiddelde afwijking in procenten, naast die van simpel doortrekken (de kosten tot nu × 12 ÷ het aantal maanden).',
  },
  kostendrijvers: {
    term: 'Volume, intensiteit, prijs',
    definition:
      'Kosten = cliënten (volume) × eenheden per cliënt (intensiteit) × prijs per eenheid, per product. Het verschil tussen twee perioden wordt exact over de drie verdeeld (log-mean Divisia); de delen tellen op tot het verschil. De raad ziet alleen cliënten × kosten per cliënt, uit de gepubliceerde cijfers: de verdeling per product zou kleine aantallen teruggeven.',
  },
  'even-ver': {
    term: 'Even ver gedeclareerd',
    definition:
      'Twee perioden vergeleken zoals elk bekend was op hetzelfde moment na afloop, zodat de nieuwste niet lager lijkt omdat er nog declaraties komen: de nieuwste gedeclareerd tot en met de laatste declaratiedatum, vorig jaar tot en met dezelfde dag een jaar eerder (het einde van een maand telt als het einde van die maand, dus 28-02-2029 als 29-02-2028). Niet voor de raad: een eerdere stand geeft samen met de huidige kleine aantallen terug; de raad vergelijkt met vorig jaar zoals nu bekend.',
  },
  'bijzondere-casus': {
    term: 'Bijzondere casus',
    definition:
      'Een gezin met ten minste 3 kinderen (instelbaar) die uit huis zijn geplaatst (verblijf, categorie 43/44). Alleen voor analisten, op cliëntniveau; elke inzage wordt vastgelegd.',
  },
  'nieuwe-client': {
    term: 'Nieuwe cliënt',
    definition: 'Een cliënt van wie de eerste zorg bij de gemeente in de periode begint.',
  },
  terugkeer: {
    term: 'Terugkeer',
    definition: 'Nieuwe zorg binnen 12 maanden nadat een cliënt de zorg verliet (zonder andere zorg binnen 31 dagen).',
  },
  afgeschermd: {
    term: 'Afgeschermd',
    definition:
      'Voor de raad en partners: aantallen onder de 10 cliënten worden niet getoond ("<10" of *), andere aantallen afgerond op 5, en cellen waaruit een verborgen cel af te leiden is, worden ook verborgen.',
  },
};

export function registerBegrippen({ app }: WebContext): void {
  getPage(app, '/begrippen', { rule: { roles: VIEWERS } }, async ({ req, v }) => {
    const items = joinHtml(
      Object.entries(TERMS).map(([id, t]) => html`<dt id="${id}">${t.term}</dt><dd>${t.definition}</dd>`),
      '',
    );
    return page(
      v.user,
      'Begrippen',
      html`<h1>Begrippen</h1><p class="note">Eén definitie per begrip, zoals Grip het overal gebruikt: op de pagina's, in de A4 en maandrapportage en in de exports. Bedragen in euro's, data als dd-mm-jjjj, tijden in Nederlandse tijd.</p>
<dl class="terms">${items}</dl>`,
      { path: reqPath(req) },
    );
  });
}
