/**
 * What HR parsers return. Two kinds of failure matter to the caller:
 * - an `HrInputError` means the message itself is unusable (not XML, too big, unknown format, no identity):
 *   the sender gets a 400 naming the problem and nothing is stored;
 * - an `HrUnprocessable` reason means the message was understood and identified, but cannot become an
 *   `HrEvent` (a missing email, a failing HR callback): it is stored, quarantined and replayable.
 */
export type HrInputErrorKind =
  "too_large" | "forbidden_dtd" | "malformed" | "unsupported_format" | "invalid_field";

export interface HrInputError {
  kind: HrInputErrorKind;
  /** The element, JSON path or CSV column at fault, when there is one. */
  field?: string;
  /** 1-based data row number for CSV (the header is row 1). */
  row?: number;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: HrInputError };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = (
  kind: HrInputErrorKind,
  message: string,
  field?: string,
): { ok: false; error: HrInputError } => ({
  ok: false,
  error: field === undefined ? { kind, message } : { kind, field, message },
});

/** Why an identified message cannot become an event; stored with its quarantine entry. */
export interface HrUnprocessable {
  field?: string;
  reason: string;
}

/** Largest body accepted on any intake endpoint, in bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;
