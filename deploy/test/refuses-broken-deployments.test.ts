import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from './run-check';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hub-deploy-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function kustomization(objects: string): Promise<string> {
  await writeFile(join(dir, 'objects.yaml'), objects);
  await writeFile(join(dir, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [objects.yaml]\n');
  return dir;
}

const gateway = (replicas: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: { name: gateway }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: gateway } }
  template:
    metadata: { labels: { app: gateway } }
    spec:
      containers:
        - name: hub
          image: health-hub:1
          args: [gateway]
${extra}`;

describe('the deploy check', () => {
  it('refuses an object the Kubernetes API schema refuses, naming the object and field', async () => {
    const { code, output } = await runCheck(await kustomization(gateway('"two"')));
    expect(code).toBe(1);
    expect(output).toMatch(/HUB_DEPLOY_INVALID_MANIFEST .*Deployment\/gateway: \/spec\/replicas must be integer/);
  });

  it('refuses a kind the bundled schemas do not know', async () => {
    const { output } = await runCheck(await kustomization('apiVersion: apps/v1\nkind: Deploymnt\nmetadata: { name: x }\n'));
    expect(output).toMatch(/HUB_DEPLOY_UNKNOWN_KIND .*no schema for apps\/v1 Deploymnt/);
  });

  it('refuses a gateway of one replica without probes, resources, root checks, autoscaler or budget', async () => {
    const { code, output } = await runCheck(await kustomization(gateway('1', '          env: [{ name: HUB_GATEWAY_SECRET, value: inline }]\n')));
    expect(code).toBe(1);
    for (const rule of [
      'the gateway needs at least 2 replicas',
      'needs liveness and readiness probes',
      'needs cpu and memory requests',
      'runAsNonRoot',
      'HUB_GATEWAY_SECRET is a secret',
      'no HorizontalPodAutoscaler scales the gateway',
      'no Job runs migrate',
      'no CronJob runs retention',
      'no default-deny NetworkPolicy',
    ]) {
      expect(output).toContain(rule);
    }
    expect(output).toMatch(/HUB_DEPLOY_POLICY/);
  });

  it('refuses a network policy that lets any source reach the subgraphs', async () => {
    const { output } = await runCheck(
      await kustomization(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: open }
spec:
  podSelector: { matchLabels: { app.kubernetes.io/component: subgraph } }
  ingress: [{ ports: [{ port: 4101 }] }]
`),
    );
    expect(output).toMatch(/HUB_DEPLOY_POLICY .*NetworkPolicy\/open: lets any source reach the subgraphs/);
  });

  it('refuses a Containerfile that runs as root from an untagged base in one stage', async () => {
    const file = join(dir, 'Containerfile');
    await writeFile(file, 'FROM node\nWORKDIR /app\nCOPY . .\nRUN npm install\nUSER root\nCMD node hub/dist/service.js\n');
    const { code, output } = await runCheck(file);
    expect(code).toBe(1);
    for (const rule of ['multi-stage', 'DL3006', 'DL3002 the final USER must not be root', 'DL3025', 'npm ci']) expect(output).toContain(rule);
    expect(output).toMatch(/HUB_DEPLOY_CONTAINERFILE/);
  });

  it('refuses a compose file with an inline secret, development mode or an unknown key', async () => {
    const file = join(dir, 'compose.yaml');
    await writeFile(file, `name: t
services:
  gateway:
    image: health-hub:1
    environment:
      HUB_ENV: development
      HUB_ACCESS_KEK: inline
      HUB_DATABASE_ROLE_PASSWORD_GATEWAY: inline
      HUB_DATABASE_ROLE_PASSWORD_GATEWAY_FILE: /run/secrets/database-password-gateway
    restart_policy: always
`);
    const { code, output } = await runCheck(file);
    expect(code).toBe(1);
    expect(output).toMatch(/HUB_DEPLOY_COMPOSE .*invalid-schema|HUB_DEPLOY_COMPOSE .*additional/);
    expect(output).toContain('HUB_ENV must be production');
    expect(output).toContain('HUB_ACCESS_KEK is a secret');
    // A role's password is a secret under its per-service name; its _FILE form is not.
    expect(output).toContain('HUB_DATABASE_ROLE_PASSWORD_GATEWAY is a secret');
    expect(output).not.toContain('HUB_DATABASE_ROLE_PASSWORD_GATEWAY_FILE is a secret');
  });
});
