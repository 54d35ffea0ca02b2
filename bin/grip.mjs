#!/usr/bin/env node
// Entry point of the `grip` command. Runs the compiled CLI in dist/ (built from src/ by `npm install` through
// the `prepare` script, or by `npm run build`). For development it runs the TypeScript sources through tsx
// instead, whenever dist/ is missing or older than a file in src/ (so an edit never runs stale code).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const compiled = `${root}dist/cli/index.js`;

/** Newest modification time of the files dist/ is built from (sources, not tests). */
function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (!e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function distIsCurrent() {
  if (process.env.GRIP_USE_TSX === '1' || !existsSync(compiled)) return false;
  const built = statSync(compiled).mtimeMs;
  return !existsSync(`${root}src`) || newestSource(`${root}src`) <= built;
}

if (distIsCurrent()) {
  await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(`${root}src/cli/index.ts`);
}
