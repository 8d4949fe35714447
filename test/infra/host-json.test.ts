import fs from "node:fs";
import path from "node:path";
import { SETTINGS } from "../../src/config/settings";
import { SLICES_IN_FLIGHT } from "../../src/orchestrators/onboarding";

interface HostJson {
  functionTimeout: string;
  extensions: {
    durableTask: {
      hubName: string;
      maxConcurrentActivityFunctions: number;
      maxConcurrentOrchestratorFunctions: number;
      storageProvider: { partitionCount: number };
      tracing: { traceInputsAndOutputs: boolean; traceReplayEvents: boolean };
    };
  };
  logging: { applicationInsights: { samplingSettings: { isEnabled: boolean; excludedTypes: string } } };
}

const host = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../host.json"), "utf8")) as HostJson;
const durable = host.extensions.durableTask;

/** Bulk onboarding converges this many hires at once: its slices in flight, of the default slice size. */
const BATCH_FAN_OUT = SLICES_IN_FLIGHT * SETTINGS.ONBOARDING_BATCH_SIZE.schema.parse(undefined);

describe("host.json production settings", () => {
  it("never writes orchestration inputs and outputs, which carry HR personal data, to telemetry", () => {
    expect(durable.tracing).toEqual({ traceInputsAndOutputs: false, traceReplayEvents: false });
  });

  it("runs a bulk batch's hires in flight at once per instance, and no more", () => {
    expect(durable.maxConcurrentActivityFunctions).toBe(BATCH_FAN_OUT);
    expect(durable.maxConcurrentOrchestratorFunctions).toBeGreaterThanOrEqual(10);
  });

  it("keeps every request and exception while sampling the rest", () => {
    const sampling = host.logging.applicationInsights.samplingSettings;
    expect(sampling.isEnabled).toBe(true);
    expect(sampling.excludedTypes.split(";").sort()).toEqual(["Exception", "Request"]);
  });

  it("names its task hub and keeps activities short (minutes, not hours)", () => {
    expect(durable.hubName).toMatch(/^[A-Za-z][A-Za-z0-9]{2,44}$/);
    const [hours, minutes] = host.functionTimeout.split(":").map(Number);
    expect(hours).toBe(0);
    expect(minutes).toBeLessThanOrEqual(10);
  });
});
