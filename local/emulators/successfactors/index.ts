import { randomUUID } from "node:crypto";
import { Secret } from "../../../src/config/secret";
import { verifyBasic } from "../../../src/hr/auth";
import { escapeXml } from "../../../src/hr/xml";
import { SF_NOTIFICATION_NS } from "../../../src/hr/successfactors";
import { json, listen, type EmulatorResponse, type RunningEmulator } from "../http";
import { OAuthTenant, type OAuthClientRegistration } from "./oauth";
import { ODataStore } from "./odata-store";
import { ODataQueryError, parseFilter, parsePaths } from "./odata-query";

export type { OAuthClientRegistration } from "./oauth";

/**
 * A local SuccessFactors API server: OData v2 JSON (`/odata/v2/<EntitySet>` with `$filter`, `$expand`,
 * `$select`, `$top`, `$skip`) over whatever `POST /emulator/entities` loaded, indexed so that an expanded
 * document (a `PerPerson` with `employmentNav/jobInfoNav`, …) also fills every nested entity set; and the OAuth
 * 2.0 SAML bearer grant at `/oauth/token`. HTTP Basic is refused unless the tenant still allows it, as SAP has
 * retired it for the OData API.
 */
export interface SuccessFactorsEmulatorOptions {
  /** 8087 by default; 0 picks a free port (tests). */
  port?: number;
  host?: string;
  /** HTTP Basic on OData: "retired" (refused, SAP's current rule; the default) or "allowed" (a legacy tenant). */
  basicAuth?: "allowed" | "retired";
  /** Basic credentials when allowed: `username@companyId`. */
  user?: string;
  password?: string;
  /** The company id `/oauth/token` expects; `LOCAL` by default. */
  companyId?: string;
  /** OAuth clients registered up front (more with `registerOAuthClient` or `POST /emulator/oauth/clients`). */
  oauthClients?: OAuthClientRegistration[];
  /** userIds an assertion may name as its subject; `lifecycle-api` by default. */
  apiUsers?: string[];
  tokenLifetimeInSeconds?: number;
  /** OData JSON documents to load at start. */
  documents?: unknown[];
}

/** One request the emulator served, for counting calls per event. */
export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  /** How the request authenticated: an OAuth bearer token, HTTP Basic, or not at all. */
  auth: "bearer" | "basic" | "none";
}

export interface SuccessFactorsEmulator extends RunningEmulator {
  /** Loads an OData JSON document; the entity type comes from `__metadata.type` or `type`. Returns counts. */
  loadEntities(document: unknown, type?: string): Record<string, number>;
  /** Registers an OAuth client's API key and certificate, as "Manage OAuth2 Client Applications" does. */
  registerOAuthClient(client: OAuthClientRegistration): void;
  /** Every issued token expires, so the next OData call answers 401. */
  expireTokens(): void;
  /** Moves the tenant's clock (milliseconds ahead of, or behind, this machine's). */
  setClockSkew(ms: number): void;
  /** The OData and token requests served so far (admin routes are not recorded). */
  requests(): RecordedRequest[];
  clearRequests(): void;
}

export const SF_EMULATOR_USER = "lifecycle@LOCAL";
export const SF_EMULATOR_PASSWORD = "lifecycle-sf-secret";
export const SF_EMULATOR_COMPANY_ID = "LOCAL";
export const SF_EMULATOR_API_USER = "lifecycle-api";
export const SF_EMULATOR_CLIENT_ID = "lifecycle-local-api-key";

const odataError = (status: number, code: string, message: string): EmulatorResponse =>
  json(status, { error: { code, message: { lang: "en-US", value: message } } });

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
  const basic = {
    user: options.user ?? SF_EMULATOR_USER,
    password: new Secret(options.password ?? SF_EMULATOR_PASSWORD),
  };
  const companyId = options.companyId ?? SF_EMULATOR_COMPANY_ID;
  let skew = 0;
  const tenant = new OAuthTenant({
    companyId,
    clients: [...(options.oauthClients ?? [])],
    apiUsers: options.apiUsers ?? [SF_EMULATOR_API_USER],
    tokenLifetimeInSeconds: options.tokenLifetimeInSeconds,
    now: () => Date.now() + skew,
  });
  const store = new ODataStore();
  for (const document of options.documents ?? []) store.load(document);
  const recorded: RecordedRequest[] = [];

  const authenticate = (authorization: string | undefined): EmulatorResponse | undefined => {
    if (/^Bearer\s/i.test(authorization ?? "")) {
      return tenant.accepts(authorization)
        ? undefined
        : odataError(401, "LGN0022", "[LGN0022]The access token is either rejected or expired");
    }
    if (/^Basic\s/i.test(authorization ?? "") && options.basicAuth !== "allowed") {
      return odataError(
        401,
        "BASIC_AUTH_RETIRED",
        `HTTP Basic authentication is retired for company ${companyId}: use OAuth 2.0 (SAML bearer assertion)`,
      );
    }
    if (verifyBasic(authorization, basic)) return undefined;
    return {
      ...odataError(401, "LGN0011", "Invalid credentials"),
      headers: { "WWW-Authenticate": 'Basic realm="SFAPI"' },
    };
  };

  const admin = (request: { method: string; url: URL; body: string }): EmulatorResponse | undefined => {
    const { pathname, searchParams } = request.url;
    const route = `${request.method} ${pathname}`;
    try {
      switch (route) {
        case "POST /emulator/entities":
          return json(200, {
            loaded: store.load(JSON.parse(request.body), searchParams.get("type") ?? undefined),
          });
        case "POST /emulator/reset":
          store.clear();
          return json(200, { entities: 0 });
        case "POST /emulator/oauth/clients": {
          const client = JSON.parse(request.body) as Partial<OAuthClientRegistration>;
          if (typeof client.clientId !== "string" || typeof client.certificate !== "string")
            return json(400, { error: "expected { clientId, certificate }" });
          tenant.register({ clientId: client.clientId, certificate: client.certificate });
          return json(200, { registered: client.clientId });
        }
        case "POST /emulator/oauth/expire-tokens":
          tenant.expireTokens();
          return json(200, { expired: true });
        case "GET /emulator/requests":
          return json(200, { requests: recorded });
        default:
          return undefined;
      }
    } catch (error) {
      return json(400, { error: error instanceof Error ? error.message : String(error) });
    }
  };

  const serve = (request: {
    method: string;
    url: URL;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }): EmulatorResponse => {
    const { pathname, searchParams } = request.url;
    const origin = `http://${String(request.headers.host ?? "127.0.0.1")}`;
    if (pathname === "/oauth/token" && request.method === "POST") {
      return tenant.issue(new URLSearchParams(request.body), origin);
    }
    const match = /^\/odata\/v2\/(\w+)$/.exec(pathname);
    if (!match || request.method !== "GET")
      return odataError(404, "COE_RESOURCE_NOT_FOUND", `no route ${pathname}`);
    const refused = authenticate(request.headers.authorization as string | undefined);
    if (refused) return refused;
    try {
      const results = store.query(
        match[1],
        {
          filter: parseFilter(searchParams.get("$filter")),
          expand: parsePaths(searchParams.get("$expand"), "$expand"),
          select: parsePaths(searchParams.get("$select"), "$select"),
          top: Number(searchParams.get("$top") ?? "0"),
          skip: Number(searchParams.get("$skip") ?? "0"),
        },
        origin,
      );
      return json(200, { d: { results } });
    } catch (error) {
      if (error instanceof ODataQueryError) return odataError(400, "COE_GENERAL_BAD_REQUEST", error.message);
      throw error;
    }
  };

  const running = await listen(
    (request) => {
      const handled = admin(request);
      if (handled) return handled;
      const response = serve(request);
      const authorization = String(request.headers.authorization ?? "");
      recorded.push({
        method: request.method,
        path: request.url.pathname,
        status: response.status,
        auth: /^Bearer\s/i.test(authorization)
          ? "bearer"
          : /^Basic\s/i.test(authorization)
            ? "basic"
            : "none",
      });
      return response;
    },
    options.port ?? 8087,
    options.host ?? "127.0.0.1",
  );
  return {
    ...running,
    loadEntities: (document, type) => store.load(document, type),
    registerOAuthClient: (client) => tenant.register(client),
    expireTokens: () => tenant.expireTokens(),
    setClockSkew: (ms) => {
      skew = ms;
    },
    requests: () => [...recorded],
    clearRequests: () => {
      recorded.length = 0;
    },
  };
}
