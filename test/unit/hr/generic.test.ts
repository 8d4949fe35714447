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

  it("turns the bulk fixture into hires keyed by batch and row, quarantining the row without email", async () => {
    const items = interpretBatch(readFixture("bulk-onboarding.csv"), "csv", "b-1");
    if (!items.ok) throw new Error(items.error.message);
    expect(items.value.map((i) => i.idempotencyKey)).toEqual(["b-1:2", "b-1:3", "b-1:4", "b-1:5"]);
    const outcomes = await Promise.all(items.value.map((i) => i.normalize()));
    expect(outcomes[1]).toMatchObject({
      ok: true,
      event: {
        type: "hire",
        worker: { lastName: "Two, Jr.", title: 'Agent "Tier 1"', location: "Cork\r\nOffice" },
      },
    });
    expect(outcomes[2]).toEqual({
      ok: false,
      problem: { field: "worker.email", reason: "CSV row 4: worker.email is missing" },
    });
    expect(outcomes[3]).toMatchObject({ ok: true, event: { effectiveDate: "2027-01-04" } });
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

  it("refuses an event without eventId (no idempotency key) and quarantines other schema problems", async () => {
    expect(interpretNormalizedEvent('{"type":"hire"}', "json")).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: "invalid_field", field: "eventId" }),
    });
    const items = interpretNormalizedEvent(
      '{"eventId":"e1","type":"promote","effectiveDate":"2026-01-01"}',
      "json",
    );
    if (!items.ok) throw new Error(items.error.message);
    expect(await items.value[0].normalize()).toMatchObject({ ok: false, problem: { field: "type" } });
  });

  it("reads a JSON batch, refusing an empty array or a non-array", async () => {
    expect(interpretBatch("[]", "json", "b")).toMatchObject({ ok: false, error: { kind: "invalid_field" } });
    expect(interpretBatch("{}", "json", "b")).toMatchObject({
      ok: false,
      error: { kind: "unsupported_format" },
    });
    const items = interpretBatch(`[${readFixture("normalized-event-hire.json")}, 42]`, "json", "b");
    if (!items.ok) throw new Error(items.error.message);
    expect(await items.value[1].normalize()).toMatchObject({
      ok: false,
      problem: { reason: expect.stringMatching(/^item 2:/) },
    });
  });
});
