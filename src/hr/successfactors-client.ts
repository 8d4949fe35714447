import axios, { type AxiosInstance } from "axios";
import type { Secret } from "../config/secret";
import { latest, readODataResults, str, type ODataEntity, type SfWorkerSnapshot } from "./successfactors";

export interface SuccessFactorsODataClientOptions {
  /** The API server, e.g. `https://api4.successfactors.com` (the client appends `/odata/v2`). */
  baseUrl: string;
  /** `username@companyId`. */
  user: string;
  password: Secret;
  timeoutInMs?: number;
}

/** A SuccessFactors OData callback failed; the message names the entity and the key, never a credential. */
export class SuccessFactorsCallbackError extends Error {
  override readonly name = "SuccessFactorsCallbackError";
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Reads one person's records from the SuccessFactors OData v2 API (Basic authentication). */
export class SuccessFactorsODataClient {
  readonly #http: AxiosInstance;

  constructor(options: SuccessFactorsODataClientOptions) {
    this.#http = axios.create({
      baseURL: `${options.baseUrl.replace(/\/+$/, "")}/odata/v2/`,
      timeout: options.timeoutInMs ?? 15000,
      auth: { username: options.user, password: options.password.reveal() },
      headers: { Accept: "application/json" },
      validateStatus: () => true,
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
    let response;
    try {
      response = await this.#http.get<unknown>(entitySet, { params: { $filter, $format: "json" } });
    } catch (error) {
      throw new SuccessFactorsCallbackError(
        `OData ${described} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (response.status < 200 || response.status >= 300) {
      throw new SuccessFactorsCallbackError(`OData ${described} answered HTTP ${response.status}`);
    }
    const results = readODataResults(response.data);
    if (!results.ok) throw new SuccessFactorsCallbackError(`OData ${described}: ${results.error.message}`);
    return results.value;
  }

  /**
   * Everything the lifecycle needs about one person: PerPerson, PerPersonal, PerEmail, User, EmpJob,
   * EmpEmploymentTermination, and the manager's key and email. `personIdExternal` is the stable key; when only
   * a `userId` is known it is resolved through EmpEmployment.
   */
  async getWorkerSnapshot(keys: {
    personIdExternal?: string;
    userId?: string;
  }): Promise<SfWorkerSnapshot | undefined> {
    let { personIdExternal, userId } = keys;
    if (personIdExternal === undefined && userId !== undefined) {
      const [employment] = await this.query("EmpEmployment", { userId });
      personIdExternal = str(employment, "personIdExternal");
    }
    if (personIdExternal === undefined) return undefined;
    const [persons, personals, emails, employments] = await Promise.all([
      this.query("PerPerson", { personIdExternal }),
      this.query("PerPersonal", { personIdExternal }),
      this.query("PerEmail", { personIdExternal }),
      userId === undefined ? this.query("EmpEmployment", { personIdExternal }) : Promise.resolve([]),
    ]);
    if (persons.length === 0) return undefined;
    userId ??= str(latest(employments, "startDate"), "userId");
    userId ??= personIdExternal;
    const [users, jobs, terminations] = await Promise.all([
      this.query("User", { userId }),
      this.query("EmpJob", { userId }),
      this.query("EmpEmploymentTermination", { userId }),
    ]);
    const snapshot: SfWorkerSnapshot = {
      personIdExternal,
      userId,
      person: persons[0],
      personal: personals[0],
      emails,
      user: users[0],
      jobs,
      terminations,
    };
    const managerUserId = str(latest(jobs, "startDate"), "managerId");
    if (managerUserId !== undefined && managerUserId !== "NO_MANAGER") {
      const [[managerUser], [managerEmployment]] = await Promise.all([
        this.query("User", { userId: managerUserId }),
        this.query("EmpEmployment", { userId: managerUserId }),
      ]);
      snapshot.manager = {
        personIdExternal: str(managerEmployment, "personIdExternal") ?? managerUserId,
        email: str(managerUser, "email"),
      };
    }
    return snapshot;
  }
}
