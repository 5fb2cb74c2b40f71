/**
 * The connectors CLI: `npm run connectors -w @health-hub/connectors -- <command>` (see `usage`).
 * Exit code 0 when the command did what it was asked, 1 with `CODE: message` on stderr when not.
 */
import { HubError } from '@health-hub/subgraph-kit';
import { runCli } from './cli';

runCli(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof HubError) console.error(`${error.code}: ${error.message}`);
    else console.error(error);
    process.exit(1);
  },
);
