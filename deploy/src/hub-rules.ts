import { DeployErrors, type Problem } from './errors';
import type { KubernetesObject } from './kubernetes';

// The parts of the pod spec the rules read.
interface Container {
  name: string;
  args?: string[];
  env?: { name: string; value?: string }[];
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { memory?: string } };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean };
}
interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec: PodSpec;
}
interface NetworkPolicyRule {
  from?: unknown[];
}

/** Names of variables that carry a secret: they must come from files (`NAME_FILE`), never inline. */
// A role's password is named per service (`HUB_DATABASE_ROLE_PASSWORD_GATEWAY`); `NAME_FILE` names a file.
const SECRET_VARIABLE = /^(?!.*_FILE$)(DATABASE_URL$|REDIS_URL$|.*_KEK$|.*_SECRET$|.*_KEY$|.*_TOKEN$|.*PASSWORD.*)/;

function podTemplateOf(o: KubernetesObject): PodTemplate | null {
  const spec = o.spec as Record<string, any> | undefined;
  if (o.kind === 'Deployment' || o.kind === 'Job') return (spec?.template as PodTemplate) ?? null;
  if (o.kind === 'CronJob') return (spec?.jobTemplate?.spec?.template as PodTemplate) ?? null;
  return null;
}

function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/**
 * The hub's own rules over rendered manifests, beyond the API schema: non-root, read-only
 * containers; probes and resource requests on every long-running service; secrets from files;
 * a highly available, autoscaled gateway; a migrate Job and a retention CronJob; disruption
 * budgets; subgraphs reachable only from the gateway behind a default-deny policy.
 */
export function checkHubRules(objects: readonly KubernetesObject[], where: string): Problem[] {
  const problems: Problem[] = [];
  const problem = (o: KubernetesObject | null, message: string) =>
    problems.push({ code: DeployErrors.POLICY, where: o ? `${where}: ${o.kind}/${o.metadata.name}` : where, message });
  const deployments = objects.filter((o) => o.kind === 'Deployment');

  for (const o of objects) {
    const template = podTemplateOf(o);
    if (!template) continue;
    if (template.spec.securityContext?.runAsNonRoot !== true) problem(o, 'pod must set securityContext.runAsNonRoot: true');
    for (const c of template.spec.containers) {
      if (c.securityContext?.readOnlyRootFilesystem !== true) problem(o, `container ${c.name} must have a read-only root filesystem`);
      if (c.securityContext?.allowPrivilegeEscalation !== false) problem(o, `container ${c.name} must set allowPrivilegeEscalation: false`);
      if (!c.resources?.requests?.cpu || !c.resources.requests.memory) problem(o, `container ${c.name} needs cpu and memory requests`);
      if (!c.resources?.limits?.memory) problem(o, `container ${c.name} needs a memory limit`);
      for (const e of c.env ?? []) {
        if (SECRET_VARIABLE.test(e.name) && e.value !== undefined) problem(o, `${e.name} is a secret: give ${e.name}_FILE from a mounted Secret instead`);
      }
      if (o.kind === 'Deployment' && (!c.livenessProbe || !c.readinessProbe)) problem(o, `container ${c.name} needs liveness and readiness probes`);
    }
  }

  const gateway = deployments.find((o) => o.metadata.name === 'gateway');
  if (!gateway) problem(null, 'no gateway Deployment');
  else if (((gateway.spec?.replicas as number | undefined) ?? 1) < 2) problem(gateway, 'the gateway needs at least 2 replicas');
  const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && (o.spec?.scaleTargetRef as { name?: string })?.name === 'gateway');
  if (!hpa) problem(null, 'no HorizontalPodAutoscaler scales the gateway');
  else if (((hpa.spec?.minReplicas as number | undefined) ?? 1) < 2) problem(hpa, 'minReplicas must be at least 2');

  const argsOf = (o: KubernetesObject) => podTemplateOf(o)?.spec.containers[0]?.args?.[0];
  if (!objects.some((o) => o.kind === 'Job' && argsOf(o) === 'migrate')) problem(null, 'no Job runs migrate');
  if (!objects.some((o) => o.kind === 'CronJob' && argsOf(o) === 'retention')) problem(null, 'no CronJob runs retention');

  const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
  for (const d of deployments) {
    if (((d.spec?.replicas as number | undefined) ?? 1) < 2) continue;
    const labels = (d.spec?.template as PodTemplate).metadata?.labels;
    const covered = budgets.some((b) => matches((b.spec?.selector as { matchLabels?: Record<string, string> })?.matchLabels, labels));
    if (!covered) problem(d, 'a Deployment of several replicas needs a PodDisruptionBudget');
  }

  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const denyAll = policies.some((p) => Object.keys((p.spec?.podSelector as object) ?? {}).length === 0 && !p.spec?.ingress && (p.spec?.policyTypes as string[] | undefined)?.includes('Ingress'));
  if (!denyAll) problem(null, 'no default-deny NetworkPolicy');
  const subgraphLabels = { 'app.kubernetes.io/component': 'subgraph', 'app.kubernetes.io/part-of': 'health-hub' };
  for (const p of policies) {
    const selector = (p.spec?.podSelector as { matchLabels?: Record<string, string> })?.matchLabels;
    if (!matches(selector, subgraphLabels)) continue;
    for (const rule of (p.spec?.ingress as NetworkPolicyRule[] | undefined) ?? []) {
      // A rule without `from` admits every source: subgraphs answer the gateway (and named scrapers) only.
      if (!rule.from || rule.from.length === 0) problem(p, 'lets any source reach the subgraphs');
    }
  }
  return problems;
}
