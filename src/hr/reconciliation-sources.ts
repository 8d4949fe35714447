import { DEFAULT_RAAS_FIELD_MAP, mapped, mappedRecordToEvent, type FieldMap } from "./field-map";
import { validEmployeeKey, type NormalizeOutcome } from "./normalize";
import { sfSnapshotToEvent } from "./successfactors";
import type { SuccessFactorsODataClient } from "./successfactors-client";
import { workdayWorkerToEvent } from "./workday";
import type { WorkdayWorkersClient } from "./workday-client";
import type { WorkdayReportClient } from "./workday-report-client";

/**
 * The HR truth reconciliation reads: the workers an HR system changed in a window, a page at a time, each read
 * into the normalized event shape by the same code that reads that system's events (the event type then says
 * the worker's status: terminated, on leave, or at work). And whether HR knows a given employee id at all.
 */

/** The window of a read: changes entered from `from` through `through` (ISO date-times). */
export interface HrWindow {
  from: string;
  through: string;
}

/** One worker as read, or why they could not be read into an event. */
export interface ObservedWorker {
  employeeKey?: string;
  outcome: NormalizeOutcome;
}

export interface HrPage {
  workers: ObservedWorker[];
  /** Where the next page starts; absent on the last page. */
  next?: string;
  /** HR calls made for this page. */
  calls: number;
}

export interface HrReader {
  source: "workday" | "successfactors";
  /** How it reads, for the report: `Get_Workers`, `report`, `OData`. */
  via: string;
  readPage(window: HrWindow, cursor: string | undefined, today: string): Promise<HrPage>;
  /** Which of these employee ids HR has a worker for. */
  knows(employeeIds: readonly string[]): Promise<{ known: Set<string>; calls: number }>;
}

const chunk = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** The id an observation is made under; never used as an event (reconciliation gives each event its own). */
const OBSERVED = "rc-observed";
/** Workers per page: a `Get_Workers` page of 100 stays well under the 1 MiB a response may have. */
const PAGE_SIZE = 100;

export function workdayGetWorkersReader(
  workers: Pick<WorkdayWorkersClient, "listChangedWorkers" | "getWorkers">,
): HrReader {
  return {
    source: "workday",
    via: "Get_Workers",
    async readPage(window, cursor, today) {
      const page = await workers.listChangedWorkers({
        updatedFrom: window.from,
        updatedThrough: window.through,
        page: cursor === undefined ? 1 : Number(cursor),
        count: PAGE_SIZE,
      });
      return {
        workers: page.workers.map((worker) => ({
          ...(validEmployeeKey(worker.employeeId) ? { employeeKey: worker.employeeId } : {}),
          outcome: workdayWorkerToEvent(worker, { eventId: OBSERVED, receivedDate: today }),
        })),
        ...(page.page < page.totalPages ? { next: String(page.page + 1) } : {}),
        calls: 1,
      };
    },
    knows: (employeeIds) => knownToWorkday(workers, employeeIds),
  };
}

/** Which employee ids Workday has a worker for, a hundred per `Get_Workers` call. */
async function knownToWorkday(
  workers: Pick<WorkdayWorkersClient, "getWorkers">,
  employeeIds: readonly string[],
): Promise<{ known: Set<string>; calls: number }> {
  const known = new Set<string>();
  let calls = 0;
  for (const ids of chunk([...employeeIds], PAGE_SIZE)) {
    calls++;
    for (const worker of await workers.getWorkers(ids)) if (worker.employeeId) known.add(worker.employeeId);
  }
  return { known, calls };
}

/**
 * A RaaS report, read whole for the window (its prompts take the window when its URL names them), through
 * the RaaS field map; a row's event type column says the worker's latest business process.
 */
export function workdayReportReader(
  report: Pick<WorkdayReportClient, "readReport">,
  fieldMap: FieldMap = DEFAULT_RAAS_FIELD_MAP,
  workers?: Pick<WorkdayWorkersClient, "getWorkers">,
): HrReader {
  const observe = (rows: Awaited<ReturnType<WorkdayReportClient["readReport"]>>, today: string) =>
    rows.map((row): ObservedWorker => {
      const employeeKey = validEmployeeKey(mapped(row, fieldMap, "employeeId"));
      return {
        ...(employeeKey ? { employeeKey } : {}),
        outcome: mappedRecordToEvent(row, fieldMap, {
          eventId: OBSERVED,
          defaultType: "change",
          receivedDate: today,
        }),
      };
    });
  return {
    source: "workday",
    via: "report",
    async readPage(window, _cursor, today) {
      const rows = await report.readReport({ updatedFrom: window.from, updatedThrough: window.through });
      return { workers: observe(rows, today), calls: 1 };
    },
    async knows(employeeIds) {
      if (workers) return knownToWorkday(workers, employeeIds);
      // Without Get_Workers, the report over all time is who Workday knows.
      const rows = await report.readReport({
        updatedFrom: "1900-01-01T00:00:00.000Z",
        updatedThrough: new Date().toISOString(),
      });
      const all = new Set(
        rows.map((row) => mapped(row, fieldMap, "employeeId")).filter((id): id is string => id !== undefined),
      );
      return { known: new Set(employeeIds.filter((id) => all.has(id))), calls: 1 };
    },
  };
}

export function successFactorsReader(
  odata: Pick<SuccessFactorsODataClient, "listChangedPeople" | "findPeople">,
): HrReader {
  return {
    source: "successfactors",
    via: "OData",
    async readPage(window, cursor, today) {
      const page = await odata.listChangedPeople({
        since: window.from,
        pageSize: PAGE_SIZE,
        ...(cursor === undefined ? {} : { next: cursor }),
      });
      return {
        workers: page.snapshots.map((snapshot) => ({
          ...(validEmployeeKey(snapshot.personIdExternal) ? { employeeKey: snapshot.personIdExternal } : {}),
          outcome: sfSnapshotToEvent(snapshot, { eventId: OBSERVED, receivedDate: today }),
        })),
        ...(page.next === undefined ? {} : { next: page.next }),
        calls: 1,
      };
    },
    async knows(employeeIds) {
      const known = new Set<string>();
      let calls = 0;
      for (const ids of chunk([...employeeIds], PAGE_SIZE)) {
        calls++;
        for (const person of await odata.findPeople(ids)) known.add(person.personIdExternal);
      }
      return { known, calls };
    },
  };
}
