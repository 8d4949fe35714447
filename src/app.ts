import type { app as functionsApp } from "@azure/functions";
import { createHealthHandler, type HealthCheck } from "./functions/health";
import { registerHrFunctions, type HrFunctionsDependencies } from "./functions/hr";
import type { DispatchPort } from "./hr/intake";

/** What the function registrations need; built by the composition root, or by tests from plain objects. */
export interface AppDependencies {
  health: Record<string, HealthCheck>;
  /** HR intake (absent when the configuration is invalid: then only health answers, with the report). */
  hr?: HrFunctionsDependencies;
  /** Where accepted HR events go: starts or signals the employee's orchestration. */
  dispatch?: DispatchPort;
}

type FunctionsApp = Pick<typeof functionsApp, "http">;

/** Registers every function of the app. Handlers get their dependencies here and nowhere else. */
export function registerFunctions(app: FunctionsApp, deps: AppDependencies): void {
  app.http("health", {
    route: "health",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: createHealthHandler({ checks: deps.health }),
  });
  if (deps.hr && deps.dispatch) registerHrFunctions(app, deps.hr, deps.dispatch);
}
