import type { HrEventType } from "../lifecycle/hr-event";
import { classifyProcess, toHrEvent, toIsoDate, type NormalizeOutcome } from "./normalize";
import { fail, ok, type Parsed } from "./result";
import { child, children, escapeXml, text, textAt, type XmlNode } from "./xml";

export const SF_NOTIFICATION_NS = "http://notification.event.successfactors.com";

export interface SfEvent {
  eventId: string;
  entityType?: string;
  effectiveStartDate?: string;
  entityKeys: Record<string, string>;
  params: Record<string, string>;
}

/** A SuccessFactors `ExternalEvent` (event notification; its fields are in docs/hr-intake.md). */
export interface SfExternalEvent {
  externalEventId: string;
  type?: string;
  effective?: string;
  repost: boolean;
  events: SfEvent[];
}

/** `name`/`value` pairs; the children are unqualified in real captures, so they are matched by local name. */
function pairs(container: XmlNode | undefined, itemName: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of children(container, itemName)) {
    const name = textAt(item, "name");
    const value = textAt(item, "value");
    if (name !== undefined && value !== undefined) result[name] = value;
  }
  return result;
}

export function parseSfExternalEvent(externalEvent: XmlNode): Parsed<SfExternalEvent> {
  const meta = child(externalEvent, "externalEventMeta");
  const externalEventId = textAt(meta, "externalEventId");
  if (!externalEventId) {
    return fail(
      "invalid_field",
      "ExternalEvent has no externalEventMeta/externalEventId",
      "externalEventMeta/externalEventId",
    );
  }
  const events: SfEvent[] = [];
  for (const [index, event] of children(child(externalEvent, "events"), "event").entries()) {
    const eventId = textAt(event, "eventId");
    if (!eventId)
      return fail("invalid_field", `event ${index + 1} has no eventId`, `events/event[${index + 1}]/eventId`);
    events.push({
      eventId,
      entityType: textAt(event, "entityType"),
      effectiveStartDate: toIsoDate(textAt(event, "effectiveStartDate")),
      entityKeys: pairs(child(event, "entityKeys"), "entityKey"),
      params: pairs(child(event, "params"), "param"),
    });
  }
  if (events.length === 0)
    return fail("invalid_field", "ExternalEvent carries no events/event", "events/event");
  return ok({
    externalEventId,
    type: textAt(meta, "type"),
    effective: textAt(meta, "effective"),
    repost: text(child(meta, "repost"))?.toLowerCase() === "true",
    events,
  });
}

export interface ExternalEventResponse {
  status: number;
  entityId?: string;
  statusDetails?: string;
  errorCode?: string;
  errorMessage?: string;
  /** ISO timestamp; the caller passes it so this stays a pure function. */
  statusDate: string;
}

/** The subscriber's reply (`ExternalEventResponse/responsePayload`), as SAP's notification starter sends it. */
export function buildExternalEventResponse(response: ExternalEventResponse): string {
  const field = (name: string, value: string | number | undefined) =>
    value === undefined ? "" : `<ns:${name}>${escapeXml(String(value))}</ns:${name}>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
    `<ns:ExternalEventResponse xmlns:ns="${SF_NOTIFICATION_NS}"><ns:responsePayload>` +
    field("entityId", response.entityId) +
    field("status", response.status) +
    field("statusDate", response.statusDate) +
    field("statusDetails", response.statusDetails) +
    field("errorCode", response.errorCode) +
    field("errorMessage", response.errorMessage) +
    `</ns:responsePayload></ns:ExternalEventResponse></soap:Body></soap:Envelope>`
  );
}

export function parseExternalEventResponse(
  response: XmlNode,
): Parsed<Omit<ExternalEventResponse, "statusDate"> & { statusDate?: string }> {
  const payload = child(response, "responsePayload");
  const status = Number(textAt(payload, "status"));
  if (!payload || !Number.isInteger(status)) {
    return fail(
      "invalid_field",
      "ExternalEventResponse has no numeric responsePayload/status",
      "responsePayload/status",
    );
  }
  return ok({
    status,
    entityId: textAt(payload, "entityId"),
    statusDate: textAt(payload, "statusDate"),
    statusDetails: textAt(payload, "statusDetails"),
    errorCode: textAt(payload, "errorCode"),
    errorMessage: textAt(payload, "errorMessage"),
  });
}

/** An OData v2 entity as JSON (`__metadata`, `/Date(ms)/` dates). */
export type ODataEntity = Record<string, unknown>;

/** The entities of an OData v2 JSON answer: `{"d":{"results":[…]}}`, `{"d":{…}}` or `{"value":[…]}`. */
export function readODataResults(body: unknown): Parsed<ODataEntity[]> {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(body)) return fail("unsupported_format", "OData JSON must be an object");
  const d = body.d;
  if (isObject(d)) {
    if (Array.isArray(d.results)) return ok(d.results.filter(isObject));
    return ok([d]);
  }
  if (Array.isArray(body.value)) return ok(body.value.filter(isObject));
  return fail("unsupported_format", 'OData JSON has neither "d" nor "value"', "d");
}

/** The OData type name of an entity (`SFOData.PerPerson` → `PerPerson`). */
export function odataEntityType(entity: ODataEntity): string | undefined {
  const meta = entity.__metadata as { type?: unknown } | undefined;
  return typeof meta?.type === "string" ? meta.type.replace(/^SFOData\./, "") : undefined;
}

/** A non-empty string (or number) property of an entity. */
export const str = (entity: ODataEntity | undefined, field: string): string | undefined => {
  const value = entity?.[field];
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  if (typeof value === "number") return String(value);
  return undefined;
};

/** What the OData callback found about one person (each part may be missing). */
export interface SfWorkerSnapshot {
  personIdExternal: string;
  userId?: string;
  person?: ODataEntity;
  personal?: ODataEntity;
  emails: ODataEntity[];
  /** The employment the event is about: the one with the event's userId, else the newest. */
  employment?: ODataEntity;
  user?: ODataEntity;
  jobs: ODataEntity[];
  /** PersonEmpTerminationInfo: latestTerminationDate, activeEmploymentsCount. */
  terminationInfo?: ODataEntity;
  manager?: { personIdExternal?: string; email?: string };
}

const isEntity = (value: unknown): value is ODataEntity =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !("__deferred" in value);

/** An expanded navigation's entities: `{"results":[…]}` for a collection, an object or null for one entity. */
export function expanded(entity: ODataEntity | undefined, navigation: string): ODataEntity[] {
  const value = entity?.[navigation];
  if (isEntity(value) && Array.isArray(value.results)) return value.results.filter(isEntity);
  return isEntity(value) ? [value] : [];
}

/**
 * The snapshot from one `PerPerson` with its navigations expanded. A rehire adds a new employment (and userId)
 * under the same person, and `results[0]` may be the old one, so the newest employment is taken unless the
 * event names its userId.
 */
export function snapshotFromPerson(person: ODataEntity, userIdHint?: string): SfWorkerSnapshot {
  const personIdExternal = str(person, "personIdExternal") ?? "";
  const employments = expanded(person, "employmentNav");
  const employment =
    employments.find((e) => userIdHint !== undefined && str(e, "userId") === userIdHint) ??
    latest(employments, "startDate");
  const [user] = expanded(employment, "userNav");
  const [manager] = expanded(user, "manager");
  const [managerEmployment] = expanded(manager, "empInfo");
  const [terminationInfo] = expanded(person, "personEmpTerminationInfoNav");
  const managerKey = str(managerEmployment, "personIdExternal") ?? str(manager, "userId");
  const managerEmail = str(manager, "email");
  return {
    personIdExternal,
    userId: str(employment, "userId") ?? userIdHint,
    person,
    personal: latest(expanded(person, "personalInfoNav"), "startDate"),
    emails: expanded(person, "emailNav"),
    ...(employment ? { employment } : {}),
    ...(user ? { user } : {}),
    jobs: expanded(employment, "jobInfoNav"),
    ...(terminationInfo ? { terminationInfo } : {}),
    ...(manager ? { manager: { personIdExternal: managerKey, email: managerEmail } } : {}),
  };
}

/** The entity with the latest date in `dateField` (OData `/Date(ms)/` or ISO). */
export const latest = (entities: ODataEntity[], dateField: string): ODataEntity | undefined =>
  [...entities]
    .sort((a, b) => (toIsoDate(str(a, dateField)) ?? "").localeCompare(toIsoDate(str(b, dateField)) ?? ""))
    .at(-1);

export interface SfEventContext {
  eventId: string;
  eventType?: string;
  effectiveDate?: string;
  receivedDate: string;
}

/**
 * Builds the event from the OData snapshot (the notification itself carries only keys). The newest EmpJob
 * decides title and place, because a rehire adds a new employment under the same person.
 */
export function sfSnapshotToEvent(snapshot: SfWorkerSnapshot, context: SfEventContext): NormalizeOutcome {
  const job = latest(snapshot.jobs, "startDate");
  const terminationDate =
    toIsoDate(str(snapshot.employment, "endDate")) ??
    toIsoDate(str(snapshot.terminationInfo, "latestTerminationDate"));
  let type: HrEventType = classifyProcess(context.eventType) ?? "change";
  const status = str(job, "emplStatus")?.toUpperCase();
  if (type === "change" && (status === "U" || status === "P")) type = "leave_start";
  if (type === "change" && status === "T") type = "terminate";
  const emails = snapshot.emails;
  const email =
    str(
      emails.find((e) => e.isPrimary === true || e.isPrimary === "true"),
      "emailAddress",
    ) ??
    str(emails[0], "emailAddress") ??
    str(snapshot.user, "email");
  const impliedDate = type === "terminate" ? terminationDate : toIsoDate(str(job, "startDate"));
  return toHrEvent({
    eventId: context.eventId,
    type,
    effectiveDate: context.effectiveDate ?? impliedDate ?? context.receivedDate,
    worker: {
      employeeId: snapshot.personIdExternal,
      email,
      firstName: str(snapshot.personal, "firstName") ?? str(snapshot.user, "firstName"),
      lastName: str(snapshot.personal, "lastName") ?? str(snapshot.user, "lastName"),
      preferredName: str(snapshot.personal, "preferredName") ?? str(snapshot.user, "nickname"),
      title: str(job, "jobTitle") ?? str(snapshot.user, "title"),
      department: str(job, "department") ?? str(snapshot.user, "department"),
      location: str(job, "location") ?? str(snapshot.user, "location"),
      country: str(job, "countryOfCompany") ?? str(snapshot.user, "country"),
      managerEmployeeId: snapshot.manager?.personIdExternal ?? str(job, "managerId"),
      managerEmail: snapshot.manager?.email,
    },
  });
}
