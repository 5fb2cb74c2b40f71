import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CircuitState } from '../circuit-breaker';

const CIRCUIT_STATES: readonly CircuitState[] = ['closed', 'half-open', 'open'];

/** The gateway's Prometheus registry and the Apollo Server plugin that feeds it. */
export function gatewayMetrics() {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'gateway' });
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'hub_graphql_request_duration_seconds',
    help: 'GraphQL requests through the gateway, by operation name and outcome',
    labelNames: ['operation', 'outcome'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'hub_graphql_errors_total',
    help: 'Errors returned by the gateway, by code',
    labelNames: ['code'],
    registers: [registry],
  });
  const subgraphFetch = new Histogram({
    name: 'hub_subgraph_fetch_duration_seconds',
    help: 'Fetches from the gateway to each subgraph, by outcome (ok, refused, failed, circuit-open)',
    labelNames: ['subgraph', 'outcome'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [registry],
  });
  const circuitState = new Gauge({
    name: 'hub_subgraph_circuit_state',
    help: "Each subgraph's circuit: 1 for the state it is in (closed, half-open, open), 0 for the others",
    labelNames: ['subgraph', 'state'],
    registers: [registry],
  });
  const circuitChanges = new Counter({
    name: 'hub_subgraph_circuit_changes_total',
    help: "Changes of each subgraph's circuit, by the state it moved to",
    labelNames: ['subgraph', 'state'],
    registers: [registry],
  });
  /** Hooks for one subgraph's connection (`connectSubgraph`'s `onFetch` and `onCircuitChange`). */
  const subgraph = (name: string) => {
    const setState = (state: CircuitState) => {
      for (const s of CIRCUIT_STATES) circuitState.set({ subgraph: name, state: s }, s === state ? 1 : 0);
    };
    setState('closed');
    return {
      onFetch: (seconds: number, outcome: string) => subgraphFetch.observe({ subgraph: name, outcome }, seconds),
      onCircuitChange: (state: CircuitState) => {
        setState(state);
        circuitChanges.inc({ subgraph: name, state });
      },
    };
  };
  // Operation names come from callers: keep the label set bounded.
  const seen = new Set<string>();
  const operationLabel = (name: string | undefined | null) => {
    if (!name || !/^[A-Za-z_]\w{0,63}$/.test(name)) return 'anonymous';
    if (seen.has(name) || seen.size < 200) return seen.add(name), name;
    return 'other';
  };
  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      const stop = duration.startTimer();
      return {
        async willSendResponse({ request, errors: found }) {
          for (const e of found ?? []) errors.inc({ code: String(e.extensions?.code ?? 'UNKNOWN') });
          stop({ operation: operationLabel(request.operationName), outcome: found?.length ? 'error' : 'ok' });
        },
      };
    },
  };
  return { registry, plugin, subgraph };
}
