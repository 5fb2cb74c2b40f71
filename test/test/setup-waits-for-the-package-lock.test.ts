import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SETUP = resolve(__dirname, '../../scripts/setup.sh');
const LOCKED = 'E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)';

/**
 * Runs `scripts/setup.sh` with a PATH holding only the tools it needs and stand-ins for
 * apt-get (locked for its first `lockedCalls` calls), sleep (short) and npm (a no-op), so that
 * it must install redis-server and chromium through apt.
 */
function runSetup(lockedCalls: number, waitSeconds: number) {
  const bin = mkdtempSync(join(tmpdir(), 'hub-setup-'));
  try {
    for (const tool of ['dirname', 'id', 'env', 'grep', 'cat']) symlinkSync(spawnSync('bash', ['-c', `command -v ${tool}`]).stdout.toString().trim(), join(bin, tool));
    const script = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    script('apt-get', `echo "$*" >> ${bin}/apt-calls
n=$(cat ${bin}/apt-calls | /usr/bin/wc -l)
if [ "$n" -le ${lockedCalls} ]; then echo "${LOCKED}" >&2; exit 100; fi`);
    script('sleep', '/bin/sleep 0.2');
    script('npm', 'exit 0');
    const run = spawnSync('/bin/bash', [SETUP], {
      env: { PATH: bin, HUB_SETUP_APT_LOCK_WAIT: String(waitSeconds), HOME: bin },
      encoding: 'utf8',
      timeout: 30_000,
    });
    const calls = readFileSync(join(bin, 'apt-calls'), 'utf8').trim().split('\n');
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, calls };
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
}

describe('npm run setup while another package manager run holds the lock', () => {
  it('waits for the lock, then installs', () => {
    const run = runSetup(3, 60);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Waiting for another package manager run to release its lock/);
    // Three locked attempts of the first update, then update and install of each package.
    expect(run.calls.length).toBeGreaterThanOrEqual(3 + 2);
    expect(run.calls.every((c) => c.includes('DPkg::Lock::Timeout=60'))).toBe(true);
    expect(run.calls.some((c) => /install .*redis-server/.test(c))).toBe(true);
  });

  it('gives up once the wait is over, naming the lock and the setting', () => {
    const run = runSetup(1_000, 1);
    expect(run.status).toBe(100);
    expect(run.stderr).toContain(LOCKED);
    expect(run.stderr).toMatch(/still held after 1 s \(HUB_SETUP_APT_LOCK_WAIT\)/);
    expect(run.calls.every((c) => c.startsWith('-o DPkg::Lock::Timeout=1 update'))).toBe(true);
  });
});
