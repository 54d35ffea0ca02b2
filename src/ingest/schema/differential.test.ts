/**
 * The in-stream validator against libxml2: ≥ 5,000 mutated iJw messages (dropped, doubled, reordered and
 * renamed elements; bad patterns, dates, enumerations, lengths, ranges; namespace variants, some of them
 * valid), made deterministically from valid messages (Grip's region generator, and per message type one with
 * every element the XSD allows), each validated by the in-stream validator and by
 * `xmllint --noout --schema` with the same XSD. Accept/reject must agree on every file; where both reject,
 * the element named must be the same.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GripError } from '../../domain/errors.js';
import { streamXml } from '../ijw/stream.js';
import { tempDir } from '../testing/fixtures.js';
import { IJW32_SCHEMA } from './ijw32.generated.js';
import { SCHEMA_DIR } from './generate.js';
import { buildMutationCorpus, type CorpusFile } from './testing/corpus.js';
import { StreamValidator } from './validator.js';

const FILES = 5_200;

interface Verdict {
  ok: boolean;
  element: string | null;
  line: number | null;
}

/** Runs xmllint on many files of one message type per process; the first error per file is its verdict. */
function xmllint(schema: string, files: string[]): Promise<Map<string, Verdict>> {
  return new Promise((resolve, reject) => {
    const child = spawn('xmllint', ['--noout', '--nonet', '--schema', schema, ...files], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', () => {
      const out = new Map<string, Verdict>();
      for (const line of err.split('\n')) {
        const m = /^(.+?\.xml)(?:(?::(\d+): (.*))| (validates|fails to validate))$/.exec(line);
        const [, file, ln, msg, status] = m ?? [];
        if (file === undefined) continue;
        const v = out.get(file) ?? { ok: false, element: null, line: null };
        if (status === 'validates') v.ok = true;
        else if (msg && v.line === null) {
          v.line = Number(ln);
          v.element = /Element '(?:\{[^}]*\})?([^']+)'/.exec(msg)?.[1] ?? null;
          if (/parser error|namespace error/.test(msg)) v.element = null;
        }
        out.set(file, v);
      }
      resolve(out);
    });
  });
}

async function grip(file: string, message: string): Promise<Verdict> {
  try {
    // As readIjwFile reads: the plain scanner first, a fresh validator should saxes read the file again.
    await streamXml(file, file, { close() {} }, undefined, {
      validator: new StreamValidator(IJW32_SCHEMA, message),
      restart: () => new StreamValidator(IJW32_SCHEMA, message),
    });
    return { ok: true, element: null, line: null };
  } catch (e) {
    if (!(e instanceof GripError)) throw e;
    return { ok: false, element: e.where.element ?? null, line: e.where.line ?? null };
  }
}

describe('in-stream XSD validation agrees with xmllint --schema', () => {
  let dir: string;
  const corpus: CorpusFile[] = [];

  beforeAll(async () => {
    dir = tempDir();
    corpus.push(...(await buildMutationCorpus(dir, FILES)));
  });

  afterAll(() => {
    corpus.length = 0;
  });

  it(`gives the same verdict and names the same element on ${FILES} files`, async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(5_000);
    // xmllint: one process per message type and batch, two at a time (two cores).
    const byType = new Map<string, string[]>();
    for (const c of corpus) byType.set(c.message, [...(byType.get(c.message) ?? []), c.file]);
    const jobs: (() => Promise<Map<string, Verdict>>)[] = [];
    for (const [message, files] of byType) {
      for (let i = 0; i < files.length; i += 700)
        jobs.push(() => xmllint(join(SCHEMA_DIR, `${message}.xsd`), files.slice(i, i + 700)));
    }
    const lint = new Map<string, Verdict>();
    let next = 0;
    await Promise.all(
      [0, 1].map(async () => {
        let job: (() => Promise<Map<string, Verdict>>) | undefined;
        while ((job = jobs[next++]) !== undefined) for (const [k, v] of await job()) lint.set(k, v);
      }),
    );

    const disagreements: string[] = [];
    const tally = { accepted: 0, rejected: 0 };
    const kinds = new Map<string, { valid: number; invalid: number }>();
    for (const c of corpus) {
      const ours = await grip(c.file, c.message);
      const theirs = lint.get(c.file);
      if (!theirs) throw new Error(`xmllint said nothing about ${c.file}`);
      const k = kinds.get(c.kind) ?? { valid: 0, invalid: 0 };
      if (theirs.ok) k.valid++;
      else k.invalid++;
      kinds.set(c.kind, k);
      if (theirs.ok) tally.accepted++;
      else tally.rejected++;
      if (ours.ok !== theirs.ok)
        disagreements.push(
          `${c.file} (${c.kind}): grip ${ours.ok ? 'accepts' : `rejects at <${ours.element}>`}, xmllint ${theirs.ok ? 'accepts' : `rejects at <${theirs.element}>`}`,
        );
      else if (!ours.ok && theirs.element !== null && ours.element !== theirs.element)
        disagreements.push(`${c.file} (${c.kind}): grip names <${ours.element}>, xmllint <${theirs.element}>`);
      else if (!ours.ok && ours.line !== theirs.line)
        disagreements.push(`${c.file} (${c.kind}): grip names line ${ours.line}, xmllint line ${theirs.line}`);
    }
    if (process.env.GRIP_DIFF_VERBOSE) console.log(JSON.stringify({ tally, kinds: Object.fromEntries(kinds) }));
    expect(disagreements.slice(0, 20)).toEqual([]);
    // The valid messages the mutations start from are valid for xmllint too.
    expect(kinds.get('base')?.invalid).toBe(0);
    // Every kind of mutation was exercised; the corpus holds both verdicts in quantity.
    expect(tally.accepted).toBeGreaterThan(500);
    expect(tally.rejected).toBeGreaterThan(3_000);
    for (const kind of [
      'drop',
      'double',
      'swap',
      'rename-sibling',
      'wrong-ns',
      'root-ns',
      'value',
      'stray-text',
      'attribute',
    ])
      expect(kinds.get(kind)?.invalid ?? 0).toBeGreaterThan(50);
    // Valid variants (namespace styles, comments, CDATA) are accepted by both.
    expect(kinds.get('style')?.valid ?? 0).toBeGreaterThan(100);
  });
});
