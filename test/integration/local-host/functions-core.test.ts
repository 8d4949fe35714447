/**
 * The local host depends on two internal contracts: @azure/functions' contract with the worker's
 * `@azure/functions-core` module, and durable-functions' JSON protocol with the Durable extension.
 * These tests pin both; if a dependency upgrade changes either, they fail here first, by name.
 */
import fs from "node:fs";
import path from "node:path";
import {
  fromTypedData,
  getProgrammingModel,
  getRegistration,
  invokeFunction,
} from "../../../local/host/functions-core";
import { flattenActions, type OrchestratorState } from "../../../local/host/durable/protocol";
import "../../fixtures/host-app";

const root = path.resolve(__dirname, "../../..");
const versionOf = (pkg: string) =>
  (
    JSON.parse(fs.readFileSync(path.join(root, "node_modules", pkg, "package.json"), "utf8")) as {
      version: string;
    }
  ).version;

describe("the functions-core stand-in's contract", () => {
  it("runs against the exact library versions it was written for", () => {
    const pinned = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(pinned.dependencies["@azure/functions"]).toBe("4.16.5");
    expect(pinned.dependencies["durable-functions"]).toBe("3.5.0");
    expect(versionOf("@azure/functions")).toBe("4.16.5");
    expect(versionOf("durable-functions")).toBe("3.5.0");
  });

  it("receives a programming model and every registration with the host's binding metadata", () => {
    expect(getProgrammingModel()).toMatchObject({ name: "@azure/functions", version: "4.16.5" });
    const starter = getRegistration("startOrchestration")!;
    const bindings = Object.values(starter.metadata.bindings);
    expect(starter.trigger).toMatchObject({
      type: "httpTrigger",
      direction: "in",
      route: "orchestrators/{name}/{id?}",
      methods: ["POST"],
    });
    expect(bindings.map((b) => [b.type, b.direction])).toEqual([
      ["httpTrigger", "in"],
      ["durableClient", "in"],
      ["http", "out"],
    ]);
    expect(starter.metadata.bindings.$return).toMatchObject({ type: "http", direction: "out" });
    expect(getRegistration("fanOut")!.trigger.type).toBe("orchestrationTrigger");
    expect(getRegistration("square")!.trigger.type).toBe("activityTrigger");
    expect(getRegistration("tick")!.trigger).toMatchObject({
      type: "timerTrigger",
      schedule: "0 */5 * * * *",
    });
  });

  it("invokes through the InvocationModel: RPC HTTP in, RPC HTTP response out", async () => {
    const echo = getRegistration("echo")!;
    const response = await invokeFunction("echo", {
      [echo.trigger.name]: {
        http: {
          method: "PUT",
          url: "http://localhost:7071/api/echo/5?x=1",
          headers: { "content-type": "text/plain" },
          query: { x: "1" },
          params: { id: "5" },
          body: { string: "hi" },
        },
      },
    });
    expect(response.returnValue?.http).toMatchObject({ statusCode: "200", headers: expect.any(Object) });
    const body = JSON.parse(Buffer.from(response.returnValue!.http!.body!.bytes!).toString("utf8")) as object;
    expect(body).toMatchObject({ method: "PUT", params: { id: "5" }, query: { x: "1" }, body: "hi" });
  });

  it("gets the OrchestratorState shape the driver relies on from the durable-functions SDK", async () => {
    const fanOut = getRegistration("fanOut")!;
    const at = "2026-01-01T00:00:00.000Z";
    const bindingInfo = {
      history: [
        { EventType: 12, EventId: -1, IsPlayed: false, Timestamp: at },
        {
          EventType: 0,
          EventId: -1,
          IsPlayed: false,
          Timestamp: at,
          Name: "fanOut",
          Input: '{"count":2,"batchSize":2}',
        },
      ],
      input: { count: 2, batchSize: 2 },
      instanceId: "contract",
      isReplaying: false,
      upperSchemaVersion: 3,
      upperSchemaVersionNew: 3,
      maximumShortTimerDuration: "6.00:00:00",
      longRunningTimerIntervalDuration: "3.00:00:00",
    };
    const response = await invokeFunction("fanOut", {
      [fanOut.trigger.name]: { string: JSON.stringify(bindingInfo) },
    });
    const state = fromTypedData(response.returnValue) as OrchestratorState;
    expect(state).toEqual({
      isDone: false,
      actions: [
        [
          {
            actionType: 12,
            compoundActions: [
              { actionType: 0, functionName: "square", input: 0 },
              { actionType: 0, functionName: "square", input: 1 },
            ],
          },
        ],
      ],
      schemaVersion: 3,
    });
    expect(flattenActions(state).map((a) => a.functionName)).toEqual(["square", "square"]);
  });
});
