import { HubError } from '@health-hub/subgraph-kit';
import { parseArgs } from 'node:util';
import { backfillIdentityLinks } from '../identity/backfill';
import { AVAILABLE_CONNECTORS } from './available';
import { CliErrors } from './cli-errors';
import { openCliContext, type CliContext, type CliOptions } from './context';
import { listConnectors } from './list';
import { setConnectorPaused } from './pause';
import { listRejected, reprocess } from './rejected';
import { backfill, runConnector } from './run';

/** The CLI's help text. */
export function usage(ctx?: Pick<CliContext, 'connectors'>): string {
  const known = ctx ? Object.entries(ctx.connectors).map(([name, a]) => `  ${name}: ${a.env.join(', ')}`).join('\n') : '';
  return `Usage: npm run connectors -w @health-hub/connectors -- <command>

  list                                   each connector and stream: paused, cursor, last run, rejected
  run <name>                             run now, showing each committed page, until the run ends
  backfill <name> --from <cursor|date>   set the cursor (of --stream <s>, default every stream), then run
  pause <name> | resume <name>           stop or allow runs (a run in progress stops after its page)
  rejected <name> [--limit 20] [--raw]   the newest rejected records with their reasons
  reprocess <name>                       map and write the waiting rejected records again
  link-backfill [--limit 1000]           link every stored record without a citizen ID through the registry
                                         (references decided before are kept; --limit references per batch)

Environment: DATABASE_URL, REDIS_URL (required); HUB_QUEUE_PREFIX (hub); LOG_LEVEL (warn).
Connector config (run, backfill, reprocess):
${known}`;
}

/** What the parsed command did, for callers that want values rather than lines. */
export type CliResult = Awaited<ReturnType<typeof dispatch>>;

/**
 * Runs one CLI command (`argv` without the program name): opens the context from the
 * environment, runs the command, closes everything. Failures are coded HubErrors.
 */
export async function runCli(argv: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const { values, positionals } = parseCommandLine(argv);
  const [command, name] = positionals;
  if (command === undefined || command === 'help' || values.help) {
    (options.out ?? console.log)(usage({ connectors: options.connectors ?? AVAILABLE_CONNECTORS }));
    return undefined;
  }
  const ctx = await openCliContext(options);
  try {
    return await dispatch(ctx, command, name, values);
  } finally {
    await ctx.close();
  }
}

type Flags = ReturnType<typeof parseCommandLine>['values'];

async function dispatch(ctx: CliContext, command: string, name: string | undefined, values: Flags) {
  const needName = (): string => {
    if (!name) throw new HubError(CliErrors.USAGE, `\`${command}\` needs a connector name.\n${usage(ctx)}`, { details: { command } });
    return name;
  };
  switch (command) {
    case 'list':
      return listConnectors(ctx);
    case 'run':
      return runConnector(ctx, needName());
    case 'backfill':
      if (values.from === undefined) throw new HubError(CliErrors.USAGE, '`backfill` needs --from <cursor|date>.', { details: { command } });
      return backfill(ctx, needName(), { from: values.from, stream: values.stream });
    case 'pause':
    case 'resume':
      return setConnectorPaused(ctx, needName(), command === 'pause');
    case 'rejected':
      return listRejected(ctx, needName(), { limit: positiveInt(values.limit ?? '20', '--limit'), raw: values.raw });
    case 'reprocess':
      return reprocess(ctx, needName());
    case 'link-backfill':
      return backfillIdentityLinks(ctx.pool, { batchSize: positiveInt(values.limit ?? '1000', '--limit'), progress: ctx.out });
    default:
      throw new HubError(CliErrors.USAGE, `Unknown command "${command}".\n${usage(ctx)}`, { details: { command } });
  }
}

function parseCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        stream: { type: 'string' },
        limit: { type: 'string' },
        raw: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new HubError(CliErrors.USAGE, `${(error as Error).message}\n${usage()}`, { cause: error });
  }
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new HubError(CliErrors.USAGE, `${flag} must be a positive integer.`, { details: { flag } });
  return n;
}
