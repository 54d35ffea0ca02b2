/**
 * The warehouse's layering, read from the imports: the front ends and app services reach the data only through
 * warehouse.ts (and its record types in types.ts), never the SQL modules or an engine; warehouse.ts and
 * types.ts import nothing of the implementations (no import circle); the SQL modules build on sql/run.ts, not
 * on the class that assembles them; the domain imports no warehouse, app or front end.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../', import.meta.url));

function sourceFiles(dir: string, withTests = false): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(SRC, dir), { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p, withTests));
    else if (e.name.endsWith('.ts') && (withTests || !e.name.endsWith('.test.ts'))) out.push(p);
  }
  return out;
}

/** The module specifiers a file imports or re-exports (static and dynamic), comments left out. */
export function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of code.matchAll(
    /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm,
  ))
    out.push(m[1] ?? m[2] ?? '');
  return out;
}

/** The imports of `files` that match `forbidden`, as "file → specifier". */
function offenders(files: string[], forbidden: RegExp): string[] {
  const out: string[] = [];
  for (const f of files)
    for (const s of importsOf(readFileSync(join(SRC, f), 'utf8')))
      if (forbidden.test(s)) out.push(`${relative('.', f)} → ${s}`);
  return out;
}

describe('warehouse layering', () => {
  it('reads imports, re-exports and dynamic imports, not comments', () => {
    const text = [
      `import { a } from '../warehouse/sql/steering.js';`,
      `import type {\n  B,\n} from './types.js';`,
      `export * from './types.js';`,
      `const m = await import('./postgres/index.js');`,
      `/** see warehouse/sql/insight.ts */ // import x from 'nowhere'`,
    ].join('\n');
    expect(importsOf(text)).toEqual([
      '../warehouse/sql/steering.js',
      './types.js',
      './types.js',
      './postgres/index.js',
    ]);
  });

  it('app services, front ends and reports reach the data only through warehouse.ts and types.ts', () => {
    const files = ['app', 'web', 'cli', 'reports'].flatMap((d) => sourceFiles(d, true));
    expect(files.length).toBeGreaterThan(50);
    expect(offenders(files, /warehouse\/(sql|duckdb|postgres)\//)).toEqual([]);
  });

  it('the interface and its record types import nothing of the implementations', () => {
    const files = ['warehouse/warehouse.ts', 'warehouse/types.ts'];
    expect(offenders(files, /^\.\/(sql|duckdb|postgres)\//)).toEqual([]);
    expect(offenders(['warehouse/types.ts'], /^\.\/warehouse\.js$/)).toEqual([]);
  });

  it('the SQL modules build on run.ts, not on the class that assembles them', () => {
    const files = sourceFiles('warehouse/sql', true).filter((f) => !f.endsWith('base.ts'));
    expect(offenders(files, /^\.\/base\.js$/)).toEqual([]);
  });

  it('the domain imports no warehouse, app service or front end', () => {
    expect(offenders(sourceFiles('domain'), /^(\.\.\/)+(warehouse|app|web|cli|reports)\//)).toEqual([]);
  });
});
