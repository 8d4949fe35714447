import axios, { type AxiosInstance } from "axios";
import type { Secret } from "../config/secret";
import { readGetWorkersResponse, type WorkdayWorker } from "./workday";
import { escapeXml, soapParts, localName, parseUntrustedXml, textAt } from "./xml";

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

/** The `Get_Workers` request for one worker, with the response groups the lifecycle needs. */
export function buildGetWorkersRequest(employeeId: string, user: string, password: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:bsvc="urn:com.workday/bsvc">` +
    `<soapenv:Header><wsse:Security soapenv:mustUnderstand="1" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">` +
    `<wsse:UsernameToken><wsse:Username>${escapeXml(user)}</wsse:Username>` +
    `<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">${escapeXml(password)}</wsse:Password>` +
    `</wsse:UsernameToken></wsse:Security></soapenv:Header>` +
    `<soapenv:Body><bsvc:Get_Workers_Request bsvc:version="v40.0">` +
    `<bsvc:Request_References bsvc:Skip_Non_Existing_Instances="true">` +
    `<bsvc:Worker_Reference><bsvc:ID bsvc:type="Employee_ID">${escapeXml(employeeId)}</bsvc:ID></bsvc:Worker_Reference>` +
    `</bsvc:Request_References>` +
    `<bsvc:Response_Group><bsvc:Include_Reference>true</bsvc:Include_Reference>` +
    `<bsvc:Include_Personal_Information>true</bsvc:Include_Personal_Information>` +
    `<bsvc:Include_Employment_Information>true</bsvc:Include_Employment_Information>` +
    `<bsvc:Include_Organizations>true</bsvc:Include_Organizations>` +
    `<bsvc:Include_Management_Chain_Data>true</bsvc:Include_Management_Chain_Data>` +
    `<bsvc:Include_Transaction_Log_Data>true</bsvc:Include_Transaction_Log_Data>` +
    `</bsvc:Response_Group></bsvc:Get_Workers_Request></soapenv:Body></soapenv:Envelope>`
  );
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
    const body = buildGetWorkersRequest(employeeId, this.#options.user, this.#options.password.reveal());
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
        `Get_Workers for employee ${employeeId} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const parsed = parseUntrustedXml(text);
    const parts = parsed.ok ? soapParts(parsed.value) : undefined;
    if (parts && localName(parts.name) === "Fault") {
      throw new WorkdayCallbackError(
        `Get_Workers for employee ${employeeId} returned a SOAP fault (HTTP ${status}): ${textAt(parts.node, "faultstring") ?? "no faultstring"}`,
      );
    }
    if (status < 200 || status >= 300 || !parts || localName(parts.name) !== "Get_Workers_Response") {
      throw new WorkdayCallbackError(
        `Get_Workers for employee ${employeeId} answered HTTP ${status} without a Get_Workers_Response`,
      );
    }
    const workers = readGetWorkersResponse(parts.node);
    return workers.find((w) => w.employeeId === employeeId) ?? workers[0];
  }
}
