import type { Queryable } from '@health-hub/subgraph-kit';

/** Of a stream: its newest succeeded run, and how fresh the newest source change it stored is. */
export interface LastSuccess {
  /** When its newest succeeded run ended. */
  endedAt: Date;
  /**
   * Of the newest run that stored a source change (a run that read nothing has no lag): ms
   * between that run's end and the newest change it stored. Null when none did.
   */
  lagMs: number | null;
  /** The newest source change stored (that run's end minus its lag); null when none. */
  newestChangeAt: Date | null;
}

/** `LastSuccess` of every stream of the listed connectors that ever succeeded, keyed `<connector>/<stream>`. */
export async function lastSuccesses(db: Queryable, connectors: readonly string[]): Promise<Map<string, LastSuccess>> {
  const { rows } = await db.query<{ connector: string; stream: string; endedAt: Date; lagMs: number | null; newestChangeAt: Date | null }>(
    `SELECT s.connector, s.stream, s.ended_at AS "endedAt", l.lag_ms::float8 AS "lagMs",
            l.ended_at - make_interval(secs => l.lag_ms / 1000.0) AS "newestChangeAt"
       FROM (SELECT DISTINCT ON (connector, stream) connector, stream, ended_at FROM connectors.run
              WHERE connector = ANY($1::text[]) AND status = 'succeeded' ORDER BY connector, stream, id DESC) AS s
       LEFT JOIN LATERAL (SELECT ended_at, lag_ms FROM connectors.run r
              WHERE r.connector = s.connector AND r.stream = s.stream AND r.status = 'succeeded' AND r.lag_ms IS NOT NULL
              ORDER BY r.id DESC LIMIT 1) AS l ON true`,
    [connectors],
  );
  return new Map(rows.map((r) => [`${r.connector}/${r.stream}`, { endedAt: r.endedAt, lagMs: r.lagMs, newestChangeAt: r.newestChangeAt }]));
}
