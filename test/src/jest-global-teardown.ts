/** Stops the PostgreSQL started by the global setup (a given DATABASE_URL is left alone). */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { hubTestPostgres?: { stop(): Promise<void> } }).hubTestPostgres?.stop();
}
