import { readFileSync } from 'node:fs';
import { VARIABLES, namesOf, type ServiceName, type Variable } from './variables';

/** Environment variables as a service is given them. */
export type Environment = Record<string, string | undefined>;

/** A service's configuration once its files are read and every value checked. */
export interface LoadedConfiguration {
  /** The environment with each `NAME_FILE` read into `NAME`. */
  env: Record<string, string>;
  production: boolean;
  /** One line per problem, naming the variable; empty when the service may start. */
  problems: string[];
}

const mayComeFromFile = (v: Variable) => v.secret === true || v.fromFile === true;

/**
 * Reads `service`'s configuration from `env`: each `NAME_FILE` of a secret (or a file-valued
 * variable) into `NAME`, every set value checked, and in production (`HUB_ENV=production`) every
 * variable the service needs there present. Nothing is thrown: every problem is one line.
 */
export function loadConfiguration(service: ServiceName, env: Environment): LoadedConfiguration {
  const resolved: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value !== '') resolved[name] = value;
  const problems: string[] = [];
  // A variable whose file could not be read is reported once, not again as missing.
  const reported = new Set<string>();

  for (const variable of VARIABLES) {
    for (const name of namesOf(variable)) {
      const file = resolved[`${name}_FILE`];
      if (file === undefined) continue;
      if (!mayComeFromFile(variable)) {
        problems.push(`${name}_FILE: ${name} is not read from a file; set ${name} itself`);
        continue;
      }
      if (resolved[name] !== undefined) {
        problems.push(`${name} and ${name}_FILE are both set: keep one`);
        continue;
      }
      try {
        // A trailing newline is how editors and `echo` end a file; it is never part of a secret.
        resolved[name] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      } catch (error) {
        reported.add(name);
        problems.push(`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    }
  }

  for (const variable of VARIABLES) {
    if (!variable.check) continue;
    for (const name of namesOf(variable)) {
      const value = resolved[name];
      if (value === undefined) continue;
      const checked = variable.check.safeParse(value);
      // A secret's value never appears in a message.
      if (!checked.success) problems.push(`${name} ${checked.error.issues[0]!.message}${variable.secret ? '' : ` (got "${value}")`}`);
    }
  }

  const production = resolved.HUB_ENV === 'production';
  for (const variable of VARIABLES) {
    if (!variable.required?.includes(service)) continue;
    for (const name of namesOf(variable)) {
      if (resolved[name] === undefined && !reported.has(name)) problems.push(`${name}${mayComeFromFile(variable) ? ` (or ${name}_FILE)` : ''} is required by ${service}: ${variable.meaning}`);
    }
  }
  if (production) {
    const connectors = (resolved.HUB_CONNECTORS ?? '').split(',').map((n) => n.trim()).filter(Boolean);
    for (const variable of VARIABLES) {
      const required = variable.requiredInProduction?.includes(service) || (service === 'connector-worker' && variable.requiredWithConnector !== undefined && connectors.includes(variable.requiredWithConnector));
      if (!required) continue;
      for (const name of namesOf(variable)) {
        if (resolved[name] !== undefined || reported.has(name) || variable.required?.includes(service)) continue;
        const how = mayComeFromFile(variable) ? ` (or ${name}_FILE)` : '';
        problems.push(`${name}${how} is required in production by ${service}: ${variable.meaning}`);
      }
    }
    if (service === 'gateway' && resolved.HUB_GATEWAY_AUDIT === 'off') problems.push('HUB_GATEWAY_AUDIT=off is refused in production: every read of personal data is audited');
    if (service === 'gateway' && resolved.HUB_GRAPHIQL_API_KEY !== undefined) problems.push('HUB_GRAPHIQL_API_KEY is refused in production: GraphiQL would hand the key to anyone who opens it');
  }
  return { env: resolved, production, problems };
}
