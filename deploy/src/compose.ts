import { readFileSync } from 'node:fs';
import { DCLinter } from 'dclint';
import { parse } from 'yaml';
import { DeployErrors, type Problem } from './errors';

interface ComposeService {
  image?: string;
  environment?: Record<string, string | number | null> | string[];
}

// A role's password is named per service (`HUB_DATABASE_ROLE_PASSWORD_GATEWAY`); `NAME_FILE` names a file.
const SECRET_VARIABLE = /^(?!.*_FILE$)(DATABASE_URL$|REDIS_URL$|.*_KEK$|.*_SECRET$|.*_KEY$|.*_TOKEN$|.*PASSWORD.*)/;

/** dclint's rules that only order keys or quote values: taste, not correctness. */
const STYLE_RULES_OFF = {
  'service-keys-order': 0,
  'services-alphabetical-order': 0,
  'top-level-properties-order': 0,
  'service-dependencies-alphabetical-order': 0,
  'service-ports-alphabetical-order': 0,
  'require-quotes-in-ports': 0,
} as const;

/**
 * Validates a compose file with dclint (the Compose Specification's JSON schema, then its
 * correctness rules: explicit image tags, bound port interfaces, …), then the hub's rules:
 * every hub service runs in production mode and takes its secrets from files.
 */
export function validateCompose(path: string, where: string): Problem[] {
  const problems: Problem[] = [];
  const linter = new DCLinter({ rules: STYLE_RULES_OFF, quiet: false, debug: false, exclude: [] });
  for (const result of linter.lintFiles([path], false)) {
    for (const m of result.messages) problems.push({ code: DeployErrors.COMPOSE, where: `${where}:${m.line}`, message: `${m.message} (${m.rule})` });
  }
  const document = parse(readFileSync(path, 'utf8'), { merge: true }) as { services?: Record<string, ComposeService> };
  for (const [name, service] of Object.entries(document.services ?? {})) {
    if (!service.image?.startsWith('health-hub')) continue;
    const env = Array.isArray(service.environment)
      ? Object.fromEntries(service.environment.map((e) => [e.split('=')[0]!, e.split('=').slice(1).join('=')]))
      : (service.environment ?? {});
    if (env.HUB_ENV !== 'production') problems.push({ code: DeployErrors.COMPOSE, where: `${where}: services.${name}`, message: 'HUB_ENV must be production' });
    for (const key of Object.keys(env)) {
      if (SECRET_VARIABLE.test(key)) problems.push({ code: DeployErrors.COMPOSE, where: `${where}: services.${name}`, message: `${key} is a secret: give ${key}_FILE from a compose secret instead` });
    }
  }
  return problems;
}
