import { toHrEvent, type EventCandidate, type NormalizeOutcome } from "./normalize";
import { fail, MAX_BODY_BYTES, ok, type HrInputError, type Parsed } from "./result";

/** The bulk onboarding CSV header (docs/hr-intake.md). Column order is free; every column is required. */
export const BULK_CSV_COLUMNS = [
  "employeeId",
  "email",
  "firstName",
  "lastName",
  "title",
  "department",
  "location",
  "country",
  "managerEmail",
  "effectiveDate",
] as const;
export type BulkCsvColumn = (typeof BULK_CSV_COLUMNS)[number];

export interface CsvRecord {
  /** 1-based record number; the header is row 1, so the first hire is row 2, as a spreadsheet shows it. */
  row: number;
  fields: string[];
}

const rowError = (row: number, message: string): { ok: false; error: HrInputError } => ({
  ok: false,
  error: { kind: "malformed", row, message: `CSV row ${row}: ${message}` },
});

/** RFC 4180: comma separated, CRLF or LF, fields optionally in double quotes, `""` for a quote inside quotes. */
export function parseCsv(body: string): Parsed<CsvRecord[]> {
  if (Buffer.byteLength(body, "utf8") > MAX_BODY_BYTES)
    return fail("too_large", `body is larger than ${MAX_BODY_BYTES} bytes`);
  const input = body.startsWith("\uFEFF") ? body.slice(1) : body;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let row = 1;
  let i = 0;
  let quotedField = false;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "" && !quotedField)) records.push({ row, fields });
    fields = [];
    field = "";
    quotedField = false;
    row += 1;
  };
  while (i < input.length) {
    const c = input[i];
    if (c === '"') {
      if (field !== "") return rowError(row, "a quote may only start a field (RFC 4180)");
      quotedField = true;
      i += 1;
      for (;;) {
        if (i >= input.length) return rowError(row, "a quoted field is not closed");
        const q = input[i];
        if (q === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        field += q;
        i += 1;
      }
      const next = input[i];
      if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
        return rowError(row, "text after a closing quote");
      }
      continue;
    }
    if (c === ",") {
      fields.push(field);
      field = "";
      quotedField = false;
      i += 1;
      continue;
    }
    if (c === "\r" || c === "\n") {
      endRecord();
      i += c === "\r" && input[i + 1] === "\n" ? 2 : 1;
      continue;
    }
    field += c;
    i += 1;
  }
  if (field !== "" || fields.length > 0 || quotedField) endRecord();
  return ok(records);
}

export interface BulkCsvRow {
  row: number;
  values: Record<BulkCsvColumn, string>;
}

/** The bulk onboarding CSV: header checked, every row with the header's column count, at most `maxRows` rows. */
export function parseBulkCsv(body: string, maxRows = Number.MAX_SAFE_INTEGER): Parsed<BulkCsvRow[]> {
  const parsed = parseCsv(body);
  if (!parsed.ok) return parsed;
  const [header, ...rows] = parsed.value;
  if (!header) return fail("malformed", "CSV is empty: expected the header " + BULK_CSV_COLUMNS.join(","));
  const names = header.fields.map((f) => f.trim());
  const missing = BULK_CSV_COLUMNS.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !(BULK_CSV_COLUMNS as readonly string[]).includes(n));
  if (missing.length > 0 || unknown.length > 0) {
    return {
      ok: false,
      error: {
        kind: "invalid_field",
        row: 1,
        field: [...missing, ...unknown].join(","),
        message:
          `CSV row 1: the header must be ${BULK_CSV_COLUMNS.join(",")}` +
          (missing.length > 0 ? `; missing: ${missing.join(", ")}` : "") +
          (unknown.length > 0 ? `; unknown: ${unknown.join(", ")}` : ""),
      },
    };
  }
  if (rows.length === 0) return fail("malformed", "CSV has a header but no rows");
  if (rows.length > maxRows) {
    return fail("too_large", `a batch may have at most ${maxRows} rows; this one has ${rows.length}`);
  }
  const result: BulkCsvRow[] = [];
  for (const record of rows) {
    if (record.fields.length !== names.length) {
      return rowError(record.row, `has ${record.fields.length} fields, the header has ${names.length}`);
    }
    const values = Object.fromEntries(names.map((n, index) => [n, record.fields[index].trim()]));
    result.push({ row: record.row, values: values as Record<BulkCsvColumn, string> });
  }
  return ok(result);
}

/** A bulk row as the event it describes, before validation: a hire effective on its date. */
export function bulkRowCandidate(row: BulkCsvRow, batchId: string): EventCandidate {
  const v = row.values;
  return {
    eventId: `${batchId}-${row.row}`,
    type: "hire",
    effectiveDate: v.effectiveDate,
    worker: {
      employeeId: v.employeeId,
      email: v.email,
      firstName: v.firstName,
      lastName: v.lastName,
      title: v.title,
      department: v.department,
      location: v.location,
      country: v.country,
      managerEmail: v.managerEmail,
    },
  };
}

/** A bulk row is an onboarding: a hire effective on its date. The row number is kept in every reason. */
export function bulkRowToEvent(row: BulkCsvRow, batchId: string): NormalizeOutcome {
  const outcome = toHrEvent(bulkRowCandidate(row, batchId));
  if (outcome.ok) return outcome;
  return {
    ok: false,
    problem: { ...outcome.problem, reason: `CSV row ${row.row}: ${outcome.problem.reason}` },
  };
}
