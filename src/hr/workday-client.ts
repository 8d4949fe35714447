import axios, { type AxiosInstance } from "axios";
import type { Secret } from "../config/secret";
import { readGetWorkersResponse, type WorkdayWorker } from "./workday";
import { child, escapeXml, soapParts, localName, parseUntrustedXml, textAt, type XmlNode } from "./xml";

export interface WorkdayWorkersClientOptions {
  /** The Human_Resources service URL: `https://<host>/ccx/service/<tenant>/Human_Resources/v<NN>`. */
  serviceUrl: string;
  user: string;
  password: Secret;
  timeoutInMs?: number;
}

/** A Workday callback failed; the message names the employee key and the cause, never a credential. */
export class WorkdayCallbackError extends Error {
  override readonly name = "WorkdayCallbackError";
}

/** What a `Get_Workers` request asks for: named workers, or every worker changed in a window, a page at a time. */
export type GetWorkersQuery =
  | { kind: "references"; employeeIds: readonly string[] }
  | {
      kind: "changed";
      /** Transaction_Log_Criteria_Data: workers with a transaction entered in [from, through]. */
      updatedFrom: string;
      updatedThrough: string;
      /** 1-based. */
      page: number;
      /** Workers per page (Workday allows up to 999). */
      count: number;
    };

/** The response groups the lifecycle reads, for any `Get_Workers` request. */
const RESPONSE_GROUP =
  `<bsvc:Response_Group><bsvc:Include_Reference>true</bsvc:Include_Reference>` +
  `<bsvc:Include_Personal_Information>true</bsvc:Include_Personal_Information>` +
  `<bsvc:Include_Employment_Information>true</bsvc:Include_Employment_Information>` +
  `<bsvc:Include_Organizations>true</bsvc:Include_Organizations>` +
  `<bsvc:Include_Management_Chain_Data>true</bsvc:Include_Management_Chain_Data>` +
  `<bsvc:Include_Transaction_Log_Data>true</bsvc:Include_Transaction_Log_Data>` +
  `</bsvc:Response_Group>`;

/**
 * A `Get_Workers` request with the response groups the lifecycle needs. A window asks for every worker with a
 * transaction entered in it (`Request_Criteria/Transaction_Log_Criteria_Data/Transaction_Date_Range_Data`),
 * terminated ones included, one `Response_Filter` page at a time, as of the window's end.
 */
export function buildGetWorkersQuery(query: GetWorkersQuery, user: string, password: string): string {
  let body: string;
  if (query.kind === "references") {
    body =
      `<bsvc:Request_References bsvc:Skip_Non_Existing_Instances="true">` +
      query.employeeIds
        .map(
          (id) =>
            `<bsvc:Worker_Reference><bsvc:ID bsvc:type="Employee_ID">${escapeXml(id)}</bsvc:ID></bsvc:Worker_Reference>`,
        )
        .join("") +
      `</bsvc:Request_References>`;
  } else {
    body =
      `<bsvc:Request_Criteria><bsvc:Transaction_Log_Criteria_Data><bsvc:Transaction_Date_Range_Data>` +
      `<bsvc:Updated_From>${escapeXml(query.updatedFrom)}</bsvc:Updated_From>` +
      `<bsvc:Updated_Through>${escapeXml(query.updatedThrough)}</bsvc:Updated_Through>` +
      `</bsvc:Transaction_Date_Range_Data></bsvc:Transaction_Log_Criteria_Data>` +
      `<bsvc:Exclude_Inactive_Workers>false</bsvc:Exclude_Inactive_Workers></bsvc:Request_Criteria>` +
      `<bsvc:Response_Filter><bsvc:As_Of_Entry_DateTime>${escapeXml(query.updatedThrough)}</bsvc:As_Of_Entry_DateTime>` +
      `<bsvc:Page>${query.page}</bsvc:Page><bsvc:Count>${query.count}</bsvc:Count></bsvc:Response_Filter>`;
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:bsvc="urn:com.workday/bsvc">` +
    `<soapenv:Header><wsse:Security soapenv:mustUnderstand="1" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">` +
    `<wsse:UsernameToken><wsse:Username>${escapeXml(user)}</wsse:Username>` +
    `<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">${escapeXml(password)}</wsse:Password>` +
    `</wsse:UsernameToken></wsse:Security></soapenv:Header>` +
    `<soapenv:Body><bsvc:Get_Workers_Request bsvc:version="v40.0">${body}${RESPONSE_GROUP}` +
    `</bsvc:Get_Workers_Request></soapenv:Body></soapenv:Envelope>`
  );
}

/** The `Get_Workers` request for one worker, with the response groups the lifecycle needs. */
export function buildGetWorkersRequest(employeeId: string, user: string, password: string): string {
  return buildGetWorkersQuery({ kind: "references", employeeIds: [employeeId] }, user, password);
}

/** One page of workers changed in a window, and how many pages there are. */
export interface WorkersPage {
  workers: WorkdayWorker[];
  page: number;
  totalPages: number;
}

/** Reads workers back from Workday (`Get_Workers`, Human_Resources service, WS-Security UsernameToken). */
export class WorkdayWorkersClient {
  readonly #options: WorkdayWorkersClientOptions;
  readonly #http: AxiosInstance;

  constructor(options: WorkdayWorkersClientOptions) {
    this.#options = options;
    this.#http = axios.create({
      timeout: options.timeoutInMs ?? 15000,
      responseType: "text",
      transformResponse: (data: unknown) => data,
      validateStatus: () => true,
    });
  }

  /** The worker with this Employee_ID (or Contingent_Worker_ID), or undefined when Workday has none. */
  async getWorker(employeeId: string): Promise<WorkdayWorker | undefined> {
    const { workers } = await this.#send(
      { kind: "references", employeeIds: [employeeId] },
      `Get_Workers for employee ${employeeId}`,
    );
    return workers.find((w) => w.employeeId === employeeId) ?? workers[0];
  }

  /** The workers with these Employee_IDs that Workday has (the others are skipped, not an error). */
  async getWorkers(employeeIds: readonly string[]): Promise<WorkdayWorker[]> {
    if (employeeIds.length === 0) return [];
    const { workers } = await this.#send(
      { kind: "references", employeeIds },
      `Get_Workers for ${employeeIds.length} employee(s)`,
    );
    return workers;
  }

  /**
   * One page of the workers with a transaction entered between `updatedFrom` and `updatedThrough` (ISO
   * date-times), terminated ones included: what reconciliation reads instead of every worker.
   */
  async listChangedWorkers(window: {
    updatedFrom: string;
    updatedThrough: string;
    page: number;
    count: number;
  }): Promise<WorkersPage> {
    const { workers, results } = await this.#send(
      { kind: "changed", ...window },
      `Get_Workers for workers changed ${window.updatedFrom} to ${window.updatedThrough}, page ${window.page}`,
    );
    const totalPages = Number(textAt(results, "Total_Pages") ?? "1");
    return {
      workers,
      page: window.page,
      totalPages: Number.isInteger(totalPages) && totalPages > 0 ? totalPages : 1,
    };
  }

  async #send(
    query: GetWorkersQuery,
    described: string,
  ): Promise<{ workers: WorkdayWorker[]; results: XmlNode | undefined }> {
    const body = buildGetWorkersQuery(query, this.#options.user, this.#options.password.reveal());
    let status: number;
    let text: string;
    try {
      const response = await this.#http.post<string>(this.#options.serviceUrl, body, {
        headers: { "Content-Type": "text/xml; charset=utf-8", SOAPAction: "" },
      });
      status = response.status;
      text = String(response.data ?? "");
    } catch (error) {
      throw new WorkdayCallbackError(
        `${described} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const parsed = parseUntrustedXml(text);
    const parts = parsed.ok ? soapParts(parsed.value) : undefined;
    if (parts && localName(parts.name) === "Fault") {
      throw new WorkdayCallbackError(
        `${described} returned a SOAP fault (HTTP ${status}): ${textAt(parts.node, "faultstring") ?? "no faultstring"}`,
      );
    }
    if (status < 200 || status >= 300 || !parts || localName(parts.name) !== "Get_Workers_Response") {
      throw new WorkdayCallbackError(`${described} answered HTTP ${status} without a Get_Workers_Response`);
    }
    return { workers: readGetWorkersResponse(parts.node), results: child(parts.node, "Response_Results") };
  }
}
