import { parentPort, workerData } from 'node:worker_threads';
import { Matcher, type LinkDecision, type MatcherOptions } from './matcher';
import { MemoryIndex } from './memory-index';
import { parseModel, type LinkageModel } from './model';
import { normaliseRecord, type NormalisedRecord, type NormaliseOptions, type RawRecord } from './record';

/** What the pool asks a worker (see `linking-pool.ts`). */
export type WorkerRequest =
  | { type: 'add'; id: number; persons: readonly RawRecord[]; options: NormaliseOptions }
  | { type: 'link'; id: number; records: readonly RawRecord[] };

/** What a worker answers. */
export type WorkerReply =
  | { type: 'added'; id: number; added: number; refused: number }
  | { type: 'linked'; id: number; decisions: LinkDecision[] }
  | { type: 'failed'; id: number; message: string };

// Runs only as a worker thread: one index, one matcher, one request at a time.
if (parentPort) {
  const port = parentPort;
  const data = workerData as { model: LinkageModel; matcher: MatcherOptions; evidence: boolean };
  const model = parseModel(data.model);
  const index = new MemoryIndex(model);
  const matcher = new Matcher(model, index, data.matcher);
  port.on('message', (request: WorkerRequest) => {
    void handle(request).then(
      (reply) => port.postMessage(reply),
      (error: Error) => port.postMessage({ type: 'failed', id: request.id, message: error.message } satisfies WorkerReply),
    );
  });

  async function handle(request: WorkerRequest): Promise<WorkerReply> {
    if (request.type === 'add') {
      const good: NormalisedRecord[] = [];
      for (const raw of request.persons) {
        const n = normaliseRecord(model, raw, request.options);
        if (n.ok) good.push(n.record);
      }
      index.add(good);
      return { type: 'added', id: request.id, added: good.length, refused: request.persons.length - good.length };
    }
    // Counted here, once, rather than inside the first batch linked.
    await index.termFrequencies();
    const decisions = await matcher.linkRaw(request.records);
    if (!data.evidence) for (const d of decisions) d.candidates = d.candidates.map(({ personId, weight, probability }) => ({ personId, weight, probability, evidence: [] }));
    return { type: 'linked', id: request.id, decisions };
  }
}
