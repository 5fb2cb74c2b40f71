import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The runtime's Prometheus metrics, in a registry of its own (several runtimes may share a process). */
export interface ConnectorMetrics {
  registry: Registry;
  pages: Counter<'connector' | 'stream'>;
  records: Counter<'connector' | 'stream' | 'outcome'>;
  runs: Counter<'connector' | 'stream' | 'status'>;
  runSeconds: Histogram<'connector' | 'stream'>;
  lagSeconds: Gauge<'connector' | 'stream'>;
}

export function createMetrics(): ConnectorMetrics {
  const registry = new Registry();
  const labelNames = ['connector', 'stream'] as const;
  return {
    registry,
    pages: new Counter({ name: 'hub_connector_pages_total', help: 'Pages committed', labelNames, registers: [registry] }),
    records: new Counter({
      name: 'hub_connector_records_total',
      help: 'Source records by outcome: read, written (stored or changed), rejected',
      labelNames: [...labelNames, 'outcome'],
      registers: [registry],
    }),
    runs: new Counter({ name: 'hub_connector_runs_total', help: 'Run attempts by final status', labelNames: [...labelNames, 'status'], registers: [registry] }),
    runSeconds: new Histogram({
      name: 'hub_connector_run_seconds',
      help: 'Duration of run attempts',
      labelNames,
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800],
      registers: [registry],
    }),
    lagSeconds: new Gauge({ name: 'hub_connector_lag_seconds', help: 'Age of the newest source change stored by the last run', labelNames, registers: [registry] }),
  };
}
