/** Runs one import in its own process (import-child.ts), so its peak RSS is the import's own, and reads its figures. */
import { execFileSync } from 'node:child_process';

export interface ImportFigures {
  seconds: number;
  cpuSeconds: number;
  /** 'dist' (the compiled build, as `grip` runs) or 'source'. */
  build: string;
  lines: number;
  bytes: number;
  imported: number;
  rejected: number;
  maxRssMb: number;
}

/** `args`: import-child's arguments ([--xsd=stream|xmllint] DB PATH…); its stderr goes to ours. */
export function importInChild(args: string[], env: NodeJS.ProcessEnv = process.env): ImportFigures {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', new URL('./import-child.ts', import.meta.url).pathname, ...args],
    { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'], env },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as ImportFigures;
}
