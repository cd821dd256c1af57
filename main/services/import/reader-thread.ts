/**
 * Thread entry (dist/main/import-reader.mjs) of a large import's reading half: reads and types the
 * files (./typing.ts) and posts the packets to the job's thread, which inserts them. At most
 * IN_FLIGHT packets wait there at a time (a shared counter the writer advances), so memory stays
 * bounded however much faster reading is than writing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../../../shared/errors';
import { readAndType, type RowPacket, type TypingInput } from './typing';

export type ReaderMessage =
  | { type: 'packet'; packet: RowPacket }
  | { type: 'progress'; bytesDone: number; totalBytes: number; rows: number }
  | { type: 'done'; result: Awaited<ReturnType<typeof readAndType>> }
  | { type: 'error'; app?: { code: string; en: string; zh: string; details?: unknown }; message?: string };

export interface ReaderInput {
  typing: TypingInput;
  /** [packets sent, packets written]: the writer adds to the second. */
  flow: SharedArrayBuffer;
}

export const IN_FLIGHT = 4;

const input = workerData as ReaderInput;
const flow = new Int32Array(input.flow);
const post = (m: ReaderMessage) => parentPort!.postMessage(m);

readAndType(input.typing, {
  packet(packet) {
    for (;;) {
      const written = Atomics.load(flow, 1);
      if (flow[0]! - written < IN_FLIGHT) break;
      Atomics.wait(flow, 1, written);
    }
    flow[0]!++;
    post({ type: 'packet', packet });
  },
  progress: (bytesDone, totalBytes, rows) => post({ type: 'progress', bytesDone, totalBytes, rows }),
}).then(
  (result) => post({ type: 'done', result }),
  (e) => post(isAppError(e) ? { type: 'error', app: e.toInfo() } : { type: 'error', message: String((e as Error)?.message ?? e) }),
);
