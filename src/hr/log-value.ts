/**
 * A value from a request, made safe to put in a log line: control characters (a newline could forge a whole
 * log entry), bidirectional overrides and the backslash are written as escapes, and long values are cut.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ESCAPE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\\]/g;
const MAX_LOGGED_LENGTH = 128;

export function logValue(value: string | undefined): string {
  if (value === undefined) return "(none)";
  const cut = value.length > MAX_LOGGED_LENGTH ? `${value.slice(0, MAX_LOGGED_LENGTH)}…` : value;
  return cut.replace(ESCAPE, (c) =>
    c === "\\" ? "\\\\" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
