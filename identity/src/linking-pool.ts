import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { IdentityError, IdentityErrors } from './errors';
import type { LinkDecision, MatcherOptions } from './matcher';
import type { LinkageModel } from './model';
import type { NormaliseOptions, RawRecord } from './record';
import type { WorkerReply, WorkerRequest } from './linking-worker';

/** Options of a linking pool. */
export interface LinkingPoolOptions extends MatcherOptions {
  /** Worker threads, each holding its own copy of the index; default: the machine's cores. */
  workers?: number;
  /** Heap limit of each worker in MiB (a worker holds a whole index); default: Node's. */
  maxHeapMb?: number;
  /**
   * Send each candidate's evidence back (default true). Evidence is worked out for every
   * candidate before it crosses threads (in one thread only when read), and copying it is
   * most of the cost of a pool: leave it out when only the decisions and candidates are read.
   */
  evidence?: boolean;
}

/**
 * Links over an in-memory index in worker threads, one per core: the index is read-only once
 * built, so each worker holds a copy and links whole batches on its own. Each copy costs the
 * index's memory and build time again; decisions are the same as one `Matcher` over a
 * `MemoryIndex` of the same persons (evidence included).
 */
export class LinkingPool {
  private readonly workers: PoolWorker[];
  private readonly waiting: Array<() => void> = [];
  private nextId = 1;
  private closed = false;

  constructor(model: LinkageModel, options: LinkingPoolOptions = {}) {
    const count = options.workers ?? availableParallelism();
    if (!Number.isInteger(count) || count < 1) {
      throw new IdentityError(IdentityErrors.BAD_OPTIONS, `workers must be a whole number of at least 1, got ${count}.`, { field: 'workers' });
    }
    const { workers: _workers, maxHeapMb, evidence = true, ...matcher } = options;
    this.workers = Array.from({ length: count }, () => new PoolWorker(model, matcher, evidence, maxHeapMb));
  }

  /** How many worker threads link. */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Normalises these persons (with `options`, e.g. `{ nameOrders: false }` as for an index)
   * and adds them to every worker's index; records the model refuses are left out and
   * counted. Add in chunks of tens of thousands: each chunk is copied to every worker.
   */
  async addPersons(persons: readonly RawRecord[], options: NormaliseOptions = {}): Promise<{ added: number; refused: number }> {
    const replies = await Promise.all(this.workers.map((w) => w.call({ type: 'add', id: this.nextId++, persons, options })));
    const first = replies[0] as Extract<WorkerReply, { type: 'added' }>;
    return { added: first.added, refused: first.refused };
  }

  /** Links a batch on the next free worker: the same decisions as `Matcher.linkRaw`. */
  async linkRaw(records: readonly RawRecord[]): Promise<LinkDecision[]> {
    const worker = await this.freeWorker();
    try {
      const reply = await worker.call({ type: 'link', id: this.nextId++, records });
      return (reply as Extract<WorkerReply, { type: 'linked' }>).decisions;
    } finally {
      worker.busy = false;
      this.waiting.shift()?.();
    }
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private async freeWorker(): Promise<PoolWorker> {
    for (;;) {
      if (this.closed) throw new IdentityError(IdentityErrors.BAD_OPTIONS, 'The linking pool is closed.');
      const free = this.workers.find((w) => !w.busy);
      if (free) {
        free.busy = true;
        return free;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }
}

/** One worker thread and its calls in flight. */
class PoolWorker {
  busy = false;
  private readonly thread: Worker;
  private readonly pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;

  constructor(model: LinkageModel, matcher: MatcherOptions, evidence: boolean, maxHeapMb: number | undefined) {
    this.thread = startWorker({ model, matcher, evidence }, maxHeapMb);
    this.thread.on('message', (reply: WorkerReply) => {
      const call = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.type === 'failed') call?.reject(new IdentityError(IdentityErrors.BAD_RECORD, reply.message));
      else call?.resolve(reply);
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    };
    this.thread.on('error', fail);
    this.thread.on('exit', (code) => fail(new Error(`linking worker stopped (exit code ${code})`)));
  }

  call(request: WorkerRequest): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      this.thread.postMessage(request);
    });
  }

  async terminate(): Promise<void> {
    this.thread.removeAllListeners('exit');
    await this.thread.terminate();
  }
}

/**
 * Starts the worker script next to this file. Sources run as TypeScript (tsx, or jest's
 * transform in the parent): a worker does not inherit the parent's loader, so it registers
 * tsx itself; built JavaScript loads directly.
 */
function startWorker(workerData: unknown, maxHeapMb: number | undefined): Worker {
  const resourceLimits = maxHeapMb ? { maxOldGenerationSizeMb: maxHeapMb } : undefined;
  if (__filename.endsWith('.js')) return new Worker(join(__dirname, 'linking-worker.js'), { workerData, resourceLimits });
  const script = `require('tsx/cjs/api').register(); require(${JSON.stringify(join(__dirname, 'linking-worker.ts'))});`;
  return new Worker(script, { eval: true, workerData, resourceLimits });
}
