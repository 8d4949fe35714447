import axios, { type AxiosInstance } from "axios";
import type { Secret } from "../config/secret";
import type { FlatRecord } from "./field-map";
import { isRecord, jsonDepth, MAX_JSON_DEPTH } from "./json";
import { WorkdayCallbackError } from "./workday-client";

export interface WorkdayReportClientOptions {
  /**
   * A report-as-a-service URL (`https://<host>/ccx/service/customreport2/<tenant>/<owner>/<report>`). The
   * placeholders `{updatedFrom}` and `{updatedThrough}` are replaced with the window's ISO date-times, for a
   * report whose prompts take them; without them the whole report is read.
   */
  reportUrl: string;
  user: string;
  password: Secret;
  timeoutInMs?: number;
}

/** A whole-population report of a large tenant is tens of megabytes; anything far larger is not a worker report. */
const MAX_REPORT_CHARACTERS = 64 * 1024 * 1024;

/** Reads a Workday custom report (RaaS) as JSON rows, with the integration system user's Basic credentials. */
export class WorkdayReportClient {
  readonly #options: WorkdayReportClientOptions;
  readonly #http: AxiosInstance;

  constructor(options: WorkdayReportClientOptions) {
    this.#options = options;
    this.#http = axios.create({
      timeout: options.timeoutInMs ?? 60_000,
      responseType: "text",
      transformResponse: (data: unknown) => data,
      validateStatus: () => true,
    });
  }

  /** The URL actually called for a window (placeholders filled, `format=json` added when absent). */
  urlFor(window: { updatedFrom: string; updatedThrough: string }): string {
    const url = new URL(
      this.#options.reportUrl
        .replace(/\{updatedFrom\}/g, encodeURIComponent(window.updatedFrom))
        .replace(/\{updatedThrough\}/g, encodeURIComponent(window.updatedThrough)),
    );
    if (!url.searchParams.has("format")) url.searchParams.set("format", "json");
    return url.toString();
  }

  /** Every `Report_Entry` of the report for this window. */
  async readReport(window: { updatedFrom: string; updatedThrough: string }): Promise<FlatRecord[]> {
    const url = this.urlFor(window);
    // The report's address, without its query (prompts may carry names), is what a failure names.
    const described = `the Workday report ${new URL(url).pathname}`;
    let status: number;
    let text: string;
    try {
      const response = await this.#http.get<string>(url, {
        auth: { username: this.#options.user, password: this.#options.password.reveal() },
        headers: { Accept: "application/json" },
      });
      status = response.status;
      text = String(response.data ?? "");
    } catch (error) {
      throw new WorkdayCallbackError(
        `reading ${described} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (status < 200 || status >= 300)
      throw new WorkdayCallbackError(`reading ${described} answered HTTP ${status}`);
    if (text.length > MAX_REPORT_CHARACTERS || jsonDepth(text) > MAX_JSON_DEPTH)
      throw new WorkdayCallbackError(`${described} is larger or deeper than a worker report can be`);
    let report: unknown;
    try {
      report = JSON.parse(text);
    } catch {
      report = undefined;
    }
    if (!isRecord(report) || !Array.isArray(report.Report_Entry)) {
      throw new WorkdayCallbackError(`${described} is not a RaaS JSON report ({"Report_Entry":[…]})`);
    }
    return report.Report_Entry.filter(isRecord);
  }
}
