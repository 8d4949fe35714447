import { z } from "zod";
import { TRANSFER_TARGETS } from "../mapping";
import type { Ref } from "../org";
import type { LeveledRef, ResolvedGrant } from "../profile";

/*
 * A plan step is planned in one activity and applied in another, so it crosses the Durable boundary as JSON:
 * the schema is what the applying side checks it against, and the types below are inferred from it.
 * `satisfies` ties each part to the planner's own types, so the two cannot drift apart.
 */

const RefSchema = z.object({ id: z.string(), name: z.string() }) satisfies z.ZodType<Ref>;

const ResolvedGrantSchema = z.object({
  role: RefSchema,
  division: RefSchema,
}) satisfies z.ZodType<ResolvedGrant>;

const LeveledRefSchema = RefSchema.extend({ proficiency: z.number() }) satisfies z.ZodType<LeveledRef>;

/** One user field before and after; `manager` and `employeeId` (employerInfo) included. */
export const FieldChangeSchema = z.object({
  field: z.enum(["name", "email", "preferredName", "title", "department", "manager", "employeeId"]),
  from: z.string().optional(),
  to: z.string(),
});
export type FieldChange = z.infer<typeof FieldChangeSchema>;

export const LeveledChangeSchema = LeveledRefSchema.extend({
  /** The proficiency before, when the user already had it. */
  from: z.number().optional(),
});
export type LeveledChange = z.infer<typeof LeveledChangeSchema>;

/** Who a leaver's live interactions go to, as known when the plan was made. */
export const TransferTargetRefSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("manager"), user: RefSchema }),
  z.object({ kind: z.literal("supervisor"), email: z.string() }),
  z.object({ kind: z.literal("queue"), queue: RefSchema }),
]);
export type TransferTargetRef = z.infer<typeof TransferTargetRefSchema>;

const TransferTargetSchema = z.enum(TRANSFER_TARGETS);

/**
 * plan = diff(desired, current, previously assigned) → ordered steps. Steps carry ids for the activities and
 * names for people reading a dry run or an audit record. The order is the order they must be applied in:
 * the user exists and is active, sits in the right division, has its fields, gains its new roles before losing
 * old ones (no window without permissions), leaves old queues before joining new ones (no work from the old
 * job after the move), then skills and languages; the invitation goes last, once the user is production-ready.
 */
export const PlanStepSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("CREATE_USER"),
    name: z.string(),
    email: z.string(),
    division: RefSchema,
    title: z.string(),
    department: z.string().optional(),
  }),
  z.object({
    kind: z.literal("RESTORE_USER"),
    userId: z.string().min(1),
    fromState: z.enum(["inactive", "deleted"]),
    version: z.number().int(),
  }),
  z.object({ kind: z.literal("MOVE_DIVISION"), from: RefSchema, to: RefSchema }),
  z.object({ kind: z.literal("UPDATE_USER"), changes: z.array(FieldChangeSchema) }),
  z.object({ kind: z.literal("GRANT_ROLES"), grants: z.array(ResolvedGrantSchema) }),
  z.object({ kind: z.literal("REVOKE_ROLES"), grants: z.array(ResolvedGrantSchema) }),
  z.object({ kind: z.literal("LEAVE_QUEUES"), queues: z.array(RefSchema) }),
  z.object({ kind: z.literal("JOIN_QUEUES"), queues: z.array(RefSchema) }),
  z.object({
    kind: z.literal("SET_SKILLS"),
    set: z.array(LeveledChangeSchema),
    remove: z.array(RefSchema),
  }),
  z.object({
    kind: z.literal("SET_LANGUAGES"),
    set: z.array(LeveledChangeSchema),
    remove: z.array(RefSchema),
  }),
  z.object({ kind: z.literal("INVITE") }),
  z.object({ kind: z.literal("SET_OFF_QUEUE") }),
  /** Routing status OFF_QUEUE only: a mover the mapping no longer knows stays at work, off the queues. */
  z.object({ kind: z.literal("STOP_ROUTING") }),
  z.object({
    kind: z.literal("DRAIN_INTERACTIONS"),
    transferTo: TransferTargetSchema,
    fallback: TransferTargetSchema,
    target: TransferTargetRefSchema.optional(),
  }),
  z.object({ kind: z.literal("SNAPSHOT_PROFILE") }),
  z.object({ kind: z.literal("DEACTIVATE_USER") }),
  z.object({ kind: z.literal("SCHEDULE_DELETE"), afterSeconds: z.number() }),
]);
export type PlanStep = z.infer<typeof PlanStepSchema>;

export type PlanStepKind = PlanStep["kind"];
