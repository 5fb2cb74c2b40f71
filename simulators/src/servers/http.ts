import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SimulatorError, SimulatorErrors } from '../errors';
import type { Population } from '../population/types';
import { type FaultSettings, FaultSwitch, parseFaults, RequestDice } from './faults';

/** Token every simulator accepts when SimulatorOptions.token is omitted. */
export const DEFAULT_SIMULATOR_TOKEN = 'simulator-token';

/** Options every simulator takes. */
export interface SimulatorOptions {
  /** The population whose records the simulator serves. Required. */
  population: Population;
  /** Port to listen on; default 0 (a free port). */
  port?: number;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** Bearer token clients must send; default DEFAULT_SIMULATOR_TOKEN. */
  token?: string;
  /** Faults switched on from the start; default none. */
  faults?: Partial<FaultSettings>;
  /** Seed of the per-record and per-request faults; default the population's seed. */
  seed?: number;
}

/** A running simulator. */
export interface Simulator {
  /** Base URL, without a trailing slash. */
  url: string;
  /** Switches faults at run time (also `PUT {url}/_faults` with a JSON body). */
  faults: FaultSwitch;
  close(): Promise<void>;
}

/** SimulatorOptions after validation, with defaults filled in. */
export interface ResolvedSimulatorOptions {
  population: Population;
  port: number;
  host: string;
  token: string;
  seed: number;
  faults: FaultSwitch;
}

const optionsSchema = z.object({
  population: z.custom<Population>(
    (p) => p !== null && typeof p === 'object' && typeof (p as Population).person === 'function' && Number.isInteger((p as Population).size),
    { message: 'must be a Population from createPopulation' },
  ),
  port: z.number().int().min(0).max(65_535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
  token: z.string().min(1).default(DEFAULT_SIMULATOR_TOKEN),
  faults: z.unknown().optional(),
  seed: z.number().int().optional(),
});

/** Validates a simulator's options once, throwing HUB_SIMULATOR_BAD_OPTIONS naming the field. */
export function resolveOptions<Extra extends z.ZodRawShape>(
  options: unknown,
  extra?: Extra,
): ResolvedSimulatorOptions & z.infer<z.ZodObject<Extra>> {
  const schema = extra === undefined ? optionsSchema : optionsSchema.extend(extra);
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SimulatorError(SimulatorErrors.BAD_OPTIONS, `${issue?.path.join('.') || 'options'}: ${issue?.message ?? 'invalid'}`);
  }
  const { faults, seed, ...rest } = parsed.data as z.infer<typeof optionsSchema> & Record<string, unknown>;
  const population = rest.population as Population;
  return Object.freeze({
    ...rest,
    seed: seed ?? population.seed,
    faults: new FaultSwitch(parseFaults(faults)),
  }) as ResolvedSimulatorOptions & z.infer<z.ZodObject<Extra>>;
}

/** How a system words its error bodies (each real system has its own). */
export type ErrorBody = (message: string) => unknown;

/**
 * A Fastify app with what every simulator shares: bearer-token auth, the fault switch at
 * `/_faults`, and the per-request faults (latency, 503, no answer, truncated body).
 */
export function simulatorApp(options: ResolvedSimulatorOptions, errorBody: ErrorBody): { app: FastifyInstance; dice: RequestDice } {
  // Force-close on shutdown: a request held by the timeout fault would keep close() waiting.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const dice = new RequestDice(options.seed ^ 0x5eed);
  const { faults, token } = options;
  const isControl = (url: string) => url.startsWith('/_faults');

  app.get('/_faults', async () => faults.settings);
  app.put('/_faults', async (request, reply) => {
    try {
      return faults.set(request.body as Partial<FaultSettings>);
    } catch (error) {
      if (error instanceof SimulatorError) return reply.code(400).send({ code: error.code, message: error.message });
      throw error;
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    if (isControl(request.url)) return;
    const settings = faults.settings;
    if (settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.latencyMs));
    // Never settles: the client sees a request that gets no answer. Closing the server ends it.
    if (dice.chance(settings.timeoutRate)) return new Promise<void>(() => {});
    if (dice.chance(settings.errorRate)) return reply.code(503).send(errorBody('Service temporarily unavailable'));
    if (request.headers.authorization !== `Bearer ${token}`) return reply.code(401).send(errorBody('Missing or invalid token'));
  });

  app.addHook('onSend', async (request, _reply, payload) => {
    if (isControl(request.url) || !dice.chance(faults.settings.truncateRate)) return payload;
    if (typeof payload === 'string' || Buffer.isBuffer(payload)) return payload.slice(0, Math.floor(payload.length / 2));
    return payload;
  });

  return { app, dice };
}

/** Starts listening and returns the simulator handle. */
export async function listen(app: FastifyInstance, options: ResolvedSimulatorOptions): Promise<Simulator> {
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `http://${host}:${port}`, faults: options.faults, close: () => app.close() };
}
