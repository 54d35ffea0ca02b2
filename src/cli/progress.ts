/** Progress for long work: a bar on a terminal, plain lines (every 10%) otherwise. */
import cliProgress from 'cli-progress';
import type { Progress } from '../ingest/importer.js';

export function makeProgress(stream: NodeJS.WriteStream = process.stderr, enabled = true): Progress {
  if (!enabled) return { start() {}, update() {}, stop() {} };
  if (stream.isTTY) {
    let bar: cliProgress.SingleBar | null = null;
    return {
      start(total, label) {
        bar = new cliProgress.SingleBar(
          {
            format: `${label.padEnd(14)} [{bar}] {percentage}% | {value}/{total}`,
            stream,
            hideCursor: true,
            clearOnComplete: false,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.max(total, 1), 0);
      },
      update(done) {
        bar?.update(done);
      },
      stop() {
        bar?.stop();
        bar = null;
      },
    };
  }
  let total = 1;
  let label = '';
  let lastTenth = -1;
  return {
    start(t, l) {
      total = Math.max(t, 1);
      label = l;
      lastTenth = -1;
    },
    update(done) {
      const tenth = Math.floor((done / total) * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${label}: ${Math.min(100, tenth * 10)}%\n`);
      }
    },
    stop() {},
  };
}
