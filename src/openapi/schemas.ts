import { z } from "zod";
import { BatchTotalsSchema } from "../activities/onboarding.contract";
import { LIFECYCLE_STATES } from "../lifecycle/employee-lifecycle";
import { HR_EVENT_TYPES, HR_SOURCES } from "../lifecycle/hr-event";
import { HrEventSchema } from "../lifecycle/hr-event";

/**
 * The shapes of the app's answers, for the API document. Requests are described by the very schemas that
 * validate them (imported where the routes are listed); answers are written by the handlers, so these mirror
 * them, and the document's examples are checked against them.
 */

const count = z.number().int().min(0);

export const ErrorSchema = z
  .object({
    error: z.string().describe("What went wrong, for a person; some routes use a short code here."),
    message: z.string().optional(),
    field: z.string().optional().describe("The field at fault, as a path."),
    row: z.number().int().optional().describe("The CSV row at fault (the header is row 1)."),
    details: z.array(z.string()).optional(),
    errors: z.array(z.unknown()).optional(),
  })
  .describe("An error answer.");

const ItemResultSchema = z.object({
  idempotencyKey: z.string(),
  status: z.enum(["accepted", "duplicate", "quarantined"]),
  employeeKey: z.string().optional(),
  eventId: z.string().optional(),
  quarantineId: z.string().optional().describe("Replay it with POST /api/hr/quarantine/{id}/replay."),
  reason: z.string().optional(),
});

/** What became of each event a message carried; every one is stored before the answer. */
export const IntakeSummarySchema = z.object({
  accepted: count,
  duplicates: count,
  quarantined: count,
  items: z.array(ItemResultSchema),
});

export const EventAcceptedSchema = IntakeSummarySchema.extend(ItemResultSchema.partial().shape);

export const WorkdayAcceptedSchema = IntakeSummarySchema.extend({
  kind: z.string().describe("notification, get_workers, worker_sync or raas"),
});

export const BatchAcceptedSchema = IntakeSummarySchema.extend({
  id: z
    .string()
    .describe("The batch id (a hash of the content: the same batch submitted twice is one batch)."),
  status: z.literal("accepted"),
  rows: count,
  statusUrl: z.string(),
  quarantineUrl: z.string(),
});

export const BatchListSchema = z.object({
  batches: z.array(
    z.object({
      id: z.string(),
      rows: count,
      submittedBy: z.string().describe("The signed-in caller, or the integration, that submitted it."),
      submittedAt: z.string(),
      status: z.enum(["running", "completed", "failed", "unknown"]),
      phase: z.string().optional().describe("While running: converging, joining queues or inviting."),
      totals: BatchTotalsSchema.optional().describe(
        "While running, the progress so far; once done, each row's latest outcome (retried rows included).",
      ),
      statusUrl: z.string(),
    }),
  ),
  continuationToken: z.string().optional(),
});

export const BatchRunningSchema = z.object({
  id: z.string(),
  status: z.literal("running"),
  progress: z.unknown().optional().describe("Counts so far."),
});

export const BatchReportSchema = z.object({
  id: z.string(),
  status: z.literal("completed"),
  totals: z.unknown(),
  hires: z.array(z.record(z.string(), z.unknown())).describe("One row per hire: what was done, or why not."),
});

export const ReconciliationStartedSchema = z.object({
  id: z.string(),
  status: z.literal("running"),
  mode: z.enum(["report", "fix"]),
  statusUrl: z.string(),
});

export const ReconciliationRunSchema = z.object({
  id: z.string(),
  status: z.enum(["running", "completed", "failed"]),
  phase: z.string(),
  mode: z.enum(["report", "fix"]),
  trigger: z.object({ kind: z.enum(["schedule", "operator"]), by: z.string().optional() }),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  reason: z.string().optional(),
  hr: z
    .array(z.record(z.string(), z.unknown()))
    .describe("Each HR system read: its window and what it found."),
  genesys: z.record(z.string(), z.unknown()).describe("Managed, compared, in sync, drifted, orphans."),
  cost: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Genesys calls, calls per managed user, wall time ÷ the rate-limit floor."),
  notes: z.array(z.string()),
  findings: z
    .array(z.record(z.string(), z.unknown()))
    .optional()
    .describe("Once ended: one page of findings (hr-event, hr-skipped, drift, not-compared, orphan)."),
  continuationToken: z.string().optional(),
});

export const ReconciliationRunListSchema = z.object({
  runs: z
    .array(
      ReconciliationRunSchema.omit({ findings: true, continuationToken: true }).extend({
        statusUrl: z.string().describe("The run's own address: its progress, and its findings once ended."),
      }),
    )
    .describe("Newest first: each run's summary, as its own address answers it."),
  continuationToken: z.string().optional(),
});

export const HealthStatusSchema = z.object({ status: z.enum(["healthy", "unhealthy"]) });

export const HealthSchema = z.object({
  status: z.enum(["healthy", "unhealthy"]),
  failing: z.array(z.string()),
  checks: z.record(
    z.string(),
    z.object({ ok: z.boolean(), durationInMs: z.number(), error: z.string().optional() }),
  ),
});

const QuarantineEntrySchema = z.object({
  id: z.string(),
  source: z.enum(HR_SOURCES),
  idempotencyKey: z.string(),
  reason: z.string(),
  field: z.string().optional(),
  employeeKey: z.string().optional(),
  status: z.enum(["open", "resolved"]),
  quarantinedAt: z.string(),
  replayCount: count,
  lastReplayAt: z.string().optional(),
  resolvedAt: z.string().optional(),
});

export const QuarantineListSchema = z.object({ count, entries: z.array(QuarantineEntrySchema) });

export const ReplayResolvedSchema = z.object({
  id: z.string(),
  status: z.literal("resolved"),
  event: HrEventSchema,
});

export const ReplayStillQuarantinedSchema = z.object({
  id: z.string(),
  status: z.literal("quarantined"),
  reason: z.string(),
  field: z.string().optional(),
});

const ApprovalSchema = z.object({
  id: z.string(),
  employeeKey: z.string(),
  eventId: z.string(),
  instanceId: z.string(),
  reason: z.string(),
  requestedAt: z.string(),
  status: z.enum(["pending", "approved", "rejected"]),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  comment: z.string().optional(),
});

export const ApprovalListSchema = z.object({ approvals: z.array(ApprovalSchema) });
export const ApprovalDecidedSchema = ApprovalSchema;

export const MappingVersionsSchema = z.object({
  active: z.unknown().describe("The active version's pointer, or null."),
  versions: z.array(z.record(z.string(), z.unknown())),
});

export const MappingImportedSchema = z.object({
  version: z.record(z.string(), z.unknown()),
  active: z.unknown(),
});

export const PlanResultSchema = z.object({
  dryRun: z.literal(true),
  mapping: z.record(z.string(), z.unknown()),
  totals: z.record(z.string(), z.unknown()),
  employees: z.array(z.record(z.string(), z.unknown())),
});

const NamedSchema = z.object({ id: z.string(), name: z.string() });

export const EmployeeSchema = z.object({
  employeeId: z.string(),
  state: z
    .enum(LIFECYCLE_STATES)
    .describe("Where the employee is in the lifecycle (docs/lifecycle.md explains each state)."),
  worker: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe("The HR record as last applied or recorded: name, email, title, department, manager."),
  genesysUserId: z.string().nullable(),
  assigned: z
    .object({
      mappingVersion: z.number().int().nullable(),
      roles: z.array(z.object({ role: NamedSchema, division: NamedSchema })),
      queues: z.array(NamedSchema),
      skills: z.array(NamedSchema),
      languages: z.array(NamedSchema),
    })
    .nullable()
    .describe(
      "What this product assigned last time, with the mapping version; names from the org (the id when Genesys cannot be read).",
    ),
  pendingEvents: z
    .array(
      z.object({
        eventId: z.string(),
        type: z.enum(HR_EVENT_TYPES),
        effectiveDate: z.string(),
        dueAt: z.string().describe("When it is applied (a hire: the lead time before its date)."),
        source: z.string(),
        receivedAt: z.string(),
      }),
    )
    .describe("Accepted events not applied yet, in the order they become due."),
  managerPending: z
    .object({ manager: z.string().optional(), since: z.string() })
    .nullable()
    .describe("The manager HR names who has no Genesys user yet; linked as soon as one exists."),
  deleteAt: z
    .string()
    .nullable()
    .describe("When a terminated account is deleted, unless a rehire comes first."),
  applied: z
    .record(z.string(), z.object({ eventId: z.string(), effectiveDate: z.string() }))
    .describe("The latest event of each type in the employee's timeline."),
  audit: z.string().describe("The path of the employee's audit trail."),
});

export const EmployeeSearchSchema = z.object({
  employees: z.array(
    z.object({
      employeeId: z.string(),
      state: z.enum(LIFECYCLE_STATES),
      name: z.string().nullable(),
      email: z.string().nullable(),
      title: z.string().nullable(),
      url: z.string().describe("Where to read the employee."),
    }),
  ),
});

export const SignedInCallerSchema = z.object({
  name: z.string().describe("The verified caller's name, as App Service authentication reports it."),
  roles: z.array(z.string()).describe("Their Lifecycle app roles."),
});

export const BatchRetrySchema = z.object({
  id: z.string(),
  retried: count.describe("Rows replayed as a new attempt."),
  rows: z.array(
    z.object({
      row: z.number().int().describe("The CSV line (header = line 1), or a JSON batch's item number."),
      employeeKey: z.string(),
      status: z.enum(["retrying", "quarantined", "not_retried"]),
      reason: z.string().optional(),
    }),
  ),
  statusUrl: z.string(),
});

export const AuditSchema = z.object({
  entries: z.array(z.record(z.string(), z.unknown()).describe("One Genesys write or lifecycle step.")),
});

/** A free-form document: an OpenAPI document, a mapping file's text. */
export const DocumentSchema = z.record(z.string(), z.unknown());
export const TextSchema = z.string();
