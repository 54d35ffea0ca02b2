/**
 * The mutation corpus of the differential tests: valid iJw messages (a generated region's JW301, JW315 and
 * JW323, and per message type three with every element the XSD allows) and deterministic mutations of them
 * (mutate.ts), written to files. The same seeds give the same corpus on every run.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { at } from '../../../domain/indexing.js';
import { generateRegion } from '../../../generate/index.js';
import { IJW32_SCHEMA } from '../ijw32.generated.js';
import { fullMessage, mutate, parseMessage, rng, serialise, type XNode } from './mutate.js';

export interface CorpusFile {
  file: string;
  /** The message type (JW301, JW315, JW323…) the file started as. */
  message: string;
  /** `base` for the valid messages, else the kind of mutation. */
  kind: string;
}

/** Writes the valid bases and then mutations of them into `dir` until there are `files` files. */
export async function buildMutationCorpus(dir: string, files: number): Promise<CorpusFile[]> {
  const corpus: CorpusFile[] = [];
  const region = join(dir, 'region');
  await generateRegion({
    outDir: region,
    years: [2025, 2025],
    seed: 21,
    scale: 'small',
    format: 'xml',
    insight: 'planted',
  });
  const bases: { message: string; tree: XNode }[] = [];
  for (const sub of ['jw301', 'jw315', 'jw323']) {
    const names = readdirSync(join(region, sub)).sort();
    for (let i = 0; i < names.length; i += Math.ceil(names.length / 25)) {
      bases.push({
        message: sub.toUpperCase(),
        tree: parseMessage(readFileSync(join(region, sub, at(names, i)), 'utf8'), IJW32_SCHEMA),
      });
    }
  }
  for (const r of IJW32_SCHEMA.roots)
    for (let v = 0; v < 3; v++) bases.push({ message: r.message, tree: fullMessage(IJW32_SCHEMA, r.message, v) });
  const out = join(dir, 'corpus');
  mkdirSync(out);
  // The bases themselves (valid), then the mutations.
  bases.forEach((b, i) => {
    const file = join(out, `${b.message}-base-${i}.xml`);
    writeFileSync(file, serialise(b.tree));
    corpus.push({ file, message: b.message, kind: 'base' });
  });
  const r = rng(2132);
  for (let i = 0; corpus.length < files; i++) {
    const b = at(bases, i % bases.length);
    const other =
      IJW32_SCHEMA.roots.find((x) => x.message !== b.message && r() < 0.3)?.ns ??
      'http://www.istandaarden.nl/ijw/3_1/jw323/schema';
    const m = mutate(b.tree, IJW32_SCHEMA, r, other);
    const file = join(out, `${b.message}-${String(i).padStart(5, '0')}.xml`);
    writeFileSync(file, m.xml);
    corpus.push({ file, message: b.message, kind: m.kind });
  }
  return corpus;
}
