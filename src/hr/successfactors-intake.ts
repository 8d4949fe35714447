import {
  DEFAULT_SF_INTEGRATION_CENTER_FIELD_MAP,
  mapped,
  mappedRecordToEvent,
  type FieldMap,
} from "./field-map";
import { isRecord, parseUntrustedJson } from "./json";
import type { MediaKind } from "./media";
import { identifierError, sha256Hex, unprocessable, validEmployeeKey, type PendingItem } from "./normalize";
import { fail, ok, type Parsed } from "./result";
import {
  SF_NOTIFICATION_NS,
  parseSfExternalEvent,
  sfSnapshotToEvent,
  type SfWorkerSnapshot,
} from "./successfactors";
import type { SuccessFactorsODataClient } from "./successfactors-client";
import { localName, namespaceOf, parseUntrustedXml, soapParts } from "./xml";

export interface SuccessFactorsMessage {
  kind: "external_event" | "integration_center";
  /** For the `ExternalEventResponse`: the notification's externalEventId. */
  externalEventId?: string;
  items: PendingItem[];
}

export interface SuccessFactorsIntakeOptions {
  /** The OData callback; without it an ExternalEvent (which carries only keys) is quarantined. */
  odata?: Pick<SuccessFactorsODataClient, "getWorkerSnapshot">;
  integrationCenterFieldMap?: FieldMap;
  receivedDate: string;
}

/**
 * Reads what SuccessFactors sends to `POST /api/hr/successfactors`: a SOAP `ExternalEvent` (one item per
 * event, enriched through OData) or an Integration Center JSON record read through the configured field map.
 */
export function interpretSuccessFactorsMessage(
  raw: string,
  media: MediaKind,
  options: SuccessFactorsIntakeOptions,
): Parsed<SuccessFactorsMessage> {
  if (media === "json") return interpretIntegrationCenter(raw, options);
  if (media !== "xml")
    return fail("unsupported_format", "SuccessFactors messages are SOAP XML or Integration Center JSON");
  const parsed = parseUntrustedXml(raw);
  if (!parsed.ok) return parsed;
  const parts = soapParts(parsed.value);
  if (!parts) return fail("unsupported_format", "XML has no root element or an empty SOAP Body");
  const ns = namespaceOf(parts.name, parts.node, parts.ancestors);
  if (localName(parts.name) !== "ExternalEvent" || ns !== SF_NOTIFICATION_NS) {
    return fail(
      "unsupported_format",
      `unsupported SuccessFactors document: root element ${localName(parts.name)}${ns ? ` in ${ns}` : ""} (expected ExternalEvent in ${SF_NOTIFICATION_NS})`,
    );
  }
  const external = parseSfExternalEvent(parts.node);
  if (!external.ok) return external;
  const meta = external.value;
  const invalid =
    identifierError(meta.externalEventId, "externalEventId") ??
    meta.events.map((e) => identifierError(e.eventId, "events/event/eventId")).find(Boolean);
  if (invalid) return { ok: false, error: invalid };
  const items = meta.events.map((event): PendingItem => {
    const personIdExternal = event.params.personIdExternal ?? event.entityKeys.personIdExternal;
    const userId = event.entityKeys.userId ?? event.params.userId;
    const employeeKey = validEmployeeKey(personIdExternal);
    return {
      idempotencyKey: `${meta.externalEventId}:${event.eventId}`,
      ...(employeeKey === undefined ? {} : { employeeKey }),
      readsBackFromHr: options.odata !== undefined,
      normalize: async () => {
        if (!options.odata) {
          return unprocessable(
            "SF_API_URL is not configured, so the event's person cannot be read through OData",
          );
        }
        if (personIdExternal === undefined && userId === undefined) {
          return unprocessable(
            "the event names neither params/personIdExternal nor entityKeys/userId",
            "params/personIdExternal",
          );
        }
        const snapshot = await options.odata.getWorkerSnapshot({
          ...(personIdExternal === undefined ? {} : { personIdExternal }),
          ...(userId === undefined ? {} : { userId }),
        });
        if (!snapshot) {
          return unprocessable(
            `OData has no PerPerson for ${personIdExternal ? `personIdExternal ${personIdExternal}` : `userId ${userId}`}`,
          );
        }
        return sfSnapshotToEvent(snapshot, {
          eventId: `sf-${event.eventId}`,
          ...(meta.type === undefined ? {} : { eventType: meta.type }),
          ...(event.effectiveStartDate === undefined ? {} : { effectiveDate: event.effectiveStartDate }),
          receivedDate: options.receivedDate,
        });
      },
    };
  });
  return ok({ kind: "external_event", externalEventId: meta.externalEventId, items });
}

function interpretIntegrationCenter(
  raw: string,
  options: SuccessFactorsIntakeOptions,
): Parsed<SuccessFactorsMessage> {
  const parsed = parseUntrustedJson(raw);
  if (!parsed.ok) return parsed;
  const record = parsed.value;
  if (!isRecord(record)) return fail("unsupported_format", "Integration Center JSON must be one object");
  const map = options.integrationCenterFieldMap ?? DEFAULT_SF_INTEGRATION_CENTER_FIELD_MAP;
  const employeeId = mapped(record, map, "employeeId");
  if (!employeeId) {
    return fail(
      "invalid_field",
      `the record has no employee id (fields tried: ${(map.employeeId ?? []).join(", ")})`,
      "employeeId",
    );
  }
  const digest = sha256Hex(raw).slice(0, 24);
  const declaredId = mapped(record, map, "eventId");
  const invalid =
    identifierError(employeeId, "employeeId") ??
    (declaredId === undefined ? undefined : identifierError(declaredId, "eventId", 128));
  if (invalid) return { ok: false, error: invalid };
  const context = {
    eventId: `sf-ic-${digest.slice(0, 12)}`,
    defaultType: "change" as const,
    receivedDate: options.receivedDate,
  };
  const item: PendingItem = {
    idempotencyKey: declaredId === undefined ? `ic:${digest}` : `ic:${declaredId}`,
    employeeKey: employeeId,
    normalize: async () => {
      const direct = mappedRecordToEvent(record, map, context);
      if (direct.ok || !options.odata) return direct;
      // The designer mapped only some fields: fill the rest from OData, the record's own values still win.
      const snapshot = await options.odata.getWorkerSnapshot({ personIdExternal: employeeId });
      if (!snapshot) return direct;
      return mappedRecordToEvent(record, map, {
        ...context,
        fallback: fallbackFrom(snapshot, options.receivedDate),
      });
    },
  };
  return ok({ kind: "integration_center", items: [item] });
}

function fallbackFrom(snapshot: SfWorkerSnapshot, receivedDate: string): Record<string, string> {
  const outcome = sfSnapshotToEvent(snapshot, { eventId: "fallback", receivedDate });
  // An incomplete snapshot adds nothing: the record's own problem is then the reason reported.
  if (!outcome.ok) return {};
  const { worker } = outcome.event;
  return Object.fromEntries(Object.entries(worker).filter(([, v]) => typeof v === "string"));
}
