/**
 * A parse worker: reads one iJw file at a time — stream parse, in-stream XSD validation, Grip's checks,
 * pseudonymisation — and sends back the rows in order, or the GripError that rejects the file. It never
 * touches the warehouse: the importer's one writer appends what workers send, in file order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GripError } from '../../domain/errors.js';
import type { MessageType, RowSink } from '../../warehouse/warehouse.js';
import { readIjwFile } from '../ijw/messages.js';
import { makePseudonymiser } from '../pseudonymise.js';
import type { ParseJob, ParseReply, SinkCall } from './pool.js';

const pseudonymise = makePseudonymiser(Buffer.from((workerData as { key: Uint8Array }).key));

parentPort!.on('message', async (job: ParseJob) => {
  const rows: SinkCall[] = [];
  const sink: RowSink = {
    declarationLine: (r) => void rows.push(['declarationLine', r]),
    answer: (r) => void rows.push(['answer', r]),
    allocation: (r) => void rows.push(['allocation', r]),
    careEvent: (r) => void rows.push(['careEvent', r]),
    request: (r) => void rows.push(['request', r]),
  };
  let reply: ParseReply;
  try {
    const r = await readIjwFile(job.path, job.display, job.base, pseudonymise, sink, undefined, { validate: job.validate, expect: job.kind as MessageType });
    reply = { id: job.id, ok: true, meta: r.meta, counts: r.counts, rows };
  } catch (e) {
    const g = e instanceof GripError ? e : null;
    reply = { id: job.id, ok: false, code: g?.code ?? null, message: (e as Error).message, where: g?.where ?? {} };
  }
  parentPort!.postMessage(reply);
});
