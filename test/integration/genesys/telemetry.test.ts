/**
 * The Genesys request pipeline's telemetry, against the emulator: one span per logical request, every
 * response counted by status (429s included), and rate-budget waits counted whether slept or deferred.
 */
import { SpanStatusCode } from "@opentelemetry/api";
import { ATTR, METRICS, SPANS } from "../../../src/telemetry";
import { recordTelemetry } from "../../support/telemetry";
import { startHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
afterEach(() => {
  h.emulator.admin.clearFaults();
  h.emulator.admin.setLimits({ perTokenPerMinute: 1_000_000, perClientPerMinute: 1_000_000 });
});

describe("Genesys client telemetry", () => {
  it("makes each request a client span named by its path template, with the status code", async () => {
    const recording = recordTelemetry();
    const genesys = h.client({ telemetry: recording.telemetry });
    const home = await genesys.getHomeDivision();
    const user = await genesys.createUser({
      name: "Span Test",
      email: "span.test@example.com",
      divisionId: home.id,
    });
    await genesys.getUser(user.id);

    const requests = (await recording.spans()).filter((s) => s.name === SPANS.genesysRequest);
    const read = requests.find((s) => s.attributes[ATTR.genesysOperation] === "GET /api/v2/users/{id}");
    expect(read?.attributes).toEqual({
      [ATTR.httpMethod]: "GET",
      [ATTR.genesysOperation]: "GET /api/v2/users/{id}",
      [ATTR.statusCode]: 200,
    });
    expect(read?.kind).toBe(2); // SpanKind.CLIENT: a dependency in Application Insights
    expect(JSON.stringify(requests.map((s) => s.attributes))).not.toContain(user.id);
    expect(await recording.points(METRICS.genesysRequests.name)).toEqual(
      expect.arrayContaining([
        [{ [ATTR.httpMethod]: "POST", [ATTR.statusCode]: 200 }, 1],
        [{ [ATTR.httpMethod]: "GET", [ATTR.statusCode]: 200 }, expect.any(Number)],
      ]),
    );
  });

  it("counts a 429 and the wait it imposes, deferred to the orchestrator when it is long", async () => {
    const recording = recordTelemetry();
    h.emulator.admin.setLimits({ perClientPerMinute: 3 });
    const genesys = h.client({ telemetry: recording.telemetry, maxInProcessWaitInMs: 1_000 });
    for (let i = 0; i < 3; i++) await genesys.getHomeDivision();
    await expect(genesys.getHomeDivision()).rejects.toMatchObject({ isRateLimited: true });
    await expect(genesys.getHomeDivision()).rejects.toMatchObject({ code: "client.rate.budget.exhausted" });

    expect(await recording.points(METRICS.genesysRequests.name)).toEqual(
      expect.arrayContaining([[{ [ATTR.httpMethod]: "GET", [ATTR.statusCode]: 429 }, 1]]),
    );
    expect(await recording.points(METRICS.genesysBudgetWaits.name)).toEqual(
      expect.arrayContaining([[{ [ATTR.outcome]: "deferred" }, 1]]),
    );
    const refused = (await recording.spans()).filter((s) => s.status.code === SpanStatusCode.ERROR);
    expect(refused.map((s) => s.attributes[ATTR.errorType])).toEqual(
      expect.arrayContaining(["client.rate.budget.exhausted"]),
    );
    // The error's message (operator advice) stays out of the span.
    expect(refused.every((s) => s.status.message === undefined && s.events.length === 0)).toBe(true);
  });

  it("sleeps short pacing waits in the activity and counts them as slept", async () => {
    const recording = recordTelemetry();
    // 30 a minute: the second request's slot is 2 s after the first's, far more than a request takes.
    const genesys = h.client({ telemetry: recording.telemetry, requestsPerMinute: 30 });
    for (let i = 0; i < 2; i++) await genesys.getHomeDivision();
    expect(await recording.points(METRICS.genesysBudgetWaits.name)).toEqual([
      [{ [ATTR.outcome]: "slept" }, 1],
    ]);
    const [[, waited]] = await recording.points(METRICS.genesysBudgetWaitTime.name);
    expect((waited as { count: number }).count).toBe(1);
  });
});
