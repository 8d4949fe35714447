/**
 * Durable instance ids derived from business keys (STYLE.md item 6), so a duplicate HR delivery finds the
 * same instance instead of starting a second one. Instance ids may not contain / \ # ? or control characters,
 * so the HR key is URI-encoded.
 */
export function employeeInstanceId(employeeKey: string): string {
  return `employee-${encodeURIComponent(employeeKey)}`;
}

/** The per-event sub-orchestration of an employee's orchestration. */
export function eventInstanceId(employeeInstance: string, eventKey: string): string {
  return `${employeeInstance}:${encodeURIComponent(eventKey)}`;
}
