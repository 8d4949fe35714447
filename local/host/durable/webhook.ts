/**
 * The Durable Functions HTTP API under /runtime/webhooks/durabletask/, the part `DurableClient` (df.getClient)
 * calls through `rpcBaseUrl` and that status URLs from createCheckStatusResponse point at: start, status
 * (one, filtered list, with history), raise event, terminate and purge.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, sendJson } from "../http-bridge";
import {
  InstanceConflictError,
  OrchestrationNotFoundError,
  TERMINAL_STATUSES,
  type DurableEngine,
  type RuntimeStatus,
} from "./engine";

export const DURABLE_WEBHOOK_PATH = "/runtime/webhooks/durabletask/";

const INSTANCE_PLACEHOLDER = "INSTANCEID";

/** The JSON value of a `durableClient` input binding, as the Durable extension hands it to the worker. */
export function durableClientData(origin: string, taskHubName: string) {
  const base = `${origin}${DURABLE_WEBHOOK_PATH}`;
  const query = `taskHub=${taskHubName}&connection=Storage`;
  return {
    taskHubName,
    creationUrls: {
      createNewInstancePostUri: `${base}orchestrators/{functionName}[/{instanceId}]?${query}`,
      createAndWaitOnNewInstancePostUri: `${base}orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${query}`,
    },
    managementUrls: managementUrls(base, INSTANCE_PLACEHOLDER, query),
    baseUrl: `${origin}/runtime/webhooks/durabletask`,
    requiredQueryStringParameters: query,
    rpcBaseUrl: base,
  };
}

function managementUrls(base: string, id: string, query: string) {
  const instance = `${base}instances/${id}`;
  return {
    id,
    statusQueryGetUri: `${instance}?${query}`,
    sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
    terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
    rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
    purgeHistoryDeleteUri: `${instance}?${query}`,
    restartPostUri: `${instance}/restart?${query}`,
    suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
    resumePostUri: `${instance}/resume?reason={text}&${query}`,
  };
}

function parseJsonBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Routes one request under DURABLE_WEBHOOK_PATH; `subPath` is what follows it. */
export function createDurableApi(engine: DurableEngine, taskHubName: string) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL, subPath: string): Promise<void> => {
    const method = req.method ?? "GET";
    const parts = subPath.split("/").filter(Boolean);
    const query = `taskHub=${taskHubName}&connection=Storage`;
    const base = `${url.origin}${DURABLE_WEBHOOK_PATH}`;

    if (parts[0] === "orchestrators" && method === "POST" && parts.length >= 2) {
      const input = parseJsonBody((await readBody(req)).toString("utf8"));
      try {
        const id = engine.startNew(parts[1], { instanceId: parts[2], input });
        const urls = managementUrls(base, id, query);
        return sendJson(res, 202, { ...urls, id }, { Location: urls.statusQueryGetUri });
      } catch (error) {
        if (error instanceof OrchestrationNotFoundError)
          return sendJson(res, 400, { Message: error.message });
        if (error instanceof InstanceConflictError) return sendJson(res, 409, { Message: error.message });
        throw error;
      }
    }

    if (parts[0] === "instances" && parts.length === 1) {
      if (method === "GET") {
        const statuses = url.searchParams.get("runtimeStatus")?.split(",").filter(Boolean) as
          RuntimeStatus[] | undefined;
        const from = url.searchParams.get("createdTimeFrom");
        const to = url.searchParams.get("createdTimeTo");
        let list = engine.listStatuses({
          runtimeStatus: statuses,
          createdTimeFrom: from ? new Date(from) : undefined,
          createdTimeTo: to ? new Date(to) : undefined,
        });
        const top = Number(url.searchParams.get("top") ?? 0);
        if (top > 0) list = list.slice(0, top);
        return sendJson(res, 200, list);
      }
      if (method === "DELETE") {
        const statuses = url.searchParams.get("runtimeStatus")?.split(",").filter(Boolean) as
          RuntimeStatus[] | undefined;
        const from = url.searchParams.get("createdTimeFrom");
        const to = url.searchParams.get("createdTimeTo");
        const victims = engine
          .listStatuses({
            runtimeStatus: statuses ?? [...TERMINAL_STATUSES],
            createdTimeFrom: from ? new Date(from) : undefined,
            createdTimeTo: to ? new Date(to) : undefined,
          })
          .filter((s) => TERMINAL_STATUSES.includes(s.runtimeStatus));
        for (const victim of victims) await engine.purge(victim.instanceId);
        return victims.length > 0
          ? sendJson(res, 200, { instancesDeleted: victims.length })
          : sendJson(res, 404, { instancesDeleted: 0 });
      }
    }

    if (parts[0] === "instances" && parts.length >= 2) {
      const id = parts[1];
      const action = parts[2];
      if (!action && method === "GET") {
        const status = engine.getStatus(id, {
          showHistory: url.searchParams.get("showHistory") === "true",
          showInput: url.searchParams.get("showInput") !== "false",
        });
        if (!status) return sendJson(res, 404, undefined);
        if (TERMINAL_STATUSES.includes(status.runtimeStatus)) {
          const failedAs500 =
            status.runtimeStatus === "Failed" &&
            url.searchParams.get("returnInternalServerErrorOnFailure") === "true";
          return sendJson(res, failedAs500 ? 500 : 200, status);
        }
        const location = managementUrls(base, id, query).statusQueryGetUri;
        return sendJson(res, 202, status, { Location: location, "Retry-After": "10" });
      }
      if (!action && method === "DELETE") {
        return (await engine.purge(id))
          ? sendJson(res, 200, { instancesDeleted: 1 })
          : sendJson(res, 404, undefined);
      }
      if (action === "raiseEvent" && method === "POST" && parts[3]) {
        const data = parseJsonBody((await readBody(req)).toString("utf8"));
        const outcome = engine.raiseEvent(id, parts[3], data);
        return sendJson(res, outcome === "accepted" ? 202 : outcome === "gone" ? 410 : 404, undefined);
      }
      if (action === "terminate" && method === "POST") {
        const outcome = engine.terminate(id, url.searchParams.get("reason") ?? "");
        return sendJson(res, outcome === "accepted" ? 202 : outcome === "gone" ? 410 : 404, undefined);
      }
      if (["suspend", "resume", "rewind", "restart"].includes(action ?? "")) {
        return sendJson(res, 501, { Message: `'${action}' is not supported by the local host.` });
      }
    }

    if (parts[0] === "entities" && parts.length === 3) {
      const [, name, key] = parts;
      if (method === "POST") {
        const body = (await readBody(req)).toString("utf8");
        const operation = url.searchParams.get("op") ?? "";
        engine.signalEntity(name, key, operation, body === "" ? undefined : body);
        return sendJson(res, 202, undefined);
      }
      if (method === "GET") {
        const entity = engine.readEntity(name, key);
        return entity ? sendJson(res, 200, entity.state) : sendJson(res, 404, undefined);
      }
    }
    sendJson(res, 404, { Message: `No Durable API route for ${method} ${subPath}.` });
  };
}
