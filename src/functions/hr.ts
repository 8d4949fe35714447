import type { app as functionsApp, HttpHandler } from "@azure/functions";
import type { HrSettings } from "../config/settings";
import type { FieldMap } from "../hr/field-map";
import { interpretBatch, interpretNormalizedEvent } from "../hr/generic-intake";
import { HrIntake } from "../hr/intake";
import { JournalDrain } from "../hr/journal-drain";
import type { DeferPort, DispatchPort, HandedOverPort, Reinterpreter } from "../hr/intake-ports";
import { mediaKind } from "../hr/media";
import { interpretReconciliationMessage } from "../hr/reconciliation-intake";
import type { HrReader } from "../hr/reconciliation-sources";
import { fail } from "../hr/result";
import type { SuccessFactorsODataClient } from "../hr/successfactors-client";
import { interpretSuccessFactorsMessage } from "../hr/successfactors-intake";
import type { WorkdayWorkersClient } from "../hr/workday-client";
import { interpretWorkdayMessage } from "../hr/workday-intake";
import type { InboxRepository } from "../storage/inbox";
import type { IntakeJournal } from "../storage/intake-journal";
import type { QuarantineRepository } from "../storage/quarantine";
import { afterAnswer } from "./after-answer";
import { ANY_ROLE, requireRole, ROLES, type AuthorizedHandler, type IntegrationKey } from "./access";
import type { Telemetry } from "../telemetry";
import { createBatchIntakeHandler, type BatchStartPort } from "./hr-batches";
import { createEventsHandler } from "./hr-events";
import { createQuarantineListHandler, createQuarantineReplayHandler } from "./hr-quarantine";
import { createSuccessFactorsHandler } from "./hr-successfactors";
import { createWorkdayHandler } from "./hr-workday";

/** Everything the HR intake functions need, built by the composition root (or a test). */
export interface HrFunctionsDependencies {
  inbox: InboxRepository;
  /** Where thin notifications are stored before their answer; without it they go into the inbox first. */
  journal?: IntakeJournal;
  quarantine: QuarantineRepository;
  settings: HrSettings;
  workers?: Pick<WorkdayWorkersClient, "getWorker">;
  odata?: Pick<SuccessFactorsODataClient, "getWorkerSnapshot">;
  raasFieldMap?: FieldMap;
  integrationCenterFieldMap?: FieldMap;
  telemetry?: Telemetry;
  now?: () => Date;
  newBatchId?: () => string;
  /** The HR systems reconciliation reads, in order (built from the same clients as the callbacks). */
  readers?: readonly HrReader[];
}

export interface HrHandlers {
  intake: HrIntake;
  /** Takes journaled notifications into the inbox; present when the intake has a journal. */
  journalDrain?: JournalDrain;
  workday: HttpHandler;
  successFactors: HttpHandler;
  events: HttpHandler;
  batches: AuthorizedHandler;
  quarantineList: HttpHandler;
  quarantineReplay: HttpHandler;
}

export function createHrHandlers(
  deps: HrFunctionsDependencies,
  dispatch: DispatchPort,
  startBatch?: BatchStartPort,
  defer?: DeferPort,
  handedOver?: HandedOverPort,
): HrHandlers {
  const workdayOptions = {
    ...(deps.workers ? { workers: deps.workers } : {}),
    ...(deps.raasFieldMap ? { raasFieldMap: deps.raasFieldMap } : {}),
  };
  const successFactorsOptions = {
    ...(deps.odata ? { odata: deps.odata } : {}),
    ...(deps.integrationCenterFieldMap ? { integrationCenterFieldMap: deps.integrationCenterFieldMap } : {}),
  };
  const day = (iso: string) => iso.slice(0, 10);
  const unreadable = fail("unsupported_format", "the stored message has an unknown content type");
  const reinterpret: Record<string, Reinterpreter> = {
    workday: (message, item) => {
      const media = mediaKind(message.contentType);
      if (!media) return unreadable;
      const parsed = interpretWorkdayMessage(message.raw, media, {
        ...workdayOptions,
        receivedDate: day(item.receivedAt),
      });
      return parsed.ok ? { ok: true, value: parsed.value.items } : parsed;
    },
    successfactors: (message, item) => {
      const media = mediaKind(message.contentType);
      if (!media) return unreadable;
      const parsed = interpretSuccessFactorsMessage(message.raw, media, {
        ...successFactorsOptions,
        receivedDate: day(item.receivedAt),
      });
      return parsed.ok ? { ok: true, value: parsed.value.items } : parsed;
    },
    events: (message) => interpretNormalizedEvent(message.raw, mediaKind(message.contentType) ?? "json"),
    reconciliation: (message) => interpretReconciliationMessage(message.raw),
    batch: (message, item) =>
      item.batchId === undefined
        ? fail("invalid_field", "the inbox item has no batch id", "batchId")
        : interpretBatch(message.raw, mediaKind(message.contentType) ?? "csv", item.batchId),
  };
  // Only messages read back from HR in the employee's lifecycle use the journal, so only with `defer`.
  const journalDrain =
    deps.journal && defer
      ? new JournalDrain({
          journal: deps.journal,
          take: async ({ source, message, receivedAt }) => {
            const items = reinterpret[source]?.(message, { receivedAt });
            if (!items?.ok)
              throw new Error(`the message no longer reads: ${items?.error.message ?? "unknown source"}`);
            await intake.accept(source, message, items.value);
          },
          track: (work) => afterAnswer.track(work),
          log: (line) => console.warn(line),
          ...(deps.now ? { now: deps.now } : {}),
        })
      : undefined;
  const intake = new HrIntake({
    inbox: deps.inbox,
    quarantine: deps.quarantine,
    dispatch,
    ...(defer ? { defer } : {}),
    ...(journalDrain ? { journal: journalDrain } : {}),
    ...(handedOver ? { handedOver } : {}),
    reinterpret,
    ...(deps.telemetry ? { telemetry: deps.telemetry } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  });
  const now = deps.now ? { now: deps.now } : {};
  return {
    intake,
    ...(journalDrain ? { journalDrain } : {}),
    workday: createWorkdayHandler({
      intake,
      credentials: deps.settings.workdayNotification,
      options: workdayOptions,
      ...now,
    }),
    successFactors: createSuccessFactorsHandler({
      intake,
      credentials: deps.settings.successFactorsNotification,
      options: successFactorsOptions,
      ...now,
    }),
    events: createEventsHandler({
      intake,
      hmacSecret: deps.settings.eventsHmacSecret,
      functionKey: deps.settings.eventsFunctionKey,
    }),
    batches: createBatchIntakeHandler({
      intake,
      ...(startBatch ? { startBatch } : {}),
      ...(deps.settings.maxBatchRows === undefined ? {} : { maxRows: deps.settings.maxBatchRows }),
      ...(deps.newBatchId ? { newBatchId: deps.newBatchId } : {}),
    }),
    quarantineList: createQuarantineListHandler({ quarantine: deps.quarantine }),
    quarantineReplay: createQuarantineReplayHandler({ intake }),
  };
}

type FunctionsApp = Pick<typeof functionsApp, "http">;

/** The Logic App's key on the bulk batch routes: it may submit a batch and read its status, nothing else. */
export function batchesIntegration(settings: HrSettings, roles: IntegrationKey["roles"]): IntegrationKey {
  return { key: settings.batchesFunctionKey, name: "logic-app (ONBOARDING_BATCHES_FUNCTION_KEY)", roles };
}

/**
 * The HR endpoints. Workday, SuccessFactors and the events endpoint authenticate the message themselves, so the
 * host lets them through (`anonymous`). Operator endpoints need a signed-in caller with the right app role
 * (App Service authentication); a batch may also be submitted with the Logic App's key.
 */
export function registerHrFunctions(
  app: FunctionsApp,
  deps: HrFunctionsDependencies,
  dispatch: DispatchPort,
  startBatch?: BatchStartPort,
  defer?: DeferPort,
  handedOver?: HandedOverPort,
): Pick<HrHandlers, "intake" | "journalDrain"> {
  const h = createHrHandlers(deps, dispatch, startBatch, defer, handedOver);
  app.http("hrWorkday", {
    route: "hr/workday",
    methods: ["POST"],
    authLevel: "anonymous",
    handler: h.workday,
  });
  app.http("hrSuccessFactors", {
    route: "hr/successfactors",
    methods: ["POST"],
    authLevel: "anonymous",
    handler: h.successFactors,
  });
  app.http("hrEvents", { route: "hr/events", methods: ["POST"], authLevel: "anonymous", handler: h.events });
  app.http("onboardingBatchesCreate", {
    route: "onboarding/batches",
    methods: ["POST"],
    authLevel: "anonymous",
    handler: requireRole(ROLES.operator, h.batches, {
      integration: batchesIntegration(deps.settings, [ROLES.operator]),
    }),
  });
  app.http("hrQuarantineList", {
    route: "hr/quarantine",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: requireRole(ANY_ROLE, h.quarantineList),
  });
  app.http("hrQuarantineReplay", {
    route: "hr/quarantine/{id}/replay",
    methods: ["POST"],
    authLevel: "anonymous",
    handler: requireRole(ROLES.operator, h.quarantineReplay),
  });
  return { intake: h.intake, ...(h.journalDrain ? { journalDrain: h.journalDrain } : {}) };
}
