import {
  DEFAULT_RAAS_FIELD_MAP,
  mappedRecordToEvent,
  mapped,
  type FieldMap,
  type FlatRecord,
} from "./field-map";
import { isRecord, parseUntrustedJson } from "./json";
import type { MediaKind } from "./media";
import { identifierError, sha256Hex, unprocessable, validEmployeeKey, type PendingItem } from "./normalize";
import { fail, ok, type Parsed } from "./result";
import {
  WORKDAY_NS,
  WORKER_SYNC_NS,
  parseWorkdayNotification,
  readGetWorkersResponse,
  readWorkerSyncWorker,
  workdayWorkerToEvent,
  type WorkdayWorker,
} from "./workday";
import type { WorkdayWorkersClient } from "./workday-client";
import {
  attr,
  children,
  localName,
  namespaceOf,
  parseUntrustedXml,
  soapParts,
  text,
  type XmlNode,
} from "./xml";

export type WorkdayMessageKind = "notification" | "get_workers" | "worker_sync" | "raas_xml" | "raas_json";

export interface WorkdayMessage {
  kind: WorkdayMessageKind;
  /** The SOAP header, where a WS-Security UsernameToken travels. */
  soapHeader?: XmlNode;
  items: PendingItem[];
}

export interface WorkdayIntakeOptions {
  /** The `Get_Workers` callback; without it a thin notification is quarantined, not guessed at. */
  workers?: Pick<WorkdayWorkersClient, "getWorker">;
  raasFieldMap?: FieldMap;
  /** `yyyy-MM-dd` the message arrived; the effective date of a record that names none. */
  receivedDate: string;
}

/**
 * Reads anything Workday sends to `POST /api/hr/workday`: an outbound notification (thin, read back with
 * `Get_Workers`), a pushed `Get_Workers` response, a Core Connector: Worker document, or a RaaS report (XML or
 * JSON). Dispatch is on root element and namespace, never on the URL.
 */
export function interpretWorkdayMessage(
  raw: string,
  media: MediaKind,
  options: WorkdayIntakeOptions,
): Parsed<WorkdayMessage> {
  if (media === "json") return interpretRaasJson(raw, options);
  if (media !== "xml") return fail("unsupported_format", "Workday messages are XML (SOAP) or RaaS JSON");
  const parsed = parseUntrustedXml(raw);
  if (!parsed.ok) return parsed;
  const parts = soapParts(parsed.value);
  if (!parts) return fail("unsupported_format", "XML has no root element or an empty SOAP Body");
  const name = localName(parts.name);
  const ns = namespaceOf(parts.name, parts.node, parts.ancestors);
  const digest = sha256Hex(raw).slice(0, 24);

  if (name === "Notification_Data" && ns === WORKDAY_NS) {
    const notification = parseWorkdayNotification(parts.node);
    if (!notification.ok) return notification;
    const wid = identifierError(notification.value.eventWid, "Event_Data/Event_Reference", 128);
    if (wid) return { ok: false, error: wid };
    const n = notification.value;
    const employeeKey = validEmployeeKey(n.employeeId);
    const item: PendingItem = {
      idempotencyKey: n.eventWid,
      ...(employeeKey === undefined ? {} : { employeeKey }),
      readsBackFromHr: options.workers !== undefined,
      normalize: async () => {
        if (n.employeeId !== undefined && employeeKey === undefined) {
          return unprocessable(
            "the notification's Employee_ID is not a valid employee id (letters, digits and . _ : -, at most 64)",
            "Event_Data/Transaction_Target_Reference",
          );
        }
        if (n.employeeId === undefined) {
          return unprocessable(
            "the notification names no worker (no Transaction_Target_Reference with an Employee_ID or Contingent_Worker_ID)",
            "Event_Data/Transaction_Target_Reference",
          );
        }
        if (!options.workers) {
          return unprocessable(
            "WORKDAY_API_URL is not configured, so the worker cannot be read back with Get_Workers",
          );
        }
        const worker = await options.workers.getWorker(n.employeeId);
        if (!worker) return unprocessable(`Get_Workers found no worker with Employee_ID ${n.employeeId}`);
        return workdayWorkerToEvent(worker, {
          eventId: `wd-${n.eventWid}`,
          eventWid: n.eventWid,
          ...(n.effectiveDate === undefined ? {} : { effectiveDate: n.effectiveDate }),
          receivedDate: options.receivedDate,
          ...(await managerEmail(worker, options)),
        });
      },
    };
    return ok({ kind: "notification", ...(parts.header ? { soapHeader: parts.header } : {}), items: [item] });
  }

  if (name === "Get_Workers_Response" && ns === WORKDAY_NS) {
    const workers = readGetWorkersResponse(parts.node);
    return workerItems("get_workers", workers, digest, parts.header, options);
  }

  if (name === "Worker_Sync" && ns === WORKER_SYNC_NS) {
    const workers = children(parts.node, "Worker").map(readWorkerSyncWorker);
    return workerItems("worker_sync", workers, digest, parts.header, options);
  }

  if (name === "Report_Data" && ns?.startsWith("urn:com.workday.report/")) {
    const rows = children(parts.node, "Report_Entry").map(raasXmlRow);
    return raasItems("raas_xml", rows, digest, options, parts.header);
  }

  return fail(
    "unsupported_format",
    `unsupported Workday document: root element ${name}${ns ? ` in ${ns}` : ""} (expected Notification_Data, Get_Workers_Response, Worker_Sync or a RaaS Report_Data)`,
  );
}

async function managerEmail(
  worker: WorkdayWorker,
  options: WorkdayIntakeOptions,
): Promise<{ managerEmail?: string }> {
  if (!worker.managerEmployeeId || !options.workers) return {};
  // The manager's email is optional in the event; a failed lookup must not block the worker's own event.
  const manager = await options.workers.getWorker(worker.managerEmployeeId).catch(() => undefined);
  return manager?.email ? { managerEmail: manager.email } : {};
}

function workerItems(
  kind: WorkdayMessageKind,
  workers: WorkdayWorker[],
  digest: string,
  header: XmlNode | undefined,
  options: WorkdayIntakeOptions,
): Parsed<WorkdayMessage> {
  if (workers.length === 0) return fail("invalid_field", "the document contains no Worker", "Worker");
  const items: PendingItem[] = [];
  for (const [index, worker] of workers.entries()) {
    const employeeId = worker.employeeId;
    if (!employeeId) {
      return fail(
        "invalid_field",
        `Worker ${index + 1} has no Employee_ID`,
        `Worker[${index + 1}]/Employee_ID`,
      );
    }
    const invalid = identifierError(employeeId, `Worker[${index + 1}]/Employee_ID`);
    if (invalid) return { ok: false, error: invalid };
    items.push({
      idempotencyKey: `${kind}:${digest}:${employeeId}`,
      employeeKey: employeeId,
      normalize: async () =>
        workdayWorkerToEvent(worker, {
          eventId: `wd-${digest.slice(0, 12)}-${employeeId}`,
          receivedDate: options.receivedDate,
          ...(await managerEmail(worker, options)),
        }),
    });
  }
  return ok({ kind, ...(header ? { soapHeader: header } : {}), items });
}

/** A RaaS XML row as a flat record: plain columns by text, reference columns by their descriptor. */
function raasXmlRow(entry: XmlNode): FlatRecord {
  const record: FlatRecord = {};
  for (const key of Object.keys(entry)) {
    if (key.startsWith("@_") || key === "#text") continue;
    const node = children(entry, localName(key))[0];
    record[localName(key)] = text(node) ?? attr(node, "Descriptor");
  }
  return record;
}

function interpretRaasJson(raw: string, options: WorkdayIntakeOptions): Parsed<WorkdayMessage> {
  const parsed = parseUntrustedJson(raw);
  if (!parsed.ok) return parsed;
  const body = parsed.value;
  if (!isRecord(body) || !Array.isArray(body.Report_Entry)) {
    return fail(
      "unsupported_format",
      'Workday JSON must be a RaaS report: {"Report_Entry":[…]}',
      "Report_Entry",
    );
  }
  const rows: FlatRecord[] = [];
  for (const [index, row] of body.Report_Entry.entries()) {
    if (!isRecord(row))
      return fail("invalid_field", `Report_Entry[${index}] is not an object`, `Report_Entry[${index}]`);
    rows.push(row);
  }
  return raasItems("raas_json", rows, sha256Hex(raw).slice(0, 24), options);
}

function raasItems(
  kind: WorkdayMessageKind,
  rows: FlatRecord[],
  digest: string,
  options: WorkdayIntakeOptions,
  header?: XmlNode,
): Parsed<WorkdayMessage> {
  if (rows.length === 0) return fail("invalid_field", "the report has no Report_Entry", "Report_Entry");
  const map = options.raasFieldMap ?? DEFAULT_RAAS_FIELD_MAP;
  const items: PendingItem[] = [];
  for (const [index, row] of rows.entries()) {
    const employeeId = mapped(row, map, "employeeId");
    if (!employeeId) {
      return fail(
        "invalid_field",
        `Report_Entry ${index + 1} has no employee id (columns tried: ${(map.employeeId ?? []).join(", ")})`,
        `Report_Entry[${index + 1}]/employeeId`,
      );
    }
    const invalid = identifierError(employeeId, `Report_Entry[${index + 1}]/employeeId`);
    if (invalid) return { ok: false, error: invalid };
    items.push({
      idempotencyKey: `${kind}:${digest}:${employeeId}`,
      employeeKey: employeeId,
      normalize: async () =>
        mappedRecordToEvent(row, map, {
          eventId: `wd-${digest.slice(0, 12)}-${employeeId}`,
          defaultType: "change",
          receivedDate: options.receivedDate,
        }),
    });
  }
  return ok({ kind, ...(header ? { soapHeader: header } : {}), items });
}
