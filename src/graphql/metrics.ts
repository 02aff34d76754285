// Prometheus metrics (GET /metrics, METRICS=false turns it off): Node's defaults (event-loop lag
// percentiles, heap, GC), how long GraphQL requests take by operation type, and how many operations
// ran by name and how many errors went out by code. One registry per app, so apps in one process
// (tests) keep their own counts.
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { isErrorCode } from '../errors.ts';

// Names come from clients: only name-like ones become labels, and only so many, so a client cannot
// grow the metrics without bound.
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_OPERATION_NAMES = 200;

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL requests from arrival to answer, by operation type (query, mutation; invalid when none ran).',
    labelNames: ['operation_type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const operations = new Counter({
    name: 'graphql_operations_total',
    help: 'Operations executed, by operation name (anonymous without one, other past 200 distinct names).',
    labelNames: ['operation_name'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'graphql_errors_total',
    help: 'Errors answered, by extensions.code, the HTTP-level refusals included.',
    labelNames: ['code'],
    registers: [registry],
  });
  const names = new Set<string>();
  const labelOf = (name: string | null | undefined) => {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_NAMES) return 'other';
    names.add(name);
    return name;
  };

  const started = new WeakMap<Request, { at: number; type: string }>();
  const plugin: Plugin = {
    onRequest({ request }) {
      started.set(request, { at: performance.now(), type: 'invalid' });
    },
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      const request = (args.contextValue as { request?: Request }).request;
      const entry = request && started.get(request);
      if (entry && operation) entry.type = operation.operation;
      operations.inc({ operation_name: labelOf(operation?.name?.value ?? args.operationName) });
    },
    onResultProcess({ result }) {
      for (const single of Array.isArray(result) ? result : [result]) {
        for (const error of (single as { errors?: readonly { extensions?: { code?: unknown } }[] } | null)?.errors ??
          []) {
          countError(error.extensions?.code);
        }
      }
    },
    onResponse({ request }) {
      const entry = started.get(request);
      if (entry) duration.observe({ operation_type: entry.type }, (performance.now() - entry.at) / 1000);
    },
  };

  function countError(code: unknown) {
    errors.inc({ code: isErrorCode(code) ? code : 'other' });
  }

  return {
    plugin,
    /** For answers given before yoga (src/http/answer.ts). */
    countError,
    contentType: registry.contentType,
    render: () => registry.metrics(),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
