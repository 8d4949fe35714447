import type { HrEventType } from "../lifecycle/hr-event";
import { classifyProcess, toHrEvent, toIsoDate, type NormalizeOutcome } from "./normalize";
import { fail, ok, type Parsed } from "./result";
import { attr, child, children, idOfType, path, textAt, type XmlNode } from "./xml";

export const WORKDAY_NS = "urn:com.workday/bsvc";
export const WORKER_SYNC_NS = "urn:com.workday/workersync";

/** The thin outbound notification (`wd:Notification_Data`): identity and dates only. */
export interface WorkdayNotification {
  /** `Event_Reference/ID[@type='WID']`: the idempotency key. */
  eventWid: string;
  eventName?: string;
  effectiveDate?: string;
  /** `Transaction_Target_Reference/ID[@type='Employee_ID' or 'Contingent_Worker_ID']`. */
  employeeId?: string;
  tenant?: string;
}

export function parseWorkdayNotification(notificationData: XmlNode): Parsed<WorkdayNotification> {
  const event = child(notificationData, "Event_Data");
  if (!event) return fail("invalid_field", "Notification_Data has no Event_Data", "Event_Data");
  const eventWid = idOfType(child(event, "Event_Reference"), "WID");
  if (!eventWid) {
    return fail("invalid_field", "Event_Reference has no ID of type WID", "Event_Data/Event_Reference");
  }
  let employeeId: string | undefined;
  for (const target of children(event, "Transaction_Target_Reference")) {
    employeeId ??= idOfType(target, "Employee_ID") ?? idOfType(target, "Contingent_Worker_ID");
  }
  return ok({
    eventWid,
    eventName: textAt(event, "Event_Name"),
    effectiveDate: toIsoDate(textAt(event, "Event_Effective_Date")),
    employeeId,
    tenant: textAt(event, "Tenant_Name"),
  });
}

/** What the lifecycle needs from one Workday worker, from whichever document carried it. */
export interface WorkdayWorker {
  employeeId?: string;
  wid?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  preferredName?: string;
  title?: string;
  department?: string;
  location?: string;
  country?: string;
  managerEmployeeId?: string;
  active?: boolean;
  hireDate?: string;
  terminated?: boolean;
  terminationDate?: string;
  rehire?: boolean;
  onLeave?: boolean;
  leaveStartDate?: string;
  leaveEndDate?: string;
  /** Transaction log entries: the business process behind each event WID. */
  transactions: { wid?: string; businessProcessType?: string; effectiveDate?: string }[];
}

const flag = (value: string | undefined): boolean | undefined =>
  value === undefined ? undefined : value === "1" || value.toLowerCase() === "true";

const isWork = (usage: XmlNode | undefined) =>
  children(usage, "Type_Data").some(
    (t) => idOfType(child(t, "Type_Reference"), "Communication_Usage_Type_ID")?.toUpperCase() === "WORK",
  );

/** One `wd:Worker` of a `Get_Workers` response, read with the Entra v30+ field paths (docs/hr-intake.md). */
export function readGetWorkersWorker(worker: XmlNode): WorkdayWorker {
  const reference = child(worker, "Worker_Reference");
  const data = child(worker, "Worker_Data");
  const personal = child(data, "Personal_Data");
  const legal = path(personal, "Name_Data", "Legal_Name_Data", "Name_Detail_Data");
  const preferred = path(personal, "Name_Data", "Preferred_Name_Data", "Name_Detail_Data");
  const emails = children(child(personal, "Contact_Data"), "Email_Address_Data");
  const workEmail =
    emails.find(
      (e) => isWork(child(e, "Usage_Data")) && flag(attr(child(e, "Usage_Data"), "Public")) !== false,
    ) ?? emails.find((e) => isWork(child(e, "Usage_Data")));
  const jobs = children(child(data, "Employment_Data"), "Worker_Job_Data");
  const job = jobs.find((j) => flag(attr(j, "Primary_Job")) === true) ?? jobs[0];
  const position = child(job, "Position_Data");
  const site = child(position, "Business_Site_Summary_Data");
  const status = path(data, "Employment_Data", "Worker_Status_Data");
  const organizations = children(
    path(data, "Organization_Data", "Worker_Organization_Data"),
    "Organization_Data",
  );
  const supervisory = organizations.find(
    (o) =>
      idOfType(child(o, "Organization_Type_Reference"), "Organization_Type_ID")?.toUpperCase() ===
      "SUPERVISORY",
  );
  const chain = children(
    child(child(data, "Management_Chain_Data"), "Worker_Supervisory_Management_Chain_Data"),
    "Management_Chain_Data",
  );
  const directManager = chain.at(-1);
  const leave = children(status, "Leave_Status_Data").find((l) => flag(textAt(l, "On_Leave")) === true);
  return {
    employeeId:
      idOfType(reference, "Employee_ID") ??
      idOfType(reference, "Contingent_Worker_ID") ??
      textAt(data, "Worker_ID"),
    wid: idOfType(reference, "WID"),
    email: textAt(workEmail, "Email_Address"),
    firstName: textAt(legal, "First_Name"),
    lastName: textAt(legal, "Last_Name"),
    preferredName: textAt(preferred, "First_Name"),
    title: textAt(position, "Business_Title") ?? textAt(position, "Position_Title"),
    department: textAt(supervisory, "Organization_Name"),
    location: textAt(site, "Name") ?? idOfType(child(site, "Location_Reference"), "Location_ID"),
    country: idOfType(path(site, "Address_Data", "Country_Reference"), "ISO_3166-1_Alpha-2_Code"),
    managerEmployeeId:
      idOfType(child(directManager, "Manager_Reference"), "Employee_ID") ??
      idOfType(child(position, "Manager_as_of_last_detected_manager_change_Reference"), "Employee_ID"),
    active: flag(textAt(status, "Active")),
    hireDate: toIsoDate(textAt(status, "Hire_Date")),
    terminated: flag(textAt(status, "Terminated")),
    terminationDate: toIsoDate(textAt(status, "Termination_Date")),
    rehire: flag(textAt(status, "Rehire")),
    onLeave: leave !== undefined,
    leaveStartDate: toIsoDate(textAt(leave, "Leave_Start_Date")),
    leaveEndDate: toIsoDate(
      textAt(children(status, "Leave_Status_Data").at(-1), "Leave_End_Date") ??
        textAt(leave, "Estimated_Leave_End_Date"),
    ),
    transactions: children(child(data, "Transaction_Log_Entry_Data"), "Transaction_Log_Entry").map(
      (entry) => {
        const log = child(entry, "Transaction_Log_Data") ?? entry;
        return {
          wid: idOfType(child(entry, "Transaction_Log_Reference"), "WID"),
          businessProcessType: idOfType(
            child(log, "Transaction_Log_Type_Reference") ?? child(entry, "Transaction_Log_Type_Reference"),
            "Business_Process_Type",
          ),
          effectiveDate: toIsoDate(textAt(log, "Transaction_Effective_Moment")),
        };
      },
    ),
  };
}

/** Every worker of a `Get_Workers_Response` element (with or without its SOAP envelope). */
export function readGetWorkersResponse(response: XmlNode): WorkdayWorker[] {
  return children(child(response, "Response_Data"), "Worker").map(readGetWorkersWorker);
}

/** One `ws:Worker` of a Core Connector: Worker document (`ws:Worker_Sync`, docs/hr-intake.md). */
export function readWorkerSyncWorker(worker: XmlNode): WorkdayWorker {
  const personal = child(worker, "Personal");
  const names = children(personal, "Name_Data");
  const legal = names.find((n) => textAt(n, "Name_Type")?.toLowerCase() !== "preferred") ?? names[0];
  const preferred = names.find((n) => textAt(n, "Name_Type")?.toLowerCase() === "preferred");
  const emails = children(personal, "Email_Data");
  const email =
    emails.find((e) => textAt(e, "Email_Type")?.toUpperCase() === "WORK" && flag(textAt(e, "Is_Primary"))) ??
    emails.find((e) => textAt(e, "Email_Type")?.toUpperCase() === "WORK");
  const status = child(worker, "Status");
  const position = child(worker, "Position");
  const supervisory = children(position, "Organization_Data").find(
    (o) => textAt(o, "Organization_Type")?.toUpperCase() === "SUPERVISORY",
  );
  const address = children(personal, "Address_Data").find(
    (a) => textAt(a, "Address_Type")?.toUpperCase() === "WORK",
  );
  return {
    employeeId: textAt(worker, "Summary", "Employee_ID"),
    email: textAt(email, "Email_Address"),
    firstName: textAt(legal, "First_Name"),
    lastName: textAt(legal, "Last_Name"),
    preferredName: textAt(preferred, "First_Name"),
    title: textAt(position, "Business_Title") ?? textAt(position, "Position_Title"),
    department: textAt(supervisory, "Organization"),
    location: textAt(position, "Location") ?? textAt(address, "Municipality"),
    country: textAt(address, "Country"),
    managerEmployeeId: textAt(position, "Manager_ID"),
    active: flag(textAt(status, "Active")),
    hireDate: toIsoDate(textAt(status, "Hire_Date")),
    terminated: flag(textAt(status, "Terminated")),
    terminationDate: toIsoDate(textAt(status, "Termination_Date")),
    rehire: flag(textAt(status, "Rehire")),
    onLeave: flag(textAt(status, "On_Leave")) === true,
    leaveStartDate: toIsoDate(textAt(status, "Leave_Start_Date")),
    leaveEndDate: toIsoDate(textAt(status, "Leave_End_Date")),
    transactions: [],
  };
}

/**
 * The event type for a worker. The business process named by the worker's transaction log entry for this event
 * decides when it is there (Event_Name texts are not documented and are never used). Otherwise the worker's
 * status decides, which is what re-reading the record converges to anyway.
 */
export function deriveWorkdayEventType(
  worker: WorkdayWorker,
  eventWid?: string,
  effectiveDate?: string,
  receivedDate?: string,
): HrEventType {
  const logged = eventWid
    ? worker.transactions.find((t) => t.wid === eventWid)?.businessProcessType
    : undefined;
  const fromProcess = classifyProcess(logged);
  if (fromProcess === "hire" && worker.rehire) return "rehire";
  if (fromProcess) return fromProcess;
  if (worker.terminated) return "terminate";
  if (worker.onLeave) return "leave_start";
  if (worker.leaveEndDate !== undefined && worker.leaveEndDate === effectiveDate) return "leave_end";
  const hiredOnEvent = worker.hireDate !== undefined && worker.hireDate === effectiveDate;
  // A pushed record names no event date: a hire date still ahead of its arrival is a (re)hire to prepare.
  const hireAhead =
    effectiveDate === undefined &&
    worker.hireDate !== undefined &&
    receivedDate !== undefined &&
    worker.hireDate >= receivedDate;
  if (worker.active === false || hiredOnEvent || hireAhead) return worker.rehire ? "rehire" : "hire";
  return "change";
}

/** The date the event takes effect when the message itself does not say. */
function impliedDate(worker: WorkdayWorker, type: HrEventType): string | undefined {
  switch (type) {
    case "hire":
    case "rehire":
      return worker.hireDate;
    case "terminate":
      return worker.terminationDate;
    case "leave_start":
      return worker.leaveStartDate;
    case "leave_end":
      return worker.leaveEndDate;
    default:
      return undefined;
  }
}

export interface WorkdayEventContext {
  eventId: string;
  eventWid?: string;
  effectiveDate?: string;
  /** Fallback for a change that names no date: the day the message arrived. */
  receivedDate: string;
  /** Resolves the manager's work email, when a callback is available. */
  managerEmail?: string;
}

export function workdayWorkerToEvent(worker: WorkdayWorker, context: WorkdayEventContext): NormalizeOutcome {
  const type = deriveWorkdayEventType(worker, context.eventWid, context.effectiveDate, context.receivedDate);
  return toHrEvent({
    eventId: context.eventId,
    type,
    effectiveDate: context.effectiveDate ?? impliedDate(worker, type) ?? context.receivedDate,
    worker: {
      employeeId: worker.employeeId,
      email: worker.email,
      firstName: worker.firstName,
      lastName: worker.lastName,
      preferredName: worker.preferredName,
      title: worker.title,
      department: worker.department,
      location: worker.location,
      country: worker.country,
      managerEmployeeId: worker.managerEmployeeId,
      managerEmail: context.managerEmail,
    },
  });
}
