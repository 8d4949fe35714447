/**
 * Durable instance ids derived from business keys, so a duplicate HR delivery finds the
 * same instance instead of starting a second one. Ids travel in URL paths of the Durable HTTP API, so only
 * URL-safe characters are kept; anything else is replaced and a hash of the original keeps ids distinct.
 */
const URL_SAFE = /^[A-Za-z0-9._-]+$/;

export function employeeInstanceId(employeeKey: string): string {
  return `employee-${idPart(employeeKey)}`;
}

/** The per-event sub-orchestration of an employee's orchestration. */
export function eventInstanceId(employeeInstance: string, eventKey: string): string {
  return `${employeeInstance}:${idPart(eventKey)}`;
}

function idPart(value: string): string {
  if (URL_SAFE.test(value)) return value;
  return `${value.replace(/[^A-Za-z0-9._-]/g, "_")}-${fnv1a(value)}`;
}

/** 32-bit FNV-1a, in hex: deterministic and dependency-free, as orchestrator code must be. */
function fnv1a(value: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
