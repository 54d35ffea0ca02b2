/**
 * Exporten inlezen (`/import`, regional analysts and beheer): upload a case system's export (CSV or XLSX),
 * see the mapping Grip proposes (or a saved one) and the first rows as Grip reads them, edit the mapping, and
 * only on confirmation save the mapping and import the file — through the same app service as `grip mapping`
 * and `grip import --mapping` (app/mapping.ts). The upload is kept in a private temporary folder until then
 * (only its uploader sees it; removed on import, or after a day).
 *
 * The file travels as the raw body of one POST (a small same-origin script reads the chosen file), since
 * Grip's stack has no multipart parser; the CSRF token goes in the X-CSRF-Token header.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Role } from '../../warehouse/warehouse.js';
import {
  describeOutcome,
  fieldLabel,
  importExports,
  listMappings,
  loadMapping,
  previewExport,
  proposeMapping,
  saveMapping,
  type Preview,
} from '../../app/mapping.js';
import { GripError } from '../../domain/errors.js';
import * as nl from '../../domain/format/nl.js';
import { parseMapping, type Mapping } from '../../domain/mapping/schema.js';
import { defaultKeyPath, loadOrCreateKey, makePseudonymiser, type Pseudonymiser } from '../../ingest/pseudonymise.js';
import type { Viewer } from '../core.js';
import { getPage, postForm } from '../route.js';
import { addNav, errorPage, html, page, raw, type SafeHtml } from '../layout.js';
import type { WebContext } from '../server.js';

/** Who may import: the region's analysts and beheer (an export may hold every municipality). */
export const IMPORTERS: readonly Role[] = ['beheerder', 'regio'];
const MAX_UPLOAD = 50 * 1024 * 1024;
const UPLOAD_JS_URL = '/static/grip-upload.js';

const UPLOAD_JS = `(function () {
  'use strict';
  var form = document.getElementById('upload');
  if (!form || !window.fetch) return;
  var status = document.getElementById('upload-status');
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var input = form.querySelector('input[type=file]');
    var file = input && input.files && input.files[0];
    if (!file) { status.textContent = 'Kies eerst een bestand.'; return; }
    status.textContent = 'Bezig met uploaden…';
    fetch('/import/upload?name=' + encodeURIComponent(file.name), {
      method: 'POST', credentials: 'same-origin', body: file,
      headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': form.getAttribute('data-csrf') }
    }).then(function (r) {
      return r.json().then(function (j) { if (!r.ok) throw new Error(j.error || 'Uploaden mislukt.'); window.location.href = j.next; });
    }).catch(function (err) { status.textContent = err.message || 'Uploaden mislukt.'; });
  });
})();
`;

/** The folder uploads wait in until they are imported or dropped (GRIP_UPLOAD_DIR, else a temp folder). */
const uploadRoot = () => process.env.GRIP_UPLOAD_DIR ?? join(tmpdir(), 'grip-uploads');
const validId = (id: string) => /^[0-9a-f]{16}$/.test(id);

const OWNER_FILE = '.eigenaar';
/** Uploads not imported within a day are removed (they may hold BSNs in clear). */
const UPLOAD_TTL_MS = 24 * 3600 * 1000;

/** The uploaded file of an id, for the user who uploaded it: its path and original name, or null. */
function upload(id: string, username: string | undefined): { path: string; name: string } | null {
  if (!validId(id) || !username) return null;
  const dir = join(uploadRoot(), id);
  if (!existsSync(dir)) return null;
  let owner = '';
  try {
    owner = readFileSync(join(dir, OWNER_FILE), 'utf8');
  } catch {
    return null;
  }
  if (owner !== username) return null;
  const file = readdirSync(dir).find((f) => f !== OWNER_FILE);
  return file ? { path: join(dir, file), name: file } : null;
}

/** Removes uploads older than UPLOAD_TTL_MS. */
function dropStaleUploads(now = Date.now()): void {
  const root = uploadRoot();
  if (!existsSync(root)) return;
  for (const id of readdirSync(root)) {
    const dir = join(root, id);
    try {
      if (validId(id) && now - statSync(dir).mtimeMs > UPLOAD_TTL_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      /* gone meanwhile */
    }
  }
}

const safeName = (name: string) => {
  const ext = extname(name).toLowerCase();
  const base =
    name
      .slice(0, name.length - ext.length)
      .replace(/[^A-Za-z0-9 ._-]/g, '_')
      .slice(0, 80) || 'export';
  return `${base}${ext}`;
};

let keyed: Pseudonymiser | null = null;
/** Grip's pseudonymiser with the key `grip serve` runs with (GRIP_KEY_FILE or ~/.grip/pseudonym.key). */
const pseudonymiser = () => (keyed ??= makePseudonymiser(loadOrCreateKey(defaultKeyPath())));

/** `01-01 – 31-01-2025` within a year, else both dates whole. */
const period = (from: string, to: string) =>
  from.slice(0, 4) === to.slice(0, 4)
    ? `${nl.date(from).slice(0, 5)} – ${nl.date(to)}`
    : `${nl.date(from)} – ${nl.date(to)}`;

function previewTable(p: Preview, names: ReadonlyMap<string, string>): SafeHtml {
  const rows = p.lines.map(
    (
      l,
    ) => html`<tr><td>${l.sheet === null ? nl.int(l.row) : `${l.sheet}, rij ${nl.int(l.row)}`}</td><td>${names.get(l.municipality) ?? l.municipality}</td><td>${l.provider}</td><td><code>${l.client.slice(0, 12)}…</code></td>
<td>${nl.date(l.declarationDate)}</td><td style="white-space:nowrap">${period(l.periodStart, l.periodEnd)}</td><td>${l.productCode ?? l.category}</td><td class="n">${nl.int(l.volume)} (${l.unit})</td><td class="n">${nl.euroCents(l.amountCents)}</td><td>${l.debitCredit}</td></tr>`,
  );
  return html`<table><caption>De eerste ${p.lines.length} regels zoals Grip ze leest</caption>
<thead><tr><th>Rij</th><th>Gemeente</th><th>Aanbieder</th><th>Cliënt (pseudoniem)</th><th>Declaratiedatum</th><th>Periode</th><th>Product</th><th class="n">Volume</th><th class="n">Bedrag</th><th>D/C</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="10">Geen regels gelezen.</td></tr>`}</tbody></table>${p.error ? html`<p class="over" role="alert"><strong>Fout:</strong> ${p.error}</p>` : ''}`;
}

interface ReviewState {
  id: string;
  fileName: string;
  name: string;
  json: string;
  notes: { field: string; text: string }[];
  problems: string[];
  preview: Preview | null;
  saved: string[];
  chosen: string | null;
}

function reviewPage(v: Viewer, s: ReviewState, names: ReadonlyMap<string, string>): string {
  const csrf = v.user ? html`<input type="hidden" name="_csrf" value="${v.user.csrfToken}">` : '';
  const notes = s.notes.map(
    (n) =>
      html`<li><strong>${n.field === '(niet gebruikt)' ? 'niet gebruikt' : fieldLabel(n.field)}:</strong> ${n.text}</li>`,
  );
  const body = html`<h1>Export controleren: ${s.fileName}</h1>
<p>Er is nog niets opgeslagen. Controleer de indeling en de eerste regels; pas de mapping zo nodig aan en bekijk het voorbeeld opnieuw. Pas bij <em>Bewaren en importeren</em> bewaart Grip de mapping en leest het bestand in — helemaal of niet.</p>
<form class="filters" method="get" action="/import/${s.id}"><label>Indeling<select name="mapping"><option value="">Voorstel van Grip</option>${s.saved.map((m) => html`<option value="${m}"${m === s.chosen ? raw(' selected') : ''}>Bewaarde mapping ${m}</option>`)}</select></label><button type="submit">Toon</button></form>
${notes.length ? html`<h2>Zo leest Grip de kolommen</h2><ul>${notes}</ul>` : ''}
${s.problems.length ? html`<div class="story" role="alert"><p><strong>De mapping is nog niet compleet of klopt niet:</strong></p><ul>${s.problems.map((p) => html`<li>${p}</li>`)}</ul></div>` : ''}
${s.preview ? previewTable(s.preview, names) : ''}
<h2>Mapping</h2>
<form method="post" action="/import/${s.id}/bevestigen">${csrf}
<p><label>Naam van de mapping <input name="name" value="${s.name}" required pattern="[A-Za-z0-9][A-Za-z0-9_-]{0,63}" size="30"></label></p>
<p><label for="mapping-json">Mapping (JSON; zie de voorbeelden in <code>examples/</code>)</label><br><textarea id="mapping-json" name="mapping" rows="16" cols="100" spellcheck="false">${s.json}</textarea></p>
<p><button type="submit" formaction="/import/${s.id}/voorbeeld">Voorbeeld bijwerken</button> <button type="submit"${s.problems.length || s.preview?.error ? raw(' disabled') : ''}>Bewaren en importeren</button> <a href="/import">Annuleren</a></p>
</form>`;
  return page(v.user, `Export controleren`, body, {
    path: '/import',
    crumbs: [{ href: '/import', label: 'Exports inlezen' }, { label: s.fileName }],
  });
}

const mappingForm = z.object({ name: z.string().trim().min(1).max(64), mapping: z.string().min(2).max(100_000) });

export function registerImports({ app, deps }: WebContext): void {
  const w = deps.warehouse;
  addNav({ href: '/import', label: 'Exports inlezen', roles: IMPORTERS });
  const muniNames = async () => new Map((await w.municipalities()).map((m) => [m.code, m.name]));

  app.get(UPLOAD_JS_URL, { config: { rule: { roles: 'public' } } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(UPLOAD_JS),
  );

  getPage(app, '/import', { rule: { roles: IMPORTERS } }, async ({ v }) => {
    const [mappings, exports] = await Promise.all([listMappings(w), w.exportFiles()]);
    const body = html`<h1>Exports inlezen</h1>
<p>Lees een export uit een zaaksysteem (Suite4SociaalDomein, iSD, Stipter, …) in als CSV of XLSX. Grip stelt een kolomindeling (mapping) voor, laat de eerste regels zien zoals Grip ze leest, en slaat pas iets op als u bevestigt. Een BSN wordt direct gepseudonimiseerd; een cliëntnummer van het zaaksysteem wordt opnieuw gehasht met de sleutel van Grip.</p>
<form id="upload" class="filters" data-csrf="${v.user?.csrfToken ?? ''}" method="post" action="/import/upload"><label>Bestand (.csv of .xlsx, hoogstens 50 MB)<input type="file" name="file" accept=".csv,.xlsx" required></label><button type="submit">Uploaden en controleren</button><span id="upload-status" role="status" class="note"></span></form>
<noscript><p class="note">Uploaden vraagt JavaScript; zonder JavaScript: <code>grip mapping guess BESTAND</code> en <code>grip import BESTAND --mapping NAAM</code>.</p></noscript>
<h2>Bewaarde mappings</h2>
${mappings.length ? html`<table><thead><tr><th>Naam</th><th>Bron</th><th>Bewaard door</th><th>Op</th><th>Staat</th></tr></thead><tbody>${mappings.map((m) => html`<tr><td>${m.name}</td><td>${m.source}</td><td>${m.savedBy}</td><td>${nl.date(m.savedAt.slice(0, 10))}</td><td>${m.problems.length ? html`<span class="over">klopt niet</span>` : 'in orde'}</td></tr>`)}</tbody></table>` : html`<p class="note">Nog geen mappings.</p>`}
<h2>Ingelezen exports</h2>
${exports.length ? html`<table><thead><tr><th>Bestand</th><th>Bron</th><th>Mapping</th><th>Productiemaanden</th><th class="n">Regels</th><th class="n">Bedrag</th><th>Vervangen</th></tr></thead><tbody>${[...exports].reverse().map((e) => html`<tr><td>${e.name}</td><td>${e.source}</td><td>${e.mapping}</td><td>${nl.month(e.periodFrom)} t/m ${nl.month(e.periodTo)}</td><td class="n">${nl.int(e.lines)}</td><td class="n">${nl.euroCents(e.amountCents)}</td><td>${e.replacedLines ? `${nl.int(e.replacedLines)} regels (${nl.euroCents(e.replacedCents)}) uit ${e.replacedFiles}` : '—'}</td></tr>`)}</tbody></table>` : html`<p class="note">Nog geen exports ingelezen.</p>`}
<script src="${UPLOAD_JS_URL}" defer></script>`;
    return page(v.user, 'Exports inlezen', body, { path: '/import' });
  });

  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: MAX_UPLOAD },
    (_req, body, done) => done(null, body),
  );
  app.post('/import/upload', { config: { rule: { roles: IMPORTERS } }, bodyLimit: MAX_UPLOAD }, async (req, reply) => {
    // A query value is a string (or a list of them).
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    const name = String((req.query as Record<string, unknown>).name ?? '');
    if (!Buffer.isBuffer(req.body) || !req.body.length)
      return reply.code(400).send({ error: 'Er is geen bestand meegestuurd.' });
    if (!/\.(csv|xlsx)$/i.test(name)) return reply.code(400).send({ error: 'Grip leest exports als .csv of .xlsx.' });
    dropStaleUploads();
    const id = randomBytes(8).toString('hex');
    const dir = join(uploadRoot(), id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, safeName(name)), req.body, { mode: 0o600 });
    writeFileSync(join(dir, OWNER_FILE), req.gripUser?.username ?? '', { mode: 0o600 });
    return reply.send({ next: `/import/${id}` });
  });

  const notFound = (reply: FastifyReply, v: Viewer) =>
    reply
      .code(404)
      .type('text/html')
      .send(errorPage(v.user, 404, 'Deze upload bestaat niet (meer); upload het bestand opnieuw.'));

  getPage(app, '/import/:id', { rule: { roles: IMPORTERS } }, async ({ req, reply, v }) => {
    const u = upload(String((req.params as Record<string, unknown>).id), v.user?.username);
    if (!u) return notFound(reply, v);
    const id = String((req.params as Record<string, unknown>).id);
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a query value is a string (or a list of them)
    const chosen = String((req.query as Record<string, unknown>).mapping ?? '') || null;
    const saved = (await w.mappings()).map((m) => m.name);
    const names = await muniNames();
    try {
      if (chosen) {
        const m = await loadMapping(w, chosen);
        const preview = await previewExport(w, pseudonymiser(), u.path, u.name, m);
        const state = {
          id,
          fileName: u.name,
          name: m.name,
          json: JSON.stringify(m, null, 2),
          notes: [],
          problems: [],
          preview,
          saved,
          chosen,
        };
        // Fastify's reply is thenable; returning it (not awaiting it) is how a handler ends.
        // eslint-disable-next-line @typescript-eslint/return-await
        return reply.type('text/html').send(reviewPage(v, state, names));
      }
      const p = await proposeMapping(w, pseudonymiser(), u.path, u.name);
      const state = {
        id,
        fileName: u.name,
        name: p.guess.mapping.name,
        json: JSON.stringify(p.mapping ?? p.guess.mapping, null, 2),
        notes: p.guess.notes,
        problems: p.problems,
        preview: p.preview,
        saved,
        chosen: null,
      };
      // eslint-disable-next-line @typescript-eslint/return-await -- Fastify's reply is thenable; returning it ends the handler
      return reply.type('text/html').send(reviewPage(v, state, names));
    } catch (e) {
      if (e instanceof GripError)
        return reply
          .code(400)
          .type('text/html')
          .send(errorPage(v.user, 400, `${u.name}: ${e.message}`));
      throw e;
    }
  });

  /** The edited mapping from the form: parsed, or the problems. */
  const edited = (body: unknown): { name: string; json: string; mapping: Mapping | null; problems: string[] } => {
    const f = mappingForm.safeParse(body ?? {});
    if (!f.success) return { name: '', json: '', mapping: null, problems: ['vul een naam en een mapping in'] };
    let parsed: unknown;
    try {
      parsed = JSON.parse(f.data.mapping);
    } catch (e) {
      return {
        name: f.data.name,
        json: f.data.mapping,
        mapping: null,
        problems: [`geen geldige JSON: ${(e as Error).message}`],
      };
    }
    const r = parseMapping(parsed && typeof parsed === 'object' ? { ...parsed, name: f.data.name } : parsed);
    return {
      name: f.data.name,
      json: f.data.mapping,
      mapping: r.ok ? r.mapping : null,
      problems: r.ok ? [] : r.problems,
    };
  };

  postForm(app, '/import/:id/voorbeeld', { rule: { roles: IMPORTERS } }, async ({ req, reply, v }) => {
    const id = String((req.params as Record<string, unknown>).id);
    const u = upload(id, v.user?.username);
    if (!u) return notFound(reply, v);
    const e = edited(req.body);
    const preview = e.mapping ? await previewExport(w, pseudonymiser(), u.path, u.name, e.mapping) : null;
    const saved = (await w.mappings()).map((m) => m.name);
    return reply
      .code(e.problems.length ? 400 : 200)
      .type('text/html')
      .send(
        reviewPage(
          v,
          {
            id,
            fileName: u.name,
            name: e.name,
            json: e.json,
            notes: [],
            problems: e.problems,
            preview,
            saved,
            chosen: null,
          },
          await muniNames(),
        ),
      );
  });

  postForm(app, '/import/:id/bevestigen', { rule: { roles: IMPORTERS } }, async ({ req, reply, v }) => {
    const id = String((req.params as Record<string, unknown>).id);
    const u = upload(id, v.user?.username);
    if (!u) return notFound(reply, v);
    const e = edited(req.body);
    if (!e.mapping) {
      const saved = (await w.mappings()).map((m) => m.name);
      return reply
        .code(400)
        .type('text/html')
        .send(
          reviewPage(
            v,
            {
              id,
              fileName: u.name,
              name: e.name,
              json: e.json,
              notes: [],
              problems: e.problems,
              preview: null,
              saved,
              chosen: null,
            },
            await muniNames(),
          ),
        );
    }
    const mapping = await saveMapping(w, e.mapping, v.user!.username);
    const [o] = await importExports(
      w,
      pseudonymiser(),
      [{ path: u.path, display: u.name, storedName: u.name }],
      mapping.name,
      { username: v.user!.username, role: v.user!.role },
    );
    if (o && o.status !== 'rejected') rmSync(join(uploadRoot(), id), { recursive: true, force: true });
    const lines = o ? describeOutcome(o, mapping.source ?? mapping.name) : [];
    const body = html`<h1>${o?.status === 'rejected' ? 'Export afgewezen' : 'Export ingelezen'}</h1>
<div class="story" role="status">${lines.map((l) => html`<p>${l}</p>`)}</div>
<p>Mapping <strong>${mapping.name}</strong> is bewaard${o?.status === 'rejected' ? html`; <a href="/import/${id}?mapping=${mapping.name}">terug naar de controle</a>` : ''}. <a href="/import">Naar Exports inlezen</a></p>`;
    return reply
      .code(o?.status === 'rejected' ? 400 : 200)
      .type('text/html')
      .send(page(v.user, 'Exports inlezen', body, { path: '/import' }));
  });
}
