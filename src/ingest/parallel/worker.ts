/**
 * A parse worker: reads one iJw file at a time — stream parse, in-stream XSD validation, Grip's checks,
 * pseudonymisation — and sends back the rows in order, or the GripError that rejects the file. It never
 * touches the warehouse: the importer's one writer appends what workers send, in file order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GripError } from '../../domain/errors.js';
import { makePseudonymiser } from '../pseudonymise.js';
import { parseToRows, rowsOf, serializeRows, type ParseJob, type ParseReply } from './pool.js';

const pseudonymise = makePseudonymiser(Buffer.from((workerData as { key: Uint8Array }).key));

const handle = async (job: ParseJob): Promise<void> => {
  let reply: ParseReply;
  try {
    const r = await parseToRows(job, pseudonymise);
    reply = { id: job.id, ok: true, meta: r.meta, counts: r.counts, rows: serializeRows(rowsOf(r)) };
  } catch (e) {
    const g = e instanceof GripError ? e : null;
    reply = { id: job.id, ok: false, code: g?.code ?? null, message: (e as Error).message, where: g?.where ?? {} };
  }
  parentPort!.postMessage(reply, reply.ok && reply.rows instanceof ArrayBuffer ? [reply.rows] : []);
};

parentPort!.on('message', (job: ParseJob) => void handle(job));
