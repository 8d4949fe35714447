import fc from "fast-check";
import { interpretBatch, interpretNormalizedEvent } from "../../../src/hr/generic-intake";
import type { MediaKind } from "../../../src/hr/media";
import type { PendingItem } from "../../../src/hr/normalize";
import type { Parsed } from "../../../src/hr/result";
import { interpretSuccessFactorsMessage } from "../../../src/hr/successfactors-intake";
import { interpretWorkdayMessage } from "../../../src/hr/workday-intake";
import { readFixture, readSample } from "../../support/hr";

/**
 * Every parser, fed random and mutated messages, returns a typed result or a typed error: it never throws and
 * never hangs (jest's timeout bounds each property; run counts are kept small for a shared 2-core machine).
 */
type Interpret = (raw: string, media: MediaKind) => Parsed<{ items: PendingItem[] } | PendingItem[]>;

const received = { receivedDate: "2026-01-15" };
// The callbacks answer with nothing, so normalization runs its whole path without I/O.
const callbacks = {
  workers: { getWorker: async () => undefined },
  odata: { getWorkerSnapshot: async () => undefined },
};

const parsers: Record<string, { interpret: Interpret; media: MediaKind; seeds: string[] }> = {
  workday: {
    interpret: (raw, media) => interpretWorkdayMessage(raw, media, { ...received, ...callbacks }),
    media: "xml",
    seeds: [
      readSample("workday-outbound-notification-job-requisition.verbatim.xml"),
      readSample("workday-get-workers-response-v25.1.verbatim.xml"),
      readSample("workday-core-connector-worker-sync.verbatim.xml"),
      readFixture("workday-notification-hire.xml"),
      readFixture("workday-raas-worker-changes.xml"),
    ],
  },
  "workday RaaS JSON": {
    interpret: (raw, media) => interpretWorkdayMessage(raw, media, received),
    media: "json",
    seeds: [readFixture("workday-raas-worker-changes.jsonc")],
  },
  successfactors: {
    interpret: (raw, media) => interpretSuccessFactorsMessage(raw, media, { ...received, ...callbacks }),
    media: "xml",
    seeds: [readSample("sf-een-termination.completed.xml"), readFixture("sf-een-rehire.xml")],
  },
  "integration center": {
    interpret: (raw, media) => interpretSuccessFactorsMessage(raw, media, received),
    media: "json",
    seeds: [readFixture("sf-integration-center-location-change.json")],
  },
  events: {
    interpret: interpretNormalizedEvent,
    media: "json",
    seeds: [readFixture("normalized-event-hire.json")],
  },
  "batch CSV": {
    interpret: (raw, media) => interpretBatch(raw, media, "b"),
    media: "csv",
    seeds: [readFixture("bulk-onboarding.csv")],
  },
};

const ERROR_KINDS = ["too_large", "forbidden_dtd", "malformed", "unsupported_format", "invalid_field"];

async function assertTyped(interpret: Interpret, raw: string, media: MediaKind): Promise<void> {
  const result = interpret(raw, media);
  if (!result.ok) {
    expect(ERROR_KINDS).toContain(result.error.kind);
    expect(typeof result.error.message).toBe("string");
    return;
  }
  const items = Array.isArray(result.value) ? result.value : result.value.items;
  for (const item of items) {
    expect(typeof item.idempotencyKey).toBe("string");
    const outcome = await item.normalize();
    if (!outcome.ok) expect(typeof outcome.problem.reason).toBe("string");
  }
}

/** A seed with a random slice deleted, duplicated or replaced: close enough to real to reach deep code paths. */
const mutated = (seeds: string[]) =>
  fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.nat(),
      fc.nat({ max: 64 }),
      fc.oneof(
        fc.string({ maxLength: 16 }),
        fc.constantFrom("<", ">", '"', "&", "</", "<x>", ",", "\n", "{", "]", "\u0000"),
      ),
      fc.constantFrom("delete", "insert", "replace", "truncate"),
    )
    .map(([seed, at, length, text, how]) => {
      const i = at % (seed.length + 1);
      switch (how) {
        case "delete":
          return seed.slice(0, i) + seed.slice(i + length);
        case "insert":
          return seed.slice(0, i) + text + seed.slice(i);
        case "replace":
          return seed.slice(0, i) + text + seed.slice(i + length);
        default:
          return seed.slice(0, i);
      }
    });

describe.each(Object.entries(parsers))("%s parser under fuzzing", (_name, { interpret, media, seeds }) => {
  it("never throws on random text", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), (raw) => assertTyped(interpret, raw, media)),
      { numRuns: 150 },
    );
  });

  it("never throws on mutated real messages", async () => {
    await fc.assert(
      fc.asyncProperty(mutated(seeds), (raw) => assertTyped(interpret, raw, media)),
      { numRuns: 200 },
    );
  });
});

describe("structured fuzzing of JSON bodies", () => {
  it("never throws on arbitrary JSON values for the JSON parsers", async () => {
    await fc.assert(
      fc.asyncProperty(fc.json({ maxDepth: 3 }), async (raw) => {
        await assertTyped(interpretNormalizedEvent, raw, "json");
        await assertTyped((r, m) => interpretBatch(r, m, "b"), raw, "json");
        await assertTyped((r, m) => interpretSuccessFactorsMessage(r, m, received), raw, "json");
        await assertTyped((r, m) => interpretWorkdayMessage(r, m, received), raw, "json");
      }),
      { numRuns: 150 },
    );
  });
});
