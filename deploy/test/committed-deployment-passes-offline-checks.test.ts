import { runCheck } from './run-check';

describe('the committed deployment', () => {
  it('renders and validates against the Kubernetes API schemas, lints the Containerfile and validates the compose file', async () => {
    const { code, output } = await runCheck();
    expect(output).toMatch(/^ok {3}deploy\/Containerfile/m);
    expect(output).toMatch(/^ok {3}deploy\/compose\/compose\.yaml/m);
    expect(output).toMatch(/^ok {3}deploy\/kubernetes\/base \(\d+ objects\)/m);
    const overlay = /^ok {3}deploy\/kubernetes\/overlays\/example \((\d+) objects\)/m.exec(output);
    // Namespace, ConfigMap, 4 Secrets, 11 Deployments, Services, HPA, PDBs, policies, Job, CronJob, Ingress…
    expect(Number(overlay?.[1])).toBeGreaterThanOrEqual(50);
    expect(code).toBe(0);
  });
});
