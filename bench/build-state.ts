/** Whether the compiled build (dist/) is current: what the bench's import child runs. */
import { existsSync, readdirSync, statSync } from 'node:fs';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    t = Math.max(t, e.isDirectory() ? newest(p) : e.name.endsWith('.test.ts') ? 0 : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Whether `repo`'s dist/ was built after every source file changed (tests aside), and GRIP_BENCH_SOURCE=1
 * does not ask for the sources.
 */
export function distIsCurrent(repo: URL): boolean {
  const compiled = new URL('dist/ingest/importer.js', repo).pathname;
  return (
    process.env.GRIP_BENCH_SOURCE !== '1' &&
    existsSync(compiled) &&
    newest(new URL('src', repo).pathname) <= statSync(compiled).mtimeMs
  );
}
