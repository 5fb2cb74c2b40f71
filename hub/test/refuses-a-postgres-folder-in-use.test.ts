import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runningPostmaster, startPostgres } from '../src/postgres';

// A second `npm start` beside a running one used to die with an unhandled rejection and no reason.
// PostgreSQL's `postmaster.pid` names the server's process on its first line.
describe('the embedded PostgreSQL data folder', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'hub-pg-folder-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is refused, naming the process that holds it, while a server runs on it', async () => {
    // A live process stands for the server: this one.
    writeFileSync(join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n`);
    expect(runningPostmaster(dataDir)).toBe(process.pid);
    await expect(startPostgres({ dataDir, databaseUrl: '' }))
      .rejects.toThrow(`The PostgreSQL data folder ${dataDir} is in use by process ${process.pid} (another npm start?)`);
  });

  it('is not held by a pid file a gone server left behind, nor by none', () => {
    // Past the kernel's largest process ID: nothing runs there.
    writeFileSync(join(dataDir, 'postmaster.pid'), '4194305\n/some/dir\n');
    expect(runningPostmaster(dataDir)).toBeNull();
    expect(runningPostmaster(join(dataDir, 'nothing-here'))).toBeNull();
  });
});
