import { VARIABLES, type Variable } from './variables';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function requiredIn(variable: Variable): string {
  if (variable.requiredWithConnector) return `connector-worker running ${variable.requiredWithConnector}`;
  return variable.requiredInProduction?.length ? variable.requiredInProduction.join(', ') : '';
}

/** The reference table of every variable, as Markdown (`CONFIGURATION.md`). */
export function configurationReference(): string {
  const rows = VARIABLES.map((v) =>
    `| \`${v.name}\` | ${cell(v.services.length ? v.services.join(', ') : '—')} | ${cell(v.meaning)} | ${cell(v.default ?? '')} | ${cell(requiredIn(v))} | ${v.secret ? 'secret' : v.fromFile ? 'file' : ''} |`,
  );
  return `# Configuration

Every environment variable the hub reads. Generated from \`hub/src/configuration/variables.ts\`
by \`npm run configuration\`; a test fails when the code reads a variable this table lacks.

- Each service checks its variables at start and, when one is wrong, exits with code 2 and one
  line per problem, naming the variable.
- **secret**: may be given as a file, \`NAME_FILE=/run/secrets/…\` (one trailing newline is
  dropped), and never appears in a log or an error message. **file**: may be given as a file too.
- **Required in production**: with \`HUB_ENV=production\` the services named refuse to start
  without it. In production nothing generates a key, migrates, creates a developer partner or
  writes into the source tree: the \`migrate\` job creates the schemas and the first signing keys.
- \`<NAME>\` is a subgraph's name in upper case (\`REGISTRY\`, \`VACCINATION\`, \`TESTING\`,
  \`INSURANCE\`, \`CASES\`, \`AUDIT\`); \`<SERVICE>\` a service's, \`-\` as \`_\`.

| Variable | Services | Meaning | Default | Required in production by | Secret |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
}
