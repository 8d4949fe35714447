import { interpretBatch, interpretNormalizedEvent } from "../../../src/hr/generic-intake";
import { parseBulkCsv, parseCsv } from "../../../src/hr/csv";
import { HR_EVENT_TYPES } from "../../../src/lifecycle/hr-event";
import { readFixture } from "../../support/hr";

describe("RFC 4180 CSV", () => {
  it("handles quoted commas, doubled quotes and line breaks inside quotes, with row numbers", () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n"multi\nline",z\n')).toEqual({
      ok: true,
      value: [
        { row: 1, fields: ["a", "b"] },
        { row: 2, fields: ["x, y", 'say "hi"'] },
        { row: 3, fields: ["multi\nline", "z"] },
      ],
    });
  });

  it.each([
    ['a,b\n"open,2\n', 2, "a quoted field is not closed"],
    ['a,b\n"x"y,2\n', 2, "text after a closing quote"],
    ['a,b\n1,2\nx"y,3\n', 3, "a quote may only start a field"],
  ])("names the row of malformed CSV %#", (csv, row, message) => {
    expect(parseCsv(csv)).toEqual({
      ok: false,
      error: { kind: "malformed", row, message: expect.stringContaining(message) },
    });
  });

  it("checks the bulk header and each row's column count", () => {
    expect(parseBulkCsv("employeeId,email\n1,a@example.com\n")).toMatchObject({
      ok: false,
      error: { kind: "invalid_field", row: 1, message: expect.stringContaining("missing: firstName") },
    });
    const header =
      "employeeId,email,firstName,lastName,title,department,location,country,managerEmail,effectiveDate";
    expect(parseBulkCsv(`${header}\n1,a@example.com,A\n`)).toMatchObject({
      ok: false,
      error: { row: 2, message: "CSV row 2: has 3 fields, the header has 10" },
    });
  });

  it("turns the bulk fixture into hires keyed by batch and position, quarantining the row without email", async () => {
    const items = interpretBatch(readFixture("bulk-onboarding.csv"), "csv", "b-1");
    if (!items.ok) throw new Error(items.error.message);
    expect(items.value.map((i) => i.idempotencyKey)).toEqual([
      "b-1:0000001",
      "b-1:0000002",
      "b-1:0000003",
      "b-1:0000004",
    ]);
    const outcomes = await Promise.all(items.value.map((i) => i.normalize()));
    expect(outcomes[1]).toMatchObject({
      ok: true,
      event: {
        type: "hire",
        worker: { lastName: "Two, Jr.", title: 'Agent "Tier 1"', location: "Cork Office" },
      },
    });
    expect(outcomes[2]).toEqual({
      ok: false,
      problem: { field: "worker.email", reason: "CSV row 4: worker.email is missing" },
    });
    expect(outcomes[3]).toMatchObject({ ok: true, event: { effectiveDate: "2027-01-04" } });
  });

  it("refuses a whole batch over the row cap, or with a value that breaks a field rule, naming the row", () => {
    const header =
      "employeeId,email,firstName,lastName,title,department,location,country,managerEmail,effectiveDate";
    const row = (id: string, first = "Ann") =>
      `${id},a${id.length}@example.com,${first},One,Agent,,,,,2026-12-01`;
    const rows = Array.from({ length: 4 }, (_, i) => row(`30000${i}`));
    expect(interpretBatch([header, ...rows].join("\n"), "csv", "b", 3)).toEqual({
      ok: false,
      error: { kind: "too_large", message: "a batch may have at most 3 rows; this one has 4" },
    });
    for (const [bad, field] of [
      [row("=HYPERLINK(x)"), "worker.employeeId"],
      [row("-2+3"), "worker.employeeId"],
      [row("1", "A\u0000nn"), "worker.firstName"],
      [row("1", "A\u202enn"), "worker.firstName"],
      [row("x".repeat(65)), "worker.employeeId"],
    ]) {
      expect(interpretBatch([header, row("1"), bad].join("\n"), "csv", "b")).toMatchObject({
        ok: false,
        error: { kind: "invalid_field", field, row: 3, message: expect.stringMatching(/^CSV row 3: /) },
      });
    }
    const json = JSON.stringify([
      { ...JSON.parse(readFixture("normalized-event-hire.json")), eventId: "a b" },
    ]);
    expect(interpretBatch(json, "json", "b")).toMatchObject({
      ok: false,
      error: {
        field: "[0].eventId",
        message: "item 1: eventId may contain only letters, digits and . _ : -",
      },
    });
  });

  it("marks a later row for the same employee as the first row's duplicate", () => {
    const header =
      "employeeId,email,firstName,lastName,title,department,location,country,managerEmail,effectiveDate";
    const row = "300001,a@example.com,Ann,One,Agent,,,,,2026-12-01";
    const items = interpretBatch([header, row, row.replace("300001", "300002"), row].join("\n"), "csv", "b");
    if (!items.ok) throw new Error(items.error.message);
    expect(items.value.map((i) => i.duplicateOf)).toEqual([undefined, undefined, "b:0000001"]);
  });
});

describe("normalized events", () => {
  it("accepts the contract example unchanged", async () => {
    const raw = readFixture("normalized-event-hire.json");
    const items = interpretNormalizedEvent(raw, "json");
    if (!items.ok) throw new Error(items.error.message);
    expect(items.value[0]).toMatchObject({ idempotencyKey: "wd-4a6f1c2e", employeeKey: "100482" });
    expect(await items.value[0].normalize()).toEqual({ ok: true, event: JSON.parse(raw) });
  });

  it.each(HR_EVENT_TYPES)("accepts type %s", async (type) => {
    const event = { ...JSON.parse(readFixture("normalized-event-hire.json")), type };
    const items = interpretNormalizedEvent(JSON.stringify(event), "json");
    if (!items.ok) throw new Error(items.error.message);
    expect(await items.value[0].normalize()).toMatchObject({ ok: true, event: { type } });
  });

  it("refuses an event without a valid eventId or with a value that breaks a rule; quarantines a missing field", async () => {
    expect(interpretNormalizedEvent('{"type":"hire"}', "json")).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: "invalid_field", field: "eventId" }),
    });
    expect(interpretNormalizedEvent(JSON.stringify({ eventId: "e".repeat(129) }), "json")).toMatchObject({
      ok: false,
      error: { field: "eventId", message: "eventId must be at most 128 characters" },
    });
    expect(
      interpretNormalizedEvent('{"eventId":"e1","type":"promote","effectiveDate":"2026-01-01"}', "json"),
    ).toMatchObject({ ok: false, error: { kind: "invalid_field", field: "type" } });
    const items = interpretNormalizedEvent('{"eventId":"e1","effectiveDate":"2026-01-01"}', "json");
    if (!items.ok) throw new Error(items.error.message);
    expect(await items.value[0].normalize()).toMatchObject({ ok: false, problem: { field: "type" } });
  });

  it("reads a JSON batch, refusing an empty array or a non-array", async () => {
    expect(interpretBatch("[]", "json", "b")).toMatchObject({ ok: false, error: { kind: "invalid_field" } });
    expect(interpretBatch("{}", "json", "b")).toMatchObject({
      ok: false,
      error: { kind: "unsupported_format" },
    });
    expect(interpretBatch(`[${readFixture("normalized-event-hire.json")}, 42]`, "json", "b")).toMatchObject({
      ok: false,
      error: { kind: "invalid_field", message: expect.stringMatching(/^item 2:/) },
    });
    const incomplete = { ...JSON.parse(readFixture("normalized-event-hire.json")), eventId: "e2" };
    delete incomplete.worker.email;
    const items = interpretBatch(
      `[${readFixture("normalized-event-hire.json")}, ${JSON.stringify(incomplete)}]`,
      "json",
      "b",
    );
    if (!items.ok) throw new Error(items.error.message);
    expect(await items.value[1].normalize()).toMatchObject({
      ok: false,
      problem: { reason: "item 2: worker.email is missing" },
    });
  });
});
