/**
 * XSD validation against the official iJw 3.2 schemas with libxml2's `xmllint` (Debian: libxml2-utils),
 * streaming (`--stream`), without network access (`--nonet`), many files per process.
 * The schema folder is `GRIP_XSD_DIR`, or the copy of the official schemas the project carries in
 * `schemas/ijw-3.2/` (see its README). The default is resolved from this module's own location, which is
 * two levels below the project root both as source (src/ingest/xsd.ts, run by tsx or vitest) and compiled
 * (dist/ingest/xsd.js), so it holds wherever the project is cloned and whatever the working directory is.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MessageType } from '../warehouse/warehouse.js';

export interface XsdResult {
  ok: boolean;
  errors: { line: number | null; message: string }[];
}

export interface XsdValidator {
  readonly available: boolean;
  /** Why validation is or is not available, for people (Dutch): the import summary shows it. */
  readonly why: string;
  validate(type: MessageType, files: string[]): Promise<Map<string, XsdResult>>;
}

/** The project's own copy of the iJw 3.2 schemas. */
export const BUNDLED_XSD_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../schemas/ijw-3.2');

/**
 * The schema folder: `GRIP_XSD_DIR` when set (and then only that folder, so a wrong setting is noticed rather
 * than silently replaced), else the bundled copy. Null when the folder holds no JW323.xsd.
 */
export function findXsdDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const dir = env.GRIP_XSD_DIR ? resolve(env.GRIP_XSD_DIR) : BUNDLED_XSD_DIR;
  return existsSync(join(dir, 'JW323.xsd')) ? dir : null;
}

function hasXmllint(): boolean {
  const r = spawnSync('xmllint', ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

const BATCH = 400;

export function makeXsdValidator(xsdDir: string | null = findXsdDir()): XsdValidator {
  if (!xsdDir) {
    const why = process.env.GRIP_XSD_DIR
      ? `GRIP_XSD_DIR (${process.env.GRIP_XSD_DIR}) bevat geen JW323.xsd`
      : `geen iJw-XSD's gevonden in ${BUNDLED_XSD_DIR} (zet GRIP_XSD_DIR op de map met JW323.xsd)`;
    return { available: false, why, validate: async () => new Map() };
  }
  if (!hasXmllint()) {
    return {
      available: false,
      why: 'xmllint is niet geïnstalleerd (apt-get install libxml2-utils)',
      validate: async () => new Map(),
    };
  }
  return {
    available: true,
    why: `xmllint met ${xsdDir}`,
    async validate(type, files) {
      // Split over the cores: xmllint is single-threaded and most of an import's time on small files.
      const parts = Math.max(1, Math.min(availableParallelism(), Math.ceil(files.length / 50)));
      const size = Math.min(BATCH, Math.ceil(files.length / parts));
      const batches: string[][] = [];
      for (let i = 0; i < files.length; i += size) batches.push(files.slice(i, i + size));
      const out = new Map<string, XsdResult>();
      let next = 0;
      const worker = async () => {
        let batch: string[] | undefined;
        while ((batch = batches[next++]) !== undefined) {
          for (const [k, v] of await runXmllint(join(xsdDir, `${type}.xsd`), batch)) out.set(k, v);
        }
      };
      await Promise.all(Array.from({ length: parts }, worker));
      return out;
    },
  };
}

function runXmllint(schema: string, files: string[]): Promise<Map<string, XsdResult>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('xmllint', ['--noout', '--nonet', '--stream', '--schema', schema, ...files], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', () => {
      const results = new Map<string, XsdResult>(files.map((f) => [f, { ok: false, errors: [] }]));
      // Longest paths first, so `a/b.xml` is not mistaken for `a/b.xml.bak`'s prefix.
      const byLength = [...files].sort((a, b) => b.length - a.length);
      for (const raw of stderr.split('\n')) {
        if (!raw.trim()) continue;
        const f = byLength.find((p) => raw.startsWith(p + ':') || raw.startsWith(p + ' '));
        if (!f) continue;
        const r = results.get(f)!;
        const rest = raw.slice(f.length);
        if (rest === ' validates') r.ok = true;
        else if (rest === ' fails to validate' || rest === ' : failed to parse') r.ok = false;
        else {
          const m = /^:(\d+): (.*)$/.exec(rest);
          if (m && r.errors.length < 5) r.errors.push({ line: Number(m[1]), message: simplify(m[2] ?? '') });
        }
      }
      for (const [, r] of results) if (r.ok && r.errors.length) r.ok = false;
      resolvePromise(results);
    });
  });
}

/** Elements that hold personal data: libxml2's messages about them must not quote their values. */
const PERSONAL_ELEMENT =
  /Element '(Bsn|Geboortedatum|Datum|Achternaam|Voorvoegsel|Voornamen|Voorletters|Roepnaam|Geslachtsnaam|Partnernaam|Postcode|Straatnaam|Huisnummer|Huisletter|Huisnummertoevoeging|Plaatsnaam|Locatieomschrijving|Telefoonnummer|Landnummer|Emailadres)'/;

/**
 * Drops namespace URIs from libxml2's messages: `{http://…/jw315/schema}ToewijzingEinddatum` → `ToewijzingEinddatum`.
 * Privacy: values of personal elements (BSN, name, birth date, address) are left out, and any run of eight or
 * more digits is masked (`*******06`), so no BSN in clear is printed or stored.
 */
function simplify(msg: string): string {
  let out = msg.replace(/\{https?:[^}]*\}/g, '').replace(/^(Schemas validity error|parser error) : /, '');
  if (PERSONAL_ELEMENT.test(out))
    out = out.replace(/'[^']*'(?= is not)/g, 'the value').replace(/\b[Tt]he value '[^']*'/g, 'The value');
  return out.replace(/\d{8,}/g, (d) => '*'.repeat(d.length - 2) + d.slice(-2));
}
