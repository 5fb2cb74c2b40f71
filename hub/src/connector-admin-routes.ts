import type { AuditRecord } from '@health-hub/audit';
import { CliErrors, ConnectorErrors, openConnectorAdmin, type ConnectorAdmin, type ConnectorAdminOptions } from '@health-hub/connectors';
import { actionOperation, GatewayErrors, intentOperation } from '@health-hub/gateway';
import { HubError } from '@health-hub/subgraph-kit';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

/** The scope every route of the connector admin API needs. */
export const CONNECTORS_SCOPE = 'connectors:operate';
/** The purpose operating the connectors is done for (the operator role's). */
export const CONNECTORS_PURPOSE = 'operations';

/** Options of `connectorAdminRoutes`: where the connectors' state and queues are, and Bull Board's address. */
export interface ConnectorAdminRoutesOptions extends ConnectorAdminOptions {
  /** Bull Board's URL, shown to operators as a link. Default none. */
  boardUrl?: string;
}

// HTTP status of each refusal the admin can throw; anything else is a 500 without its text.
const STATUS: Record<string, number> = {
  [ConnectorErrors.UNKNOWN_CONNECTOR]: 404,
  [CliErrors.PAUSED]: 409,
  [CliErrors.BUSY]: 409,
  [CliErrors.USAGE]: 400,
  [CliErrors.BAD_CURSOR]: 400,
};

const backfillBody = z.object({ from: z.string().min(1).max(200), stream: z.string().min(1).max(100).optional() });
const rejectedQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

type Action = (admin: ConnectorAdmin, name: string, body: unknown) => Promise<Record<string, unknown>>;

/** Each change an operator can make: its audit name and what it does. */
const ACTIONS: Record<string, { operation: string; run: Action }> = {
  pause: { operation: 'pauseConnector', run: async (admin, name) => (await admin.setPaused(name, true), { paused: true }) },
  resume: { operation: 'resumeConnector', run: async (admin, name) => (await admin.setPaused(name, false), { paused: false }) },
  run: { operation: 'runConnector', run: async (admin, name) => ({ jobId: await admin.runNow(name) }) },
  backfill: {
    operation: 'backfillConnector',
    run: async (admin, name, body) => {
      const parsed = backfillBody.safeParse(body ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new HubError(CliErrors.USAGE, `Backfill field "${issue.path.join('.') || 'body'}" ${issue.message}: send { "from": "<cursor or date>", "stream"?: "<stream>" }.`, { details: { field: issue.path.join('.') } });
      }
      return admin.backfill(name, parsed.data);
    },
  },
};

/**
 * The connectors' admin API, served by the gateway beside the graph (the gateway authenticates
 * `/admin/…` like `/graphql`: credential and purpose), for partners holding `connectors:operate`:
 *
 * - `GET /admin/connectors` — each connector's health, streams (cursor, last run, last success,
 *   lag, pending rejected records) and queue, and Bull Board's URL;
 * - `GET /admin/connectors/:name/rejected?limit=` — its newest rejected records with their reasons;
 * - `POST /admin/connectors/:name/{pause,resume,run,backfill}` — `backfill` takes `{ from, stream? }`.
 *
 * Every change is audited like a mutation: an intent entry that must be durable before it runs
 * (else 503, nothing done), then an action entry saying how it ended. The rejected records'
 * keys may be citizen IDs, so that read is audited with them.
 */
export function connectorAdminRoutes(options: ConnectorAdminRoutesOptions): FastifyPluginAsync {
  return async (app) => {
    const admin = await openConnectorAdmin(options);
    app.addHook('onClose', async () => admin.close());

    // Every read and change is audited; a gateway without its audit log (HUB_GATEWAY_AUDIT=off,
    // for measuring only) serves none of them.
    const audit = async (request: FastifyRequest, operation: string, fields: string[], personIds: string[] = []) => {
      if (!app.auditLog) throw new Error('no audit log');
      const caller = request.caller!;
      const record: AuditRecord = {
        at: new Date().toISOString(), partnerId: caller.partner.id, purpose: caller.purpose, operation,
        requestId: request.id, clientAddress: request.ip ?? null, personIds, fields,
      };
      await app.auditLog.record(record);
    };

    /** Refuses a caller without the scope or stating another purpose; true when the request may go on. */
    const permitted = (request: FastifyRequest, reply: FastifyReply) => {
      const { partner, purpose } = request.caller!;
      if (!partner.scopes.includes(CONNECTORS_SCOPE)) {
        void refuse(reply, 403, GatewayErrors.SCOPE_REQUIRED, `Operating the connectors needs the scope ${CONNECTORS_SCOPE}, which partner ${partner.id} does not hold.`);
        return false;
      }
      if (purpose !== CONNECTORS_PURPOSE) {
        void refuse(reply, 403, GatewayErrors.PURPOSE_NOT_ALLOWED, `Operating the connectors is done for the purpose ${CONNECTORS_PURPOSE}; this request states ${purpose}.`);
        return false;
      }
      return true;
    };

    app.get('/admin/connectors', async (request, reply) => {
      if (!permitted(request, reply)) return reply;
      const connectors = await admin.overview();
      // Runs' error texts may quote what a source sent: the read is audited like the rejected records'.
      try {
        await audit(request, 'connectors', ['Admin.connectors', ...connectors.map((c) => `connector:${c.name}`)]);
      } catch {
        return refuse(reply, 503, GatewayErrors.AUDIT_UNAVAILABLE, 'The answer could not be audited, so it is withheld. Try again shortly.');
      }
      return { connectors, board: options.boardUrl ?? null };
    });

    app.get<{ Params: { name: string }; Querystring: Record<string, string> }>('/admin/connectors/:name/rejected', async (request, reply) => {
      if (!permitted(request, reply)) return reply;
      const query = rejectedQuery.safeParse(request.query);
      if (!query.success) return refuse(reply, 400, CliErrors.USAGE, 'limit must be a whole number from 1 to 500.');
      try {
        const result = await admin.rejected(request.params.name, query.data.limit);
        // Every record served is named in the entry: citizen IDs as persons, other keys (social
        // insurance codes, a malformed CCCD) as the records they are.
        const keys = [...new Set(result.rows.map((r) => r.sourceRecordKey).filter((key): key is string => !!key))];
        const personIds = keys.filter((key) => /^\d{12}$/.test(key));
        const otherRecords = keys.filter((key) => !/^\d{12}$/.test(key)).map((key) => `record:${key}`.slice(0, 128));
        try {
          await audit(request, 'connectorRejected', ['Admin.connectorRejected', `connector:${request.params.name}`, ...otherRecords], personIds);
        } catch {
          return refuse(reply, 503, GatewayErrors.AUDIT_UNAVAILABLE, 'The answer names persons and its audit entry could not be stored, so it is withheld. Try again shortly.');
        }
        return result;
      } catch (error) {
        return failed(request, reply, error);
      }
    });

    app.post<{ Params: { name: string; action: string } }>('/admin/connectors/:name/:action', async (request, reply) => {
      const action = ACTIONS[request.params.action];
      if (!action) return refuse(reply, 404, CliErrors.USAGE, `No action "${request.params.action.slice(0, 32)}": pause, resume, run or backfill.`);
      const name = request.params.name;
      const fields = [`Admin.${action.operation}`, `connector:${name.slice(0, 100)}`];
      if (!permitted(request, reply)) {
        // Trying is an action, as a mutation refused for want of a scope is.
        await audit(request, actionOperation(action.operation), [...fields, `Admin.${action.operation} (refused)`])
          .catch((error: Error) => request.log.error({ err: error }, 'connector admin refusal entry not stored'));
        return reply;
      }
      try {
        await audit(request, intentOperation(action.operation), fields);
      } catch {
        return refuse(reply, 503, GatewayErrors.AUDIT_UNAVAILABLE, 'The change could not be audited, so it was not made. Try again shortly.');
      }
      let outcome: Record<string, unknown> | undefined;
      let failure: unknown;
      try {
        outcome = await action.run(admin, name, request.body);
      } catch (error) {
        failure = error;
      }
      const code = failure instanceof HubError ? failure.code : failure ? 'unexpected' : undefined;
      // The action entry says how it ended; the change is made (or refused) whether or not it is stored.
      await audit(request, actionOperation(action.operation), code ? [...fields, `Admin.${action.operation} (failed)`, `code:${code}`] : fields)
        .catch((error: Error) => request.log.error({ err: error }, 'connector admin action entry not stored'));
      if (failure !== undefined) return failed(request, reply, failure);
      return { connector: name, ...outcome };
    });
  };
}

function failed(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  if (error instanceof HubError && STATUS[error.code]) return refuse(reply, STATUS[error.code]!, error.code, error.message);
  request.log.error({ err: error }, 'connector admin request failed');
  return refuse(reply, 500, 'HUB_CONNECTOR_ADMIN_FAILED', 'The connector admin could not do that; the gateway log has why.');
}

function refuse(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).type('application/json').send({ errors: [{ message, extensions: { code } }] });
}
