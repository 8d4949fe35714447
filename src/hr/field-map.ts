import { z } from "zod";
import { HR_WORKER_FIELDS, type HrEventType } from "../lifecycle/hr-event";
import { classifyProcess, toHrEvent, toIsoDate, type NormalizeOutcome } from "./normalize";

/**
 * Flat records whose keys the customer chooses (Workday RaaS columns, SuccessFactors Integration Center fields)
 * are read through a field map: for each event field, the source keys to try in order.
 */
export const FIELD_MAP_TARGETS = [
  "eventId",
  "type",
  "effectiveDate",
  "employeeId",
  ...HR_WORKER_FIELDS,
] as const;
export type FieldMapTarget = (typeof FIELD_MAP_TARGETS)[number];
export type FieldMap = Partial<Record<FieldMapTarget, string[]>>;

export const FieldMapSchema = z.partialRecord(z.enum(FIELD_MAP_TARGETS), z.array(z.string().min(1)).min(1));

/** Column aliases of common Workday worker reports (the verbatim Colby directory report among them). */
export const DEFAULT_RAAS_FIELD_MAP: FieldMap = {
  eventId: ["eventId", "Event_ID", "eventWID"],
  type: ["eventType", "Event_Type", "businessProcessType", "Business_Process_Type"],
  effectiveDate: ["effectiveDate", "Effective_Date"],
  employeeId: ["employeeID", "Employee_ID", "employeeId", "workerID", "Worker_ID"],
  email: ["primaryWorkEmail", "Email_-_Primary_Work", "workEmail", "email"],
  firstName: ["firstName", "legalFirstName", "First_Name"],
  lastName: ["lastName", "legalLastName", "Last_Name"],
  preferredName: ["preferredFirstName", "Preferred_First_Name"],
  title: ["businessTitle", "Business_Title", "jobTitle", "jobProfileName"],
  department: ["supervisoryOrganization", "Supervisory_Organization", "department"],
  location: ["location", "Location", "workAddressCity"],
  country: ["countryCode", "workAddressCountryCode", "Country_ISO_Code", "country"],
  managerEmployeeId: ["managerEmployeeID", "Manager_Employee_ID", "managerID"],
  managerEmail: ["managerWorkEmail", "managerEmail"],
};

/** The fields of SAP's Integration Center sample ("Change in Employee Location"), plus the contract names. */
export const DEFAULT_SF_INTEGRATION_CENTER_FIELD_MAP: FieldMap = {
  eventId: ["eventId", "externalEventId"],
  type: ["eventType", "type"],
  effectiveDate: ["effectiveDate", "effectiveStartDate", "startDate"],
  employeeId: ["personIdExternal", "employeeId", "userId"],
  email: ["email"],
  firstName: ["firstName"],
  lastName: ["lastName"],
  preferredName: ["preferredName", "nickname"],
  title: ["jobTitle", "title"],
  department: ["department"],
  location: ["locationDesc", "location"],
  country: ["country", "countryOfCompany"],
  managerEmployeeId: ["managerId", "managerEmployeeId"],
  managerEmail: ["managerEmail"],
};

export type FlatRecord = Record<string, unknown>;

/** The first non-empty value the map names for `target`. */
export function mapped(record: FlatRecord, map: FieldMap, target: FieldMapTarget): string | undefined {
  for (const key of map[target] ?? []) {
    const value = record[key];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
    if (typeof value === "number" || typeof value === "boolean") return String(value);
  }
  return undefined;
}

export interface MappedRecordContext {
  eventId: string;
  defaultType: HrEventType;
  receivedDate: string;
  /** Values from an HR callback, used where the record itself is silent. */
  fallback?: Partial<Record<FieldMapTarget, string>>;
}

export function mappedRecordToEvent(
  record: FlatRecord,
  map: FieldMap,
  context: MappedRecordContext,
): NormalizeOutcome {
  const get = (target: FieldMapTarget) => mapped(record, map, target) ?? context.fallback?.[target];
  const declaredType = get("type");
  return toHrEvent({
    eventId: get("eventId") ?? context.eventId,
    type: declaredType === undefined ? context.defaultType : classifyProcess(declaredType),
    effectiveDate: toIsoDate(get("effectiveDate")) ?? context.receivedDate,
    worker: {
      employeeId: get("employeeId"),
      email: get("email"),
      firstName: get("firstName"),
      lastName: get("lastName"),
      preferredName: get("preferredName"),
      title: get("title"),
      department: get("department"),
      location: get("location"),
      country: get("country"),
      managerEmployeeId: get("managerEmployeeId"),
      managerEmail: get("managerEmail"),
    },
  });
}
