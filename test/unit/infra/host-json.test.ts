import fs from "node:fs";
import path from "node:path";

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

const host = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../host.json"), "utf8")) as HostJson;
const durable = host.extensions.durableTask;

/** Bulk onboarding fans out this many hires at a time (the batch size the rate budget was planned for). */
const BATCH_FAN_OUT = 10;

describe("host.json production settings", () => {
  it("never writes orchestration inputs and outputs, which carry HR personal data, to telemetry", () => {
    expect(durable.tracing).toEqual({ traceInputsAndOutputs: false, traceReplayEvents: false });
  });

  it("runs at most one batch's fan-out of activities at once per instance", () => {
    expect(durable.maxConcurrentActivityFunctions).toBe(BATCH_FAN_OUT);
    expect(durable.maxConcurrentOrchestratorFunctions).toBeGreaterThanOrEqual(BATCH_FAN_OUT);
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
