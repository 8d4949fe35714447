import type { app as functionsApp } from "@azure/functions";
import { createHealthHandler, type HealthCheck } from "./functions/health";

/** What the function registrations need; built by the composition root, or by tests from plain objects. */
export interface AppDependencies {
  health: Record<string, HealthCheck>;
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
}
