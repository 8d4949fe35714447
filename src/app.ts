import type { app as functionsApp } from "@azure/functions";
import { createBatchRetryHandler } from "./functions/batch-retry";
import { createHealthHandler, type HealthCheck } from "./functions/health";
import { registerHrFunctions, type HrFunctionsDependencies } from "./functions/hr";
import {
  createLifecycleDispatch,
  registerLifecycleFunctions,
  withBatchStart,
  type LifecycleFunctionsDependencies,
} from "./functions/lifecycle";
import { withDurableClient } from "./functions/durable-scope";
import {
  createGetMappingHandler,
  createListMappingVersionsHandler,
  createPutMappingHandler,
} from "./functions/mappings";
import { createOpenApiHandlers } from "./functions/openapi";
import { createPlanHandler } from "./functions/plan";
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
  /** Spans and metrics (off unless the settings name an exporter). */
  telemetry?: Telemetry;
}

type FunctionsApp = Pick<typeof functionsApp, "http">;

/** Registers every function of the app. Handlers get their dependencies here and nowhere else. */
export function registerFunctions(untracedApp: FunctionsApp, deps: AppDependencies): void {
  const telemetry = deps.telemetry ?? NO_TELEMETRY;
  const app = withHttpTelemetry(untracedApp, telemetry);
  app.http("health", {
    route: "health",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: createHealthHandler({ checks: deps.health }),
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

  if (deps.mappings !== undefined) {
    const { service, org, state } = deps.mappings;
    app.http("mappingsGet", {
      route: "mappings",
      methods: ["GET"],
      authLevel: "function",
      handler: createGetMappingHandler({ mappings: service }),
    });
    app.http("mappingsPut", {
      route: "mappings",
      methods: ["PUT"],
      authLevel: "function",
      handler: createPutMappingHandler({ mappings: service }),
    });
    app.http("mappingVersions", {
      route: "mappings/versions",
      methods: ["GET"],
      authLevel: "function",
      handler: createListMappingVersionsHandler({ mappings: service }),
    });
    app.http("plan", {
      route: "plan",
      methods: ["POST"],
      authLevel: "function",
      handler: createPlanHandler({ mappings: service, org, state }),
    });
  }
  if (deps.hr && deps.lifecycle) {
    // Intake runs with the invocation's Durable client in scope, so an accepted event wakes or starts its
    // employee's orchestration, and an accepted batch starts the batch's.
    const intakeApp = withBatchStart(withDurableClient(app), deps.lifecycle.onboarding);
    const { intake } = registerHrFunctions(
      intakeApp,
      deps.hr,
      createLifecycleDispatch(deps.lifecycle.activities, telemetry),
    );
    registerLifecycleFunctions(app, deps.lifecycle);
    intakeApp.http("onboardingBatchRetry", {
      route: "onboarding/batches/{id}/retry",
      methods: ["POST"],
      authLevel: "function",
      handler: createBatchRetryHandler({ intake, batches: deps.lifecycle.activities.batches }),
    });
  }
}
