import axios, { type AxiosInstance } from "axios";
import {
  BasicAuthorizer,
  SamlBearerAuthorizer,
  type SuccessFactorsAuthorizer,
  type SuccessFactorsCredentials,
} from "./successfactors-auth";
import {
  readODataResults,
  snapshotFromPerson,
  str,
  type ODataEntity,
  type SfWorkerSnapshot,
} from "./successfactors";

export interface SuccessFactorsODataClientOptions {
  /** The API server, e.g. `https://api4.successfactors.com` (the client appends `/odata/v2`). */
  baseUrl: string;
  credentials: SuccessFactorsCredentials;
  timeoutInMs?: number;
  /** For tests of token expiry. */
  now?: () => number;
}

/** A SuccessFactors OData callback failed; the message names the entity and the key, never a credential. */
export class SuccessFactorsCallbackError extends Error {
  override readonly name = "SuccessFactorsCallbackError";
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * The navigations one worker query expands: Microsoft Entra's SuccessFactors connector reads a person the same
 * way. One call per event, where reading each entity set separately took nine (docs/successfactors-oauth.md).
 */
export const WORKER_EXPAND = [
  "personalInfoNav",
  "emailNav",
  "employmentNav",
  "employmentNav/userNav",
  "employmentNav/jobInfoNav",
  "employmentNav/userNav/manager",
  "employmentNav/userNav/manager/empInfo",
  "personEmpTerminationInfoNav",
];

/** Only the properties the event needs come back. */
export const WORKER_SELECT = [
  "personIdExternal",
  ...["firstName", "lastName", "preferredName", "startDate"].map((f) => `personalInfoNav/${f}`),
  ...["emailAddress", "emailType", "isPrimary"].map((f) => `emailNav/${f}`),
  ...["userId", "startDate", "endDate"].map((f) => `employmentNav/${f}`),
  ...[
    "userId",
    "email",
    "firstName",
    "lastName",
    "nickname",
    "title",
    "department",
    "location",
    "country",
  ].map((f) => `employmentNav/userNav/${f}`),
  ...[
    "userId",
    "startDate",
    "seqNumber",
    "jobTitle",
    "department",
    "location",
    "countryOfCompany",
    "managerId",
    "emplStatus",
  ].map((f) => `employmentNav/jobInfoNav/${f}`),
  "employmentNav/userNav/manager/userId",
  "employmentNav/userNav/manager/email",
  "employmentNav/userNav/manager/empInfo/personIdExternal",
  "personEmpTerminationInfoNav/latestTerminationDate",
  "personEmpTerminationInfoNav/activeEmploymentsCount",
];

/** Reads people from the SuccessFactors OData v2 API, with an OAuth bearer token (or legacy HTTP Basic). */
export class SuccessFactorsODataClient {
  readonly #http: AxiosInstance;
  readonly #auth: SuccessFactorsAuthorizer;
  readonly #origin: string;

  constructor(options: SuccessFactorsODataClientOptions) {
    const baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#origin = new URL(baseUrl).origin;
    this.#http = axios.create({
      baseURL: `${baseUrl}/odata/v2/`,
      timeout: options.timeoutInMs ?? 15000,
      headers: { Accept: "application/json" },
      validateStatus: () => true,
    });
    this.#auth =
      options.credentials.kind === "basic"
        ? new BasicAuthorizer(options.credentials)
        : new SamlBearerAuthorizer({
            http: this.#http,
            baseUrl,
            credentials: options.credentials,
            ...(options.now ? { now: options.now } : {}),
          });
  }

  /** Entities of one set matching `field eq 'value'` conditions. */
  async query(entitySet: string, filter: Record<string, string>): Promise<ODataEntity[]> {
    const $filter = Object.entries(filter)
      .map(([field, value]) => `${field} eq ${quote(value)}`)
      .join(" and ");
    const described = `${entitySet} (${Object.entries(filter)
      .map(([f, v]) => `${f}=${v}`)
      .join(", ")})`;
    return this.#get(entitySet, { $filter }, described);
  }

  /**
   * Everything the lifecycle needs about one person, in one expanded `PerPerson` query. `personIdExternal` is
   * the stable key; when only a `userId` is known it is resolved through EmpEmployment first.
   */
  async getWorkerSnapshot(keys: {
    personIdExternal?: string;
    userId?: string;
  }): Promise<SfWorkerSnapshot | undefined> {
    let { personIdExternal } = keys;
    if (personIdExternal === undefined && keys.userId !== undefined) {
      const [employment] = await this.query("EmpEmployment", { userId: keys.userId });
      personIdExternal = str(employment, "personIdExternal");
    }
    if (personIdExternal === undefined) return undefined;
    const [person] = await this.#get(
      "PerPerson",
      {
        $filter: `personIdExternal eq ${quote(personIdExternal)}`,
        $expand: WORKER_EXPAND.join(","),
        $select: WORKER_SELECT.join(","),
      },
      `PerPerson (personIdExternal=${personIdExternal})`,
    );
    return person === undefined ? undefined : snapshotFromPerson(person, keys.userId);
  }

  /**
   * One page of the people changed since `since` (an ISO date-time): a person whose own record, personal data,
   * emails, employment, job or termination info was modified (`lastModifiedDateTime ge datetimeoffset'…'`),
   * each read with the same expansions as an event. Server-side snapshot paging: pass the `next` link back for
   * the following page.
   */
  async listChangedPeople(options: {
    since: string;
    pageSize: number;
    next?: string;
  }): Promise<{ snapshots: SfWorkerSnapshot[]; next?: string }> {
    const described = `PerPerson changed since ${options.since}`;
    const page =
      options.next === undefined
        ? await this.#page(
            "PerPerson",
            {
              $filter: changedSinceFilter(options.since),
              $expand: WORKER_EXPAND.join(","),
              $select: WORKER_SELECT.join(","),
              paging: "snapshot",
              customPageSize: String(options.pageSize),
            },
            described,
          )
        : await this.#page(this.#sameServer(options.next, described), {}, described);
    return {
      snapshots: page.entities.map((person) => snapshotFromPerson(person)),
      ...(page.next === undefined ? {} : { next: page.next }),
    };
  }

  /** A `__next` link is followed only to the API server itself: the bearer token goes nowhere else. */
  #sameServer(next: string, described: string): string {
    let origin: string | undefined;
    try {
      origin = new URL(next).origin;
    } catch {
      origin = undefined;
    }
    if (origin !== this.#origin)
      throw new SuccessFactorsCallbackError(`OData ${described}: the next-page link leaves ${this.#origin}`);
    return next;
  }

  /** The people with these personIdExternal values that SuccessFactors has (at most 100 per call). */
  async findPeople(personIdExternals: readonly string[]): Promise<SfWorkerSnapshot[]> {
    if (personIdExternals.length === 0) return [];
    const people = await this.#get(
      "PerPerson",
      {
        $filter: `personIdExternal in ${personIdExternals.map(quote).join(",")}`,
        $select: "personIdExternal",
      },
      `PerPerson (${personIdExternals.length} personIdExternal values)`,
    );
    return people.map((person) => snapshotFromPerson(person));
  }

  async #get(entitySet: string, params: Record<string, string>, described: string): Promise<ODataEntity[]> {
    return (await this.#page(entitySet, params, described)).entities;
  }

  /** One OData page: `pathOrUrl` is an entity set, or the `__next` link of the page before. */
  async #page(
    pathOrUrl: string,
    params: Record<string, string>,
    described: string,
  ): Promise<{ entities: ODataEntity[]; next?: string }> {
    const send = async (renew: boolean) => {
      const authorization = await this.#auth.header({ renew });
      try {
        return await this.#http.get<unknown>(pathOrUrl, {
          params: /^https?:/i.test(pathOrUrl) ? params : { ...params, $format: "json" },
          headers: { Authorization: authorization },
        });
      } catch (error) {
        throw new SuccessFactorsCallbackError(
          `OData ${described} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    };
    let response = await send(false);
    // A token SuccessFactors no longer honours (expired early, revoked): one fresh token, then give up.
    if (response.status === 401 && this.#auth.renewable) response = await send(true);
    if (response.status === 401) throw this.#auth.explainRefusal(described, odataMessage(response.data));
    if (response.status < 200 || response.status >= 300) {
      throw new SuccessFactorsCallbackError(
        `OData ${described} answered HTTP ${response.status}${odataMessage(response.data)}`,
      );
    }
    const results = readODataResults(response.data);
    if (!results.ok) throw new SuccessFactorsCallbackError(`OData ${described}: ${results.error.message}`);
    const next = (response.data as { d?: { __next?: unknown } }).d?.__next;
    return { entities: results.value, ...(typeof next === "string" && next !== "" ? { next } : {}) };
  }
}

/** The navigations whose own modification makes a person "changed" (each is effective dated separately). */
const CHANGE_NAVIGATIONS = [
  "",
  "personalInfoNav/",
  "emailNav/",
  "employmentNav/",
  "employmentNav/jobInfoNav/",
  "personEmpTerminationInfoNav/",
];

/** `lastModifiedDateTime ge datetimeoffset'…'` on the person and each navigation, any of them. */
export function changedSinceFilter(since: string): string {
  const at = new Date(since).toISOString().replace(/\.\d{3}Z$/, "Z");
  return CHANGE_NAVIGATIONS.map((nav) => `${nav}lastModifiedDateTime ge datetimeoffset'${at}'`).join(" or ");
}

/** `: <message>` from an OData error body (`{"error":{"message":{"value":…}}}`), or nothing. */
function odataMessage(body: unknown): string {
  const value = (body as { error?: { message?: { value?: unknown } } } | undefined)?.error?.message?.value;
  return typeof value === "string" && value !== "" ? `: ${value.slice(0, 300)}` : "";
}
