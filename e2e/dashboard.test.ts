/**
 * End to end in real Chromium (Debian's /usr/bin/chromium driven by playwright-core): log in, open the
 * region overview, click through to a municipality, drill down, change a filter, and check that the
 * figures on screen equal the warehouse's. Screenshots of every page go to artifacts/e2e/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { generateRegion } from '../src/generate/index.js';
import { importInto, openTestWarehouse, tempDir } from '../src/ingest/testing/fixtures.js';
import { formatEuroRounded } from '../src/domain/money.js';
import { at } from '../src/domain/indexing.js';
import { PRODUCT_CATEGORIES } from '../src/domain/codes/index.js';
import type { Warehouse } from '../src/warehouse/warehouse.js';
import { buildApp } from '../src/web/server.js';
import { TEST_PASSWORD, addTestUser, login } from '../src/web/testing.js';
import type { Manifest } from '../src/generate/index.js';
import { loadDemoSteering } from '../src/cli/commands/demo.js';
import { createRequire } from 'node:module';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** WCAG 2.1 A/AA violations axe-core finds on the page: rule, number of elements, the first element. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const axe = (
      window as unknown as {
        axe: {
          run(ctx: Document, o: object): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }>;
        };
      }
    ).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => `${v.id} ×${v.nodes.length} (${JSON.stringify(v.nodes[0]?.target)})`);
  }, WCAG_AA);
}

const SHOTS = join(process.cwd(), 'artifacts', 'e2e');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let w: Warehouse;
let app: FastifyInstance;
let browser: Browser;
let base: string;
let manifest: Manifest;

beforeAll(async () => {
  mkdirSync(join(SHOTS, 'breedte'), { recursive: true });
  const dir = tempDir('grip-e2e-');
  manifest = await generateRegion({
    outDir: dir,
    years: [2024, 2025],
    seed: 5,
    scale: 'small',
    format: 'xml',
    cutoff: '2025-08-31',
  });
  w = await openTestWarehouse();
  await importInto(w, [dir]);
  await addTestUser(w, 'analist', 'regio');
  await addTestUser(w, 'raadslid', 'raad');
  await addTestUser(w, 'beheer', 'beheerder');
  await addTestUser(w, 'alblasserdam', 'gemeente', ['0482']);
  await addTestUser(w, 'partner', 'partner');
  // The example budgets, measures and KPI figures the demo loads: the steering pages show full tables.
  await loadDemoSteering(w, manifest);
  app = buildApp({ warehouse: w });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed before opening them */
  await browser?.close();
  await app?.close();
  await w?.close();

  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
});

async function loginAs(username: string, landing = '/', opts: { bypassCSP?: boolean } = {}): Promise<Page> {
  // bypassCSP only where axe-core is injected (an inline script the app's CSP rightly refuses).
  const ctx = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'nl-NL',
    bypassCSP: opts.bypassCSP ?? false,
  });
  const page = await ctx.newPage();
  await page.goto(`${base}/`);
  expect(page.url()).toContain('/login');
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Wachtwoord').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(`${base}${landing}`);
  return page;
}

const cellText = async (page: Page, rowName: string, col: number) =>
  (
    await page
      .locator('table')
      .first()
      .locator('tbody tr', { has: page.locator('th', { hasText: rowName }) })
      .locator('td')
      .nth(col)
      .innerText()
  ).trim();

describe('dashboard in Chromium', () => {
  it("API: costs per municipality and year equal the generator's own totals of what it declared", async () => {
    const s = await login(app, 'analist');
    const rows = (await s.get('/api/costs?by=municipality,year')).json<
      { municipality: string; year: string; amountCents: number }[]
    >();
    const expected = Object.entries(manifest.declaredByCutoff).flatMap(([municipality, years]) =>
      Object.entries(years)
        .filter(([, c]) => c !== 0)
        .map(([year, amountCents]) => ({ municipality, year, amountCents })),
    );
    expect(
      rows
        .map(({ municipality, year, amountCents }) => ({ municipality, year, amountCents }))
        .sort((a, b) => (a.municipality + a.year).localeCompare(b.municipality + b.year)),
    ).toEqual(expected.sort((a, b) => (a.municipality + a.year).localeCompare(b.municipality + b.year)));
  });

  it('overview → municipality → drill-down → filter, with the warehouse figures on screen', async () => {
    const page = await loginAs('analist');
    expect((await page.locator('h1').innerText()).trim()).toBe('Regio-overzicht 2025');
    await page.screenshot({ path: join(SHOTS, '1-overzicht.png'), fullPage: true });
    const costs = await w.costs({ by: ['municipality'], year: 2025 });
    const alb = costs.find((c) => c.municipality === '0482')!;
    expect(await cellText(page, 'Alblasserdam', 0)).toBe(formatEuroRounded(alb.amountCents));

    await page.getByRole('link', { name: 'Alblasserdam' }).click();
    await page.waitForURL(/\/gemeente\/0482/);
    expect((await page.locator('h1').innerText()).trim()).toBe('Alblasserdam — 2025');
    expect((await page.locator('.card .v').first().innerText()).trim()).toBe(formatEuroRounded(alb.amountCents));
    await page.screenshot({ path: join(SHOTS, '2-gemeente.png'), fullPage: true });

    // Drill down: the largest category → its products.
    const cats = (await w.costs({ by: ['category'], year: 2025, municipalities: ['0482'] })).sort(
      (a, b) => b.amountCents - a.amountCents,
    );
    const top = at(cats, 0);
    await page
      .getByRole('link', { name: `${top.category} ${PRODUCT_CATEGORIES[top.category!]}` })
      .first()
      .click();
    await page.waitForURL(/uitsplitsing/);
    expect(await page.locator('main p').first().innerText()).toContain(
      `Totaal in deze selectie: ${formatEuroRounded(top.amountCents)}`,
    );
    await page.screenshot({ path: join(SHOTS, '3-uitsplitsing.png'), fullPage: true });

    // Change a filter on the overview: the category filter stays in the URL and narrows the figures.
    await page.goto(`${base}/`);
    await page.getByLabel('Productcategorie').selectOption(top.category!);
    await page.getByRole('button', { name: 'Toon' }).click();
    await page.waitForURL(new RegExp(`category=${top.category}`));
    const filtered = (await w.costs({ by: ['municipality'], year: 2025, category: top.category })).find(
      (c) => c.municipality === '0482',
    )!;
    expect(await cellText(page, 'Alblasserdam', 0)).toBe(formatEuroRounded(filtered.amountCents));
    await page.screenshot({ path: join(SHOTS, '4-filter.png'), fullPage: true });

    await page.goto(`${base}/vergelijken`);
    expect(await page.locator('tfoot').innerText()).toContain('Regiogemiddelde');
    await page.screenshot({ path: join(SHOTS, '5-vergelijken.png'), fullPage: true });
    await page.context().close();
  }, 120_000);

  it('a council member sees no client counts below 10 and cannot reach declaration lines', async () => {
    const page = await loginAs('raadslid');
    const r = await page.goto(`${base}/gemeente/0482/regels?month=2025-03`);
    expect(r?.status()).toBe(403);
    expect((await page.locator('h1').innerText()).trim()).toBe('Geen toegang');
    await page.goto(`${base}/gemeente/0482/uitsplitsing?year=2025`);
    await page.screenshot({ path: join(SHOTS, '6-raad-uitsplitsing.png'), fullPage: true });
    const counts = await page.locator('table tbody td:nth-child(4)').allInnerTexts();
    for (const c of counts) expect(c === '<10' || Number(c.replace(/\./g, '')) % 5 === 0).toBe(true);
    await page.context().close();
  }, 60_000);
});

/** How far the page itself is wider than the window (0 when nothing scrolls sideways but inside a box). */
const pageOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/**
 * The tables that do not fit their sideways-scrolling box (`.tw`): their right-hand columns are out of view until
 * the reader scrolls the table. Each as "caption (+overflow px)".
 */
const cutOffTables = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.tw')]
      .filter((box) => box.scrollWidth > box.clientWidth + 1)
      .map((box) => {
        const caption = box.querySelector('caption')?.innerText ?? box.getAttribute('aria-label') ?? 'Tabel';
        return `${caption.replace(/\s+/g, ' ').trim().slice(0, 60)} (+${box.scrollWidth - box.clientWidth} px)`;
      }),
  );

describe('every page fits a 1280 px screen, no table is cut off, and it passes axe-core (WCAG 2.1 AA)', () => {
  it('the table check finds a table wider than its box, and not one that fits', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const cells = (n: number, text: string) => `<tr>${`<td style="white-space:nowrap">${text}</td>`.repeat(n)}</tr>`;
    await page.setContent(
      `<!doctype html><html lang="nl"><head><title>t</title><style>.tw{overflow-x:auto;max-width:1182px}table{border-collapse:collapse}</style></head><body>
<div class="tw"><table><caption>Te breed</caption>${cells(20, '€ 1.234.567')}</table></div>
<div class="tw"><table><caption>Past</caption>${cells(5, '€ 1.234.567')}</table></div></body></html>`,
    );
    expect(await cutOffTables(page)).toEqual([expect.stringMatching(/^Te breed \(\+\d+ px\)$/)]);
    await page.context().close();
  });

  it('the accessibility check finds what it should (missing text alternative, unlabelled field, low contrast, header-less table)', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.setContent(
      '<!doctype html><html lang="nl"><head><title>t</title></head><body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"><p style="color:#bbb;background:#fff">licht</p><table><tr><td>a</td></tr></table></main></body></html>',
    );
    const found = (await axeViolations(page)).map((v) => v.split(' ')[0]);
    expect(found).toEqual(expect.arrayContaining(['image-alt', 'label', 'color-contrast']));
    await page.context().close();
  });

  const ROLES: { username: string; landing: string; extra: string[] }[] = [
    {
      username: 'beheer',
      landing: '/',
      extra: [
        '/gemeente/0482',
        '/gemeente/0482/uitsplitsing?year=2025',
        '/gemeente/0482/uitsplitsing?year=2025&category=45&month=2025-03',
        '/gemeente/0482/regels?year=2025&month=2025-03',
        '/gemeente/0482/routes?year=2025',
        '/gemeente/0482/casussen?year=2025',
        '/gemeente/0482/a4',
      ],
    },
    {
      username: 'analist',
      landing: '/',
      extra: [
        '/gemeente/0482',
        '/gemeente/0482/routes?year=2025',
        '/gemeente/0482/regels?year=2025&month=2025-03',
        '/besluitvorming/toezeggingen',
        '/kpi?municipality=0482',
      ],
    },
    {
      username: 'alblasserdam',
      landing: '/gemeente/0482',
      extra: ['/gemeente/0482/uitsplitsing?year=2025', '/gemeente/0482/routes?year=2025', '/gemeente/0482/a4'],
    },
    {
      username: 'raadslid',
      landing: '/',
      extra: [
        '/gemeente/0482',
        '/gemeente/0482/uitsplitsing?year=2025',
        '/gemeente/0482/routes?year=2025',
        '/besluitvorming/toezeggingen',
      ],
    },
    { username: 'partner', landing: '/', extra: ['/gemeente/0482'] },
  ];
  for (const role of ROLES) {
    it(`${role.username}: no menu page is wider than the window or cuts a table off, none has an accessibility violation`, async () => {
      const page = await loginAs(role.username, role.landing, { bypassCSP: true });
      // Keyboard: the first Tab reaches the skip link to the content.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Naar de inhoud');
      const menu = await page
        .locator('header nav[aria-label="Hoofdmenu"] a')
        .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''));
      expect(menu.length).toBeGreaterThan(1);
      const wide: string[] = [];
      const cutOff: string[] = [];
      const inaccessible: string[] = [];
      for (const path of [...new Set([...menu, ...role.extra])]) {
        const r = await page.goto(`${base}${path}`);
        expect(r?.status(), path).toBe(200);
        const over = await pageOverflow(page);
        if (over > 0) wide.push(`${path} (+${over} px)`);
        for (const t of await cutOffTables(page)) cutOff.push(`${path}: ${t}`);
        for (const v of await axeViolations(page)) inaccessible.push(`${path}: ${v}`);
        if (role.username === 'beheer' || role.username === 'alblasserdam') {
          const name = `${role.username}${path.replace(/[^a-z0-9]+/gi, '-')}`.replace(/-+$/, '');
          await page.screenshot({ path: join(SHOTS, 'breedte', `${name}.png`), fullPage: true });
        }
      }
      expect(wide).toEqual([]);
      expect(cutOff).toEqual([]);
      expect(inaccessible).toEqual([]);
      await page.context().close();
    }, 240_000);
  }
});

describe('interactive charts', () => {
  it('come alive in the browser (ECharts, same-origin scripts under the CSP): € amounts on hover, the estimate explained; print keeps the SVG', async () => {
    const page = await loginAs('analist');
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/favicon/.test(m.location().url)) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${base}/gemeente/0482?year=2025`);
    const charts = await page.locator('figure[data-chart]').count();
    expect(charts).toBeGreaterThan(1);
    await expect.poll(() => page.locator('figure.live').count()).toBe(charts);
    const live = page.locator('.chart-live').first();
    await live.scrollIntoViewIfNeeded();
    const box = (await live.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.75, box.y + box.height * 0.5);
    const tip = page.locator('.chart-live div', { hasText: 'Totaal' }).first();
    await expect.poll(async () => ((await tip.count()) ? await tip.innerText() : '')).toMatch(/Gedeclareerd: € [\d.]+/);
    expect(await tip.innerText()).toMatch(/Totaal: € [\d.]+/);
    await page
      .locator('figure.live')
      .first()
      .screenshot({ path: join(SHOTS, '7-grafiek-tooltip.png') });
    // Print (and no JavaScript) shows the server's SVG.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('figure.live > svg').first().isVisible()).toBe(true);
    expect(await live.isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
