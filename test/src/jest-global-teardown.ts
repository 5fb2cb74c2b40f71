type Stoppable = { stop(): Promise<void> } | undefined;

/** Stops the PostgreSQL and Redis started by the global setup (given servers are left alone). */
export default async function globalTeardown(): Promise<void> {
  const servers = globalThis as { hubTestPostgres?: Stoppable; hubTestRedis?: Stoppable };
  await Promise.all([servers.hubTestPostgres?.stop(), servers.hubTestRedis?.stop()]);
}
