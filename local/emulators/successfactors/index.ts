import { randomUUID } from "node:crypto";
import { Secret } from "../../../src/config/secret";
import { verifyBasic } from "../../../src/hr/auth";
import { escapeXml } from "../../../src/hr/xml";
import {
  odataEntityType,
  readODataResults,
  SF_NOTIFICATION_NS,
  type ODataEntity,
} from "../../../src/hr/successfactors";
import { json, listen, type RunningEmulator } from "../http";

/**
 * A local SuccessFactors: OData v2 (`/odata/v2/<Entity>?$filter=…`, JSON) over whatever entities were loaded with
 * `POST /emulator/entities` (User, PerPerson, PerPersonal, PerEmail, EmpEmployment, EmpJob,
 * EmpEmploymentTermination, or any other type named in `__metadata`). HTTP Basic, as the real API.
 */
export interface SuccessFactorsEmulatorOptions {
  /** 8087 by default; 0 picks a free port (tests). */
  port?: number;
  host?: string;
  /** `username@companyId` */
  user?: string;
  password?: string;
  /** OData JSON documents to load at start. */
  documents?: unknown[];
}

export interface SuccessFactorsEmulator extends RunningEmulator {
  /** Loads an OData JSON document; the entity type comes from `__metadata.type` or `type`. Returns counts. */
  loadEntities(document: unknown, type?: string): Record<string, number>;
}

export const SF_EMULATOR_USER = "lifecycle@LOCAL";
export const SF_EMULATOR_PASSWORD = "lifecycle-sf-secret";

/** `a eq 'x' and b eq 'y'`; the only filter shape the intake sends. */
function parseFilter(filter: string | null): [string, string][] | undefined {
  if (!filter) return [];
  const conditions: [string, string][] = [];
  for (const part of filter.split(/\s+and\s+/i)) {
    const match = /^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(part);
    if (!match) return undefined;
    conditions.push([match[1], match[2].replace(/''/g, "'")]);
  }
  return conditions;
}

const asText = (value: unknown) =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : undefined;

export interface ExternalEventOptions {
  /** e.g. `com.successfactors.Employment.AssignmentInformation.Hire` */
  type: string;
  personIdExternal?: string;
  userId?: string;
  /** yyyy-MM-dd */
  effectiveStartDate: string;
  externalEventId?: string;
  eventId?: string;
  effective?: "current" | "future";
  repost?: boolean;
  publishedAt?: number;
}

/** An `ExternalEvent` shaped like the real termination capture (unqualified name/value pairs). */
export function buildSfExternalEvent(options: ExternalEventOptions): string {
  const publishedAt = options.publishedAt ?? Date.now();
  const pair = (tag: string, name: string, value: string | undefined) =>
    value === undefined
      ? ""
      : `<ns3:${tag}><name>${name}</name><value>${escapeXml(value)}</value></ns3:${tag}>`;
  return (
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
    `<ns3:ExternalEvent xmlns:ns3="${SF_NOTIFICATION_NS}">` +
    `<ns3:externalEventMeta><ns3:externalEventId>${options.externalEventId ?? randomUUID()}</ns3:externalEventId>` +
    `<ns3:type>${escapeXml(options.type)}</ns3:type><ns3:publishedAt>${publishedAt}</ns3:publishedAt><ns3:publishedBy>admin</ns3:publishedBy>` +
    `<ns3:effective>${options.effective ?? "current"}</ns3:effective><ns3:repost>${options.repost ?? false}</ns3:repost></ns3:externalEventMeta>` +
    `<ns3:events><ns3:event><ns3:eventId>${options.eventId ?? randomUUID()}</ns3:eventId><ns3:entityType>EmpJob</ns3:entityType>` +
    `<ns3:effectiveStartDate>${options.effectiveStartDate}</ns3:effectiveStartDate><ns3:publishedAt>${publishedAt}</ns3:publishedAt>` +
    `<ns3:publishedBy>admin</ns3:publishedBy><ns3:repost>${options.repost ?? false}</ns3:repost>` +
    `<ns3:entityKeys>${pair("entityKey", "seqNumber", "1")}${pair("entityKey", "userId", options.userId)}${pair("entityKey", "startDate", options.effectiveStartDate)}</ns3:entityKeys>` +
    `<ns3:params>${pair("param", "personIdExternal", options.personIdExternal)}</ns3:params>` +
    `</ns3:event></ns3:events></ns3:ExternalEvent></soap:Body></soap:Envelope>`
  );
}

export async function startSuccessFactorsEmulator(
  options: SuccessFactorsEmulatorOptions = {},
): Promise<SuccessFactorsEmulator> {
  const credentials = {
    user: options.user ?? SF_EMULATOR_USER,
    password: new Secret(options.password ?? SF_EMULATOR_PASSWORD),
  };
  const entities = new Map<string, ODataEntity[]>();

  const loadEntities = (document: unknown, type?: string): Record<string, number> => {
    const documents = Array.isArray(document) ? document : [document];
    const counts: Record<string, number> = {};
    for (const doc of documents) {
      const results = readODataResults(doc);
      if (!results.ok) throw new Error(results.error.message);
      for (const entity of results.value) {
        const entityType = odataEntityType(entity) ?? type;
        if (!entityType) throw new Error("an entity has no __metadata.type and no ?type= was given");
        const list = entities.get(entityType) ?? [];
        list.push(entity);
        entities.set(entityType, list);
        counts[entityType] = (counts[entityType] ?? 0) + 1;
      }
    }
    return counts;
  };
  for (const document of options.documents ?? []) loadEntities(document);

  const running = await listen(
    (request) => {
      const { pathname, searchParams } = request.url;
      if (pathname === "/emulator/entities" && request.method === "POST") {
        try {
          return json(200, {
            loaded: loadEntities(JSON.parse(request.body), searchParams.get("type") ?? undefined),
          });
        } catch (error) {
          return json(400, { error: error instanceof Error ? error.message : String(error) });
        }
      }
      if (pathname === "/emulator/reset" && request.method === "POST") {
        entities.clear();
        return json(200, { entities: 0 });
      }
      const match = /^\/odata\/v2\/(\w+)$/.exec(pathname);
      if (!match || request.method !== "GET")
        return json(404, { error: { message: { value: `no route ${pathname}` } } });
      const authorization = request.headers.authorization;
      if (!verifyBasic(authorization, credentials)) {
        return {
          ...json(401, { error: { code: "LGN0011", message: { value: "Invalid credentials" } } }),
          headers: { "WWW-Authenticate": 'Basic realm="SFAPI"' },
        };
      }
      const entitySet = match[1];
      const conditions = parseFilter(searchParams.get("$filter"));
      if (!conditions)
        return json(400, {
          error: { code: "COE_GENERAL_BAD_REQUEST", message: { value: "unsupported $filter" } },
        });
      const top = Number(searchParams.get("$top") ?? "0");
      let results = (entities.get(entitySet) ?? []).filter((e) =>
        conditions.every(([f, v]) => asText(e[f]) === v),
      );
      if (top > 0) results = results.slice(0, top);
      return json(200, { d: { results } });
    },
    options.port ?? 8087,
    options.host ?? "127.0.0.1",
  );
  return { ...running, loadEntities };
}
