import { Kind, type ConstDirectiveNode, type ConstValueNode, type DocumentNode } from 'graphql';

/**
 * Who may read what. The rules live in the SDL as the federation access directives
 * (`@authenticated`, `@requiresScopes`, `@policy`) on every field; this module reads them
 * from a subgraph's SDL or from the supergraph and decides for a caller. The gateway and
 * every subgraph use the same reading, so the two enforcements cannot drift apart.
 */

/** Scopes a partner can be granted. */
export const SCOPES = [
  'person:read',
  'vaccination:read',
  'testing:read',
  'insurance:read',
  'cases:read',
  /** Enterprises, industrial zones and their risk self-assessments (not personal data; their contact persons need person:read too). */
  'workplaces:read',
  /** Writing to the epidemiology records: promoting traced contacts, subscribing to new cases. */
  'cases:write',
  /** Identifiers (citizen IDs, card numbers, phone numbers) in full rather than masked. */
  'identifiers:full',
  'identity:steward',
  /** Revoking an issued certificate (vaccination, test, recovery). */
  'certificates:revoke',
  'audit:read',
  /** Operating the connectors (`/admin/connectors`): their health and rejected records; pause, resume, run now, backfill. Reads no graph field. */
  'connectors:operate',
  /** Reading the gateway's operational metrics (`/metrics`), for a Prometheus server; no role holds it by default. */
  'metrics:read',
] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * Purposes of use a request may state (header `x-hub-purpose`). All are parts of epidemic
 * prevention, the only use the data may be put to.
 */
export const PURPOSES = [
  'epidemic-prevention',
  'treatment',
  'contact-tracing',
  'vaccination-certificate',
  'identity-resolution',
  'audit',
  /** Running the hub's data integration (the connectors that bring the sources' records in). */
  'operations',
] as const;
export type Purpose = (typeof PURPOSES)[number];

/**
 * Policies a `@policy` rule can name, each a fact about the caller that the gateway and the
 * subgraphs evaluate the same way:
 * - `nationwide`: the partner is not limited to one province (lookups by record ID, which
 *   would bypass the province filter, need it).
 */
export const POLICIES = ['nationwide'] as const;
export type Policy = (typeof POLICIES)[number];

/** The kinds of partner and what each is granted when created. */
export const ROLES = {
  /**
   * The Ministry of Health: everything but stewardship and audit; it may write tracing results.
   * No role holds `identifiers:full` by default: identifiers are masked unless it is granted.
   */
  ministry: {
    scopes: ['person:read', 'vaccination:read', 'testing:read', 'insurance:read', 'cases:read', 'cases:write', 'workplaces:read'],
    purposes: ['epidemic-prevention', 'treatment', 'contact-tracing'],
  },
  /** A provincial health department: the same reads and writes, limited to its province. */
  province: {
    scopes: ['person:read', 'vaccination:read', 'testing:read', 'insurance:read', 'cases:read', 'cases:write', 'workplaces:read'],
    purposes: ['epidemic-prevention', 'treatment', 'contact-tracing'],
  },
  /** An app backend (the citizen app, a clinic app): persons, doses and tests, identifiers masked. */
  app: {
    scopes: ['person:read', 'vaccination:read', 'testing:read'],
    purposes: ['vaccination-certificate', 'epidemic-prevention'],
  },
  /** A data steward: persons, identity resolution and revoking certificates. */
  steward: {
    scopes: ['person:read', 'identity:steward', 'certificates:revoke'],
    purposes: ['identity-resolution'],
  },
  /** An auditor: the audit log only. */
  auditor: {
    scopes: ['audit:read'],
    purposes: ['audit'],
  },
  /** An operator of the data integration: the connectors' admin API only (no personal data in the graph). */
  operator: {
    scopes: ['connectors:operate'],
    purposes: ['operations'],
  },
} as const satisfies Record<string, { scopes: readonly Scope[]; purposes: readonly Purpose[] }>;
export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

/** What the rules need to know about a caller. */
export interface Caller {
  scopes: readonly string[];
  /** Province code the partner is limited to, or null for nationwide partners. */
  provinceCode: string | null;
}

/**
 * The rule of one field: each present part must be satisfied. `scopes` and `policies` are
 * lists of alternatives, each a list of names that must all be held (the federation
 * directives' OR-of-ANDs).
 */
export interface AccessRule {
  authenticated: boolean;
  scopes: string[][] | null;
  policies: string[][] | null;
}

export type AccessDecision = { allowed: true } | { allowed: false; missingScopes: string[]; missingPolicies: string[] };

/** `Type.field` → rule, for every field that carries at least one access directive. */
export type AccessRules = ReadonlyMap<string, AccessRule>;

/**
 * Reads the access directives of every object field in an SDL document (a subgraph's file or
 * the supergraph; type extensions included). Fields without any directive are absent: the
 * callers deny them.
 */
export function readAccessRules(document: DocumentNode): AccessRules {
  const rules = new Map<string, AccessRule>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const rule = ruleOf(field.directives ?? []);
      if (!rule) continue;
      const coordinate = `${definition.name.value}.${field.name.value}`;
      const known = rules.get(coordinate);
      rules.set(coordinate, known ? stricter(known, rule) : rule);
    }
  }
  return rules;
}

function ruleOf(directives: readonly ConstDirectiveNode[]): AccessRule | null {
  let rule: AccessRule | null = null;
  for (const directive of directives) {
    const name = directive.name.value;
    if (name !== 'authenticated' && name !== 'requiresScopes' && name !== 'policy') continue;
    rule ??= { authenticated: false, scopes: null, policies: null };
    if (name === 'authenticated') rule.authenticated = true;
    const argument = (argName: string) => directive.arguments?.find((a) => a.name.value === argName)?.value;
    if (name === 'requiresScopes') rule.scopes = listOfLists(argument('scopes'));
    if (name === 'policy') rule.policies = listOfLists(argument('policies'));
  }
  return rule;
}

function listOfLists(value: ConstValueNode | undefined): string[][] {
  if (!value || value.kind !== Kind.LIST) return [];
  return value.values.map((inner) => (inner.kind === Kind.LIST ? inner.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : [])) : []));
}

// A field declared in several subgraphs with different rules needs all of them.
function stricter(a: AccessRule, b: AccessRule): AccessRule {
  const both = (x: string[][] | null, y: string[][] | null) =>
    x && y ? x.flatMap((left) => y.map((right) => [...new Set([...left, ...right])])) : (x ?? y);
  return { authenticated: a.authenticated || b.authenticated, scopes: both(a.scopes, b.scopes), policies: both(a.policies, b.policies) };
}

/** Scopes that guard personal data: reading a field that needs one is written to the audit log. */
export const PERSONAL_SCOPES: readonly string[] = ['person:read', 'vaccination:read', 'testing:read', 'insurance:read', 'cases:read'];

/** Whether a field with this rule holds personal data (it needs a personal scope). */
export function isPersonalData(rule: AccessRule | undefined): boolean {
  return !!rule?.scopes?.some((all) => all.some((scope) => PERSONAL_SCOPES.includes(scope)));
}

/** Whether `caller` satisfies `policy`. */
export function holdsPolicy(caller: Caller, policy: string): boolean {
  switch (policy) {
    case 'nationwide':
      return caller.provinceCode === null;
    default:
      return false; // an unknown policy name is never held
  }
}

/**
 * Decides one field for one caller. A missing rule denies (fail closed). When denied, the
 * missing scopes are those of the alternative the caller is closest to.
 */
export function decide(rule: AccessRule | undefined, caller: Caller): AccessDecision {
  if (!rule) return { allowed: false, missingScopes: [], missingPolicies: [] };
  const held = new Set(caller.scopes);
  const closest = (alternatives: string[][] | null, holds: (name: string) => boolean) => {
    if (!alternatives) return [];
    let best: string[] | null = null;
    for (const all of alternatives) {
      const missing = all.filter((name) => !holds(name));
      if (missing.length === 0) return [];
      if (!best || missing.length < best.length) best = missing;
    }
    return best ?? [];
  };
  const missingScopes = closest(rule.scopes, (s) => held.has(s));
  const missingPolicies = closest(rule.policies, (p) => holdsPolicy(caller, p));
  if (missingScopes.length === 0 && missingPolicies.length === 0) return { allowed: true };
  return { allowed: false, missingScopes, missingPolicies };
}

/** How a field's value is shown to a caller without the scope to see it whole. */
export interface MaskRule {
  /** The scope that shows the value in full. */
  unless: string;
  keepStart: number;
  keepEnd: number;
}

/** `Type.field` → masking, from the `@masked` directive (composed into the supergraph). */
export function readMaskRules(document: DocumentNode): ReadonlyMap<string, MaskRule> {
  const rules = new Map<string, MaskRule>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const directive = field.directives?.find((d) => d.name.value === 'masked');
      if (!directive) continue;
      const arg = (name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
      const text = (v: ConstValueNode | undefined, fallback: string) => (v?.kind === Kind.STRING ? v.value : fallback);
      const int = (v: ConstValueNode | undefined, fallback: number) => (v?.kind === Kind.INT ? Number(v.value) : fallback);
      rules.set(`${definition.name.value}.${field.name.value}`, {
        unless: text(arg('unless'), 'identifiers:full'), keepStart: int(arg('keepStart'), 0), keepEnd: int(arg('keepEnd'), 3),
      });
    }
  }
  return rules;
}

/** `0790*****123`: the kept ends, every other character a `*`; a value too short to keep both is all stars. */
export function maskValue(value: string, rule: MaskRule): string {
  if (value.length <= rule.keepStart + rule.keepEnd) return '*'.repeat(value.length);
  return value.slice(0, rule.keepStart) + '*'.repeat(value.length - rule.keepStart - rule.keepEnd) + value.slice(value.length - rule.keepEnd);
}
