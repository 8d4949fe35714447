import type { app as functionsApp } from "@azure/functions";
import { ANY_ROLE, requireRole, ROLES } from "./functions/access";
import { createBatchRetryHandler } from "./functions/batch-retry";
import { createHealthHandler, type HealthCheck } from "./functions/health";
import { guardHttp, MAX_REQUEST_BODY_BYTES } from "./functions/http-guard";
import { registerHrFunctions, type HrFunctionsDependencies } from "./functions/hr";
import { registerJournalSweep } from "./functions/journal-sweep";
import { createBatchStart } from "./functions/batch-status";
import { createHandedOverCheck, createLifecycleDefer, createLifecycleDispatch } from "./functions/dispatch";
import { registerLifecycleFunctions, type LifecycleFunctionsDependencies } from "./functions/lifecycle";
import { withDurableClient } from "./functions/durable-scope";
import {
  createGetMappingHandler,
  createListMappingVersionsHandler,
  createPutMappingHandler,
} from "./functions/mappings";
import { consoleRoute, createConsoleHandler, whoAmI } from "./functions/console";
import { createOpenApiHandlers } from "./functions/openapi";
import { createPlanHandler } from "./functions/plan";
import {
  registerReconciliationFunctions,
  type ReconciliationFunctionsDependencies,
} from "./functions/reconciliation";
import type { OrgDirectory } from "./lifecycle/org";
import type { CurrentStateReader } from "./lifecycle/state";
import type { MappingService } from "./storage/mappings-service";
import { NO_TELEMETRY, type Telemetry } from "./telemetry";
import { withHttpTelemetry } from "./functions/http-telemetry";

/** What the mapping and dry-run routes need: the mapping store, the org directory and current Genesys state. */
export interface MappingDependencies {
  service: MappingService;
  org: OrgDirectory;
  state: CurrentStateReader;
}

/** What the function registrations need; built by the composition root, or by tests from plain objects. */
export interface AppDependencies {
  health: Record<string, HealthCheck>;
  /** Absent until the Genesys client provides the org directory and current state; the routes then stay off. */
  mappings?: MappingDependencies;
  /** HR intake (absent when the configuration is invalid: then only health answers, with the report). */
  hr?: HrFunctionsDependencies;
  /** The orchestrations and activities that apply HR events to Genesys, and their HTTP routes. */
  lifecycle?: LifecycleFunctionsDependencies;
  /** Reconciliation runs: on the timer and on demand (needs the HR intake and the lifecycle). */
  reconciliation?: ReconciliationFunctionsDependencies;
  /** Spans and metrics (off unless the settings name an exporter). */
  telemetry?: Telemetry;
  /**
   * Whether App Service authentication is on (`WEBSITE_AUTH_ENABLED`), so its `x-ms-client-principal` can be
   * trusted. Off (the default), operator routes know no caller and answer 401 to everyone.
   */
  platformAuthentication?: boolean;
}

type FunctionsApp = Pick<typeof functionsApp, "http">;

/** Registers every function of the app. Handlers get their dependencies here and nowhere else. */
export function registerFunctions(functionsApp: FunctionsApp, deps: AppDependencies): void {
  const telemetry = deps.telemetry ?? NO_TELEMETRY;
  // Every HTTP route is registered through the guard (body cap first, platform identity only when vouched
  // for), inside a span that also covers what the guard refuses.
  const app = guardHttp(withHttpTelemetry(functionsApp, telemetry), {
    maxBodyBytes: MAX_REQUEST_BODY_BYTES,
    trustPlatformPrincipal: deps.platformAuthentication ?? false,
  });
  app.http("health", {
    route: "health",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: createHealthHandler({ checks: deps.health, detailed: false }),
  });
  app.http("healthDetails", {
    route: "health/details",
    methods: ["GET"],
    authLevel: "function",
    handler: createHealthHandler({ checks: deps.health, detailed: true }),
  });
  // The API documents describe every route below (src/openapi/operations.ts); they hold no secret.
  const documents = createOpenApiHandlers();
  app.http("openApi", {
    route: "openapi.json",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: documents.openApi,
  });
  app.http("openApiV2", {
    route: "openapi/v2.json",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: documents.swagger2,
  });

  // The operations console (static files from the app package) and who it is signed in as.
  app.http("console", {
    route: "console/{*path}",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: consoleRoute(createConsoleHandler()),
  });
  app.http("me", {
    route: "me",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: requireRole(ANY_ROLE, whoAmI),
  });

  if (deps.mappings !== undefined) {
    const { service, org, state } = deps.mappings;
    // Operator routes: App Service authentication says who calls (anonymous to the Functions host, whose keys
    // would otherwise be demanded on top), and the app role decides what they may do.
    app.http("mappingsGet", {
      route: "mappings",
      methods: ["GET"],
      authLevel: "anonymous",
      handler: requireRole(ANY_ROLE, createGetMappingHandler({ mappings: service })),
    });
    app.http("mappingsPut", {
      route: "mappings",
      methods: ["PUT"],
      authLevel: "anonymous",
      handler: requireRole(ROLES.operator, createPutMappingHandler({ mappings: service })),
    });
    app.http("mappingVersions", {
      route: "mappings/versions",
      methods: ["GET"],
      authLevel: "anonymous",
      handler: requireRole(ANY_ROLE, createListMappingVersionsHandler({ mappings: service })),
    });
    app.http("plan", {
      route: "plan",
      methods: ["POST"],
      authLevel: "anonymous",
      handler: requireRole(ROLES.operator, createPlanHandler({ mappings: service, org, state })),
    });
  }
  if (deps.hr && deps.lifecycle) {
    // Intake runs with the invocation's Durable client in scope, so an accepted event wakes or starts its
    // employee's orchestration, and an accepted batch starts the batch's.
    const intakeApp = withDurableClient(app);
    const { intake, journalDrain } = registerHrFunctions(
      intakeApp,
      deps.hr,
      createLifecycleDispatch(deps.lifecycle.activities, telemetry),
      createBatchStart(deps.lifecycle.onboarding, deps.lifecycle.activities.batches),
      // Items read back from HR are acknowledged first; the employee's orchestration reads them back.
      createLifecycleDefer(deps.lifecycle.activities, telemetry),
      createHandedOverCheck(deps.lifecycle.activities),
    );
    if (journalDrain) registerJournalSweep(journalDrain, telemetry);
    registerLifecycleFunctions(app, {
      ...deps.lifecycle,
      activities: {
        ...deps.lifecycle.activities,
        hrEnrichment: (source, idempotencyKey, options) =>
          intake.enrichDeferred(source, idempotencyKey, options),
      },
    });
    // What reconciliation finds enters through the same intake as any HR event.
    if (deps.reconciliation) registerReconciliationFunctions(app, deps.reconciliation, intake);
    intakeApp.http("onboardingBatchRetry", {
      route: "onboarding/batches/{id}/retry",
      methods: ["POST"],
      authLevel: "anonymous",
      handler: requireRole(
        ROLES.operator,
        createBatchRetryHandler({ intake, batches: deps.lifecycle.activities.batches }),
      ),
    });
  }
}
