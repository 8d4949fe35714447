import { wakeEmployee } from "../../../src/functions/dispatch";
import { getStatusIfExists, type OrchestrationClient } from "../../../src/functions/orchestration-client";
import { recordTelemetry } from "../../support/telemetry";

// The Durable client is a stand-in: what is tested is what the intake makes of its answers.
function client(getStatus: () => Promise<never>): OrchestrationClient & { started: string[] } {
  const started: string[] = [];
  return {
    started,
    getStatus: getStatus,
    raiseEvent: async () => undefined,
    startNew: async (_name: string, options?: { instanceId?: string }) => {
      started.push(options?.instanceId ?? "");
      return options?.instanceId ?? "";
    },
  };
}

describe("waking an employee's orchestration once the intake stored the event", () => {
  it("starts the orchestration when there is none", async () => {
    const durable = client(async () => {
      throw new Error("DurableClient error: Durable Functions extension replied with HTTP 404 response.");
    });
    const recording = recordTelemetry();
    await wakeEmployee(durable, "E-1", recording.telemetry);
    expect(durable.started).toEqual(["employee-E-1"]);
    expect(await recording.points("lifecycle.employee.wake_ups_failed")).toEqual([]);
  });

  it("does not fail when Durable Functions does not answer: the wake-up is counted for the inbox sweep", async () => {
    const durable = client(async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:7071");
    });
    const recording = recordTelemetry();
    await expect(wakeEmployee(durable, "E-2", recording.telemetry)).resolves.toBeUndefined();
    expect(durable.started).toEqual([]);
    expect(await recording.points("lifecycle.employee.wake_ups_failed")).toEqual([[{}, 1]]);
  });
});

describe("reading an instance's status", () => {
  it("asks for it without the input, which can be tens of kilobytes and is never read", async () => {
    const asked: unknown[] = [];
    const status = await getStatusIfExists(
      {
        getStatus: async (_id: string, options?: unknown) => {
          asked.push(options);
          throw new Error("DurableClient error: Durable Functions extension replied with HTTP 404 response.");
        },
      },
      "batch-1",
    );
    expect(status).toBeUndefined();
    expect(asked).toEqual([{ showInput: false }]);
  });
});
