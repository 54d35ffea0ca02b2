/** A write worker of the generator: builds and writes each message of a batch (write-pool.ts). */
import { parentPort } from 'node:worker_threads';
import { writeJob, type WriteBatch, type WriteReply } from './write-pool.js';

parentPort!.on('message', (batch: WriteBatch) => {
  let reply: WriteReply = { id: batch.id, error: null };
  try {
    for (const job of batch.jobs) writeJob(job);
  } catch (e) {
    reply = { id: batch.id, error: (e as Error).message };
  }
  parentPort!.postMessage(reply);
});
