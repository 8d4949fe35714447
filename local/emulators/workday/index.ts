import { randomBytes } from "node:crypto";
import { XMLBuilder, XMLParser } from "fast-xml-parser";
import { Secret } from "../../../src/config/secret";
import { verifyUsernameToken } from "../../../src/hr/auth";
import { readGetWorkersResponse } from "../../../src/hr/workday";
import {
  children,
  escapeXml,
  idOfType,
  localName,
  parseUntrustedXml,
  path,
  soapParts,
  text,
} from "../../../src/hr/xml";
import { json, listen, type RunningEmulator } from "../http";

/**
 * A local Workday: the Human_Resources `Get_Workers` operation over SOAP with WS-Security, serving workers loaded
 * from any `Get_Workers` response document (`POST /emulator/workers`), so a real export can be replayed. Loading
 * a worker, or recording a business process on one, is a transaction entered at that moment: `Get_Workers` with
 * `Transaction_Log_Criteria_Data` finds the workers with one entered in its window, a `Response_Filter` page at
 * a time.
 */
export interface WorkdayEmulatorOptions {
  /** 8086 by default; 0 picks a free port (tests). */
  port?: number;
  host?: string;
  /** The integration system user the callbacks must present. */
  user?: string;
  password?: string;
  /** Get_Workers response documents to load at start. */
  documents?: string[];
}

export interface WorkdayEmulator extends RunningEmulator {
  /**
   * Loads every worker of a Get_Workers response document; returns their Employee_IDs. Each is entered at
   * `enteredAt` (now when omitted): the moment a window in `Transaction_Log_Criteria_Data` is matched against.
   */
  loadWorkers(document: string, options?: { enteredAt?: Date }): string[];
  /**
   * Records a business process on a loaded worker (it appears in the worker's transaction log, as with
   * Include_Transaction_Log_Data) and returns the outbound notification Workday would send for it.
   */
  notify(
    employeeId: string,
    event: NotificationEvent & { user: string; password: string; enteredAt?: Date },
  ): string;
  /**
   * Starts an outage (every `Get_Workers` answers `status`, 503 by default, with no SOAP body, as a gateway in
   * front of a tenant under maintenance does), or with `false` ends it. Also `POST`/`DELETE /emulator/outage`.
   */
  outage(status: number | false): void;
  /** How many `Get_Workers` calls the current or last outage refused. */
  refusedDuringOutage(): number;
}

export const WORKDAY_EMULATOR_USER = "lifecycle-isu";
export const WORKDAY_EMULATOR_PASSWORD = "lifecycle-isu-secret";

const SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
const WD_NS = "urn:com.workday/bsvc";

type OrderedNode = Record<string, unknown> & { ":@"?: Record<string, string> };
const ordered = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  trimValues: true,
});
const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: "@_" });

const tagOf = (node: OrderedNode) => Object.keys(node).find((k) => k !== ":@" && k !== "#text");

/** Each `Worker` under `Response_Data`, rebuilt as a standalone element with the namespaces it relies on. */
function workerElements(document: string): string[] {
  const found: string[] = [];
  const walk = (nodes: OrderedNode[], parent: string | undefined, namespaces: Record<string, string>) => {
    for (const node of nodes) {
      const tag = tagOf(node);
      if (!tag) continue;
      const scope = { ...namespaces };
      for (const [k, v] of Object.entries(node[":@"] ?? {})) if (k.startsWith("@_xmlns")) scope[k] = v;
      if (localName(tag) === "Worker" && parent === "Response_Data") {
        found.push(builder.build([{ ...node, ":@": { ...scope, ...(node[":@"] ?? {}) } }]));
      } else {
        walk(node[tag] as OrderedNode[], localName(tag), scope);
      }
    }
  };
  walk(ordered.parse(document) as OrderedNode[], undefined, {});
  return found;
}

export interface NotificationEvent {
  eventWid?: string;
  /** A Business_Process_Type, e.g. `Hire Employee`, `Terminate Employee`, `Change Job`. */
  businessProcessType?: string;
  /** yyyy-MM-dd */
  effectiveDate?: string;
  tenant?: string;
}

const wid = () => randomBytes(16).toString("hex");

/** An outbound notification shaped like the verbatim capture (SOAP 1.1, WS-Addressing, WS-Security PasswordText). */
export function buildWorkdayNotification(
  options: NotificationEvent & { employeeId: string; user: string; password: string; subscriberUrl?: string },
): string {
  const messageId = wid();
  const eventWid = options.eventWid ?? wid();
  const bp = options.businessProcessType ?? "Change Job";
  return `<env:Envelope xmlns:env="${SOAP_NS}" xmlns:wd="${WD_NS}" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">
  <env:Header>
    <wsa:Action>urn:com.workday/bsvc:NotificationPort:Receive_NotificationInput</wsa:Action>
    <wsa:MessageID>uuid:${messageId}</wsa:MessageID>
    <wsa:To>${escapeXml(options.subscriberUrl ?? "http://localhost:7071/api/hr/workday")}</wsa:To>
    <wsa:From><wsa:Address>http://localhost:8086/ccx/ExternalSystemNotificationService</wsa:Address></wsa:From>
    <wd:Integration_Correlation_ID>${messageId}</wd:Integration_Correlation_ID>
    <wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" env:mustUnderstand="1">
      <wsse:UsernameToken>
        <wsse:Username>${escapeXml(options.user)}</wsse:Username>
        <wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">${escapeXml(options.password)}</wsse:Password>
      </wsse:UsernameToken>
    </wsse:Security>
  </env:Header>
  <env:Body>
    <wd:Notification_Data wd:version="v40.0">
      <wd:Event_Data>
        <wd:Event_Reference wd:Descriptor="${escapeXml(bp)}: ${escapeXml(options.employeeId)}"><wd:ID wd:type="WID">${eventWid}</wd:ID></wd:Event_Reference>
        <wd:Event_Name>${escapeXml(bp)} Event</wd:Event_Name>
        <wd:Notification_Trigger>Completed</wd:Notification_Trigger>
        <wd:Event_Completion_Date>${new Date().toISOString()}</wd:Event_Completion_Date>
        ${options.effectiveDate ? `<wd:Event_Effective_Date>${options.effectiveDate}-00:00</wd:Event_Effective_Date>` : ""}
        <wd:Tenant_Name>${escapeXml(options.tenant ?? "lifecycle_local")}</wd:Tenant_Name>
        <wd:System_ID>genesys_lifecycle</wd:System_ID>
        <wd:Transaction_Target_Reference wd:Descriptor="Worker ${escapeXml(options.employeeId)}">
          <wd:ID wd:type="WID">${wid()}</wd:ID>
          <wd:ID wd:type="Employee_ID">${escapeXml(options.employeeId)}</wd:ID>
        </wd:Transaction_Target_Reference>
      </wd:Event_Data>
    </wd:Notification_Data>
  </env:Body>
</env:Envelope>`;
}

const fault = (status: number, code: string, message: string) => ({
  status,
  contentType: "text/xml; charset=utf-8",
  body: `<env:Envelope xmlns:env="${SOAP_NS}"><env:Body><env:Fault><faultcode>${code}</faultcode><faultstring>${escapeXml(message)}</faultstring></env:Fault></env:Body></env:Envelope>`,
});

export async function startWorkdayEmulator(options: WorkdayEmulatorOptions = {}): Promise<WorkdayEmulator> {
  const credentials = {
    user: options.user ?? WORKDAY_EMULATOR_USER,
    password: new Secret(options.password ?? WORKDAY_EMULATOR_PASSWORD),
  };
  /** Each worker's element, its recorded transactions, and when anything about it was entered (ms). */
  const workers = new Map<string, { xml: string; transactions: string[]; entered: number[] }>();
  let outage: number | false = false;
  let refused = 0;
  const setOutage = (status: number | false) => {
    if (status !== false && outage === false) refused = 0;
    outage = status;
  };

  const loadWorkers = (document: string, loadOptions: { enteredAt?: Date } = {}): string[] => {
    const enteredAt = (loadOptions.enteredAt ?? new Date()).getTime();
    const parsed = parseUntrustedXml(document);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const parts = soapParts(parsed.value);
    if (!parts || localName(parts.name) !== "Get_Workers_Response") {
      throw new Error("expected a Get_Workers response document");
    }
    const ids = readGetWorkersResponse(parts.node).map((w) => w.employeeId);
    const elements = workerElements(document);
    const loaded: string[] = [];
    ids.forEach((id, index) => {
      if (id === undefined || elements[index] === undefined) return;
      const earlier = workers.get(id);
      workers.set(id, {
        xml: elements[index],
        transactions: earlier?.transactions ?? [],
        entered: [...(earlier?.entered ?? []), enteredAt],
      });
      loaded.push(id);
    });
    return loaded;
  };
  for (const document of options.documents ?? []) loadWorkers(document);

  /** The worker element, with recorded transactions appended inside its Worker_Data. */
  const render = (entry: { xml: string; transactions: string[] }) => {
    if (entry.transactions.length === 0) return entry.xml;
    const match = /<\/([\w.-]+:)?Worker_Data>(?![\s\S]*<\/([\w.-]+:)?Worker_Data>)/.exec(entry.xml);
    if (!match) return entry.xml;
    const log = `<wd:Transaction_Log_Entry_Data xmlns:wd="${WD_NS}">${entry.transactions.join("")}</wd:Transaction_Log_Entry_Data>`;
    return entry.xml.slice(0, match.index) + log + entry.xml.slice(match.index);
  };

  const running = await listen(
    (request) => {
      if (request.method === "POST" && request.url.pathname === "/emulator/workers") {
        try {
          return json(200, { loaded: loadWorkers(request.body) });
        } catch (error) {
          return json(400, { error: error instanceof Error ? error.message : String(error) });
        }
      }
      if (request.method === "POST" && request.url.pathname === "/emulator/reset") {
        workers.clear();
        return json(200, { workers: 0 });
      }
      if (request.method === "GET" && request.url.pathname === "/emulator/workers") {
        return json(200, { workers: [...workers.keys()] });
      }
      if (request.url.pathname === "/emulator/outage") {
        if (request.method === "DELETE") setOutage(false);
        else if (request.method === "POST") {
          const status = Number((JSON.parse(request.body || "{}") as { status?: unknown }).status ?? 503);
          setOutage(Number.isInteger(status) && status >= 400 && status < 600 ? status : 503);
        }
        return json(200, { outage: outage, refused });
      }
      if (request.method !== "POST") return json(404, { error: "Get_Workers is served on POST" });
      if (outage !== false) {
        refused += 1;
        return {
          status: outage,
          contentType: "text/html",
          body: "<html><body>Service Unavailable</body></html>",
        };
      }
      if (!verifyUsernameToken(request.body, credentials)) {
        return fault(500, "wsse:FailedAuthentication", "invalid username or password");
      }
      const parsed = parseUntrustedXml(request.body);
      if (!parsed.ok) return fault(400, "env:Client", parsed.error.message);
      const parts = soapParts(parsed.value);
      if (!parts) return fault(400, "env:Client", "no SOAP body");
      if (localName(parts.name) !== "Get_Workers_Request") {
        return fault(500, "env:Client", `operation ${localName(parts.name)} is not emulated`);
      }
      const range = path(
        parts.node,
        "Request_Criteria",
        "Transaction_Log_Criteria_Data",
        "Transaction_Date_Range_Data",
      );
      let found: string[];
      let page = 1;
      let totalPages = 1;
      let total: number;
      if (range) {
        // Every worker with a transaction entered in the window, a Response_Filter page at a time.
        const from = Date.parse(text(path(range, "Updated_From")) ?? "");
        const through = Date.parse(text(path(range, "Updated_Through")) ?? "");
        if (Number.isNaN(from) || Number.isNaN(through))
          return fault(
            500,
            "env:Client",
            "Transaction_Date_Range_Data needs Updated_From and Updated_Through",
          );
        const filter = path(parts.node, "Response_Filter");
        page = Math.max(1, Number(text(path(filter, "Page")) ?? "1") || 1);
        const count = Math.min(999, Math.max(1, Number(text(path(filter, "Count")) ?? "100") || 100));
        const changed = [...workers.values()].filter((w) => w.entered.some((t) => t >= from && t <= through));
        total = changed.length;
        totalPages = Math.max(1, Math.ceil(total / count));
        found = changed.slice((page - 1) * count, page * count).map(render);
      } else {
        const references = children(path(parts.node, "Request_References"), "Worker_Reference");
        const ids = references.map((r) => idOfType(r, "Employee_ID") ?? idOfType(r, "Contingent_Worker_ID"));
        found = ids.flatMap((id) => {
          const entry = id === undefined ? undefined : workers.get(id);
          return entry ? [render(entry)] : [];
        });
        total = found.length;
      }
      return {
        status: 200,
        contentType: "text/xml; charset=utf-8",
        body:
          `<env:Envelope xmlns:env="${SOAP_NS}"><env:Body><wd:Get_Workers_Response xmlns:wd="${WD_NS}" wd:version="v40.0">` +
          `<wd:Response_Results><wd:Total_Results>${total}</wd:Total_Results><wd:Total_Pages>${totalPages}</wd:Total_Pages>` +
          `<wd:Page_Results>${found.length}</wd:Page_Results><wd:Page>${page}</wd:Page></wd:Response_Results>` +
          `<wd:Response_Data>${found.join("")}</wd:Response_Data></wd:Get_Workers_Response></env:Body></env:Envelope>`,
      };
    },
    options.port ?? 8086,
    options.host ?? "127.0.0.1",
  );

  return {
    ...running,
    loadWorkers,
    outage: setOutage,
    refusedDuringOutage: () => refused,
    notify(employeeId, event) {
      const entry = workers.get(employeeId);
      if (!entry) throw new Error(`no worker ${employeeId} is loaded`);
      const eventWid = event.eventWid ?? wid();
      const bp = event.businessProcessType ?? "Change Job";
      entry.entered.push((event.enteredAt ?? new Date()).getTime());
      entry.transactions.push(
        `<wd:Transaction_Log_Entry><wd:Transaction_Log_Reference><wd:ID wd:type="WID">${eventWid}</wd:ID></wd:Transaction_Log_Reference>` +
          `<wd:Transaction_Log_Data><wd:Transaction_Log_Description>${escapeXml(bp)}</wd:Transaction_Log_Description>` +
          (event.effectiveDate
            ? `<wd:Transaction_Effective_Moment>${event.effectiveDate}T00:00:00.000Z</wd:Transaction_Effective_Moment>`
            : "") +
          `<wd:Transaction_Log_Type_Reference><wd:ID wd:type="Business_Process_Type">${escapeXml(bp)}</wd:ID></wd:Transaction_Log_Type_Reference>` +
          `</wd:Transaction_Log_Data></wd:Transaction_Log_Entry>`,
      );
      return buildWorkdayNotification({ ...event, eventWid, businessProcessType: bp, employeeId });
    },
  };
}
