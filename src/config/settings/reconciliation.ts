import { z } from "zod";
import { optionalText, wholeNumber, type ParsedSettings } from "./values";

/**
 * A timer schedule: an NCRONTAB expression of six fields (`{second} {minute} {hour} {day} {month} {day-of-week}`,
 * UTC), a TimeSpan (`hh:mm:ss`, every interval), or `off`. Empty takes the default.
 */
const schedule = (fallback: string) =>
  optionalText
    .transform((v) => v ?? fallback)
    .refine(
      (v) =>
        v.toLowerCase() === "off" ||
        /^(\d+\.)?\d{1,2}:\d{2}:\d{2}$/.test(v) ||
        (v.split(/\s+/).length === 6 && v.split(/\s+/).every((field) => /^[\w*,/-]+$/.test(field))),
      {
        message:
          'must be an NCRONTAB schedule of six fields ("0 0 2 * * *": daily at 02:00 UTC), a TimeSpan ("06:00:00") or "off"',
      },
    );

/** When reconciliation runs and how hard it may lean on Genesys. */
export const RECONCILIATION_SETTINGS = {
  RECONCILIATION_SCHEDULE: {
    schema: schedule("0 0 2 * * *"),
    description:
      "When reconciliation runs: an NCRONTAB schedule in UTC (default `0 0 2 * * *`, daily at 02:00), or `off` for runs on demand only (`POST /api/reconciliation/runs`).",
    secret: false,
  },
  RECONCILIATION_GENESYS_MODE: {
    schema: optionalText.pipe(
      z.enum(["report", "fix"], { error: 'must be "report" or "fix"' }).optional().default("report"),
    ),
    description:
      "What reconciliation does with drift in Genesys: `report` it (the default), or also `fix` it by converging the employee's profile through their own lifecycle.",
    secret: false,
  },
  RECONCILIATION_FIRST_WINDOW_DAYS: {
    schema: wholeNumber(30, 1, 365),
    description:
      "How far back the first reconciliation reads HR changes; later runs read from where the last successful run ended.",
    secret: false,
  },
  RECONCILIATION_SLICE_CALLS: {
    schema: wholeNumber(25, 1, 1000),
    description:
      "Genesys calls in one slice of a reconciliation run; slices run one at a time, and only while event processing leaves the rate budget idle.",
    secret: false,
  },
  RECONCILIATION_SLICE_PAUSE_MS: {
    schema: wholeNumber(1000, 0),
    description: "Pause between two slices of a reconciliation run, in milliseconds.",
    secret: false,
  },
  RECONCILIATION_AUDIT_QUERIES: {
    schema: wholeNumber(50, 0, 1000),
    description:
      "Most Genesys audit queries one run makes to name who changed a drifted user and when (`audits:audit:view`); 0 asks none.",
    secret: false,
  },
} as const;

/** When reconciliation runs and how hard it may lean on Genesys. */
export interface ReconciliationSettings {
  /** The timer's NCRONTAB schedule; absent when runs are on demand only. */
  schedule?: string;
  mode: "report" | "fix";
  /** How far back the first run reads HR changes. */
  firstWindowInMs: number;
  sliceCalls: number;
  slicePauseInMs: number;
  auditQueries: number;
}

export function readReconciliationSettings(
  s: ParsedSettings<typeof RECONCILIATION_SETTINGS>,
): ReconciliationSettings {
  return {
    ...(s.RECONCILIATION_SCHEDULE.toLowerCase() === "off" ? {} : { schedule: s.RECONCILIATION_SCHEDULE }),
    mode: s.RECONCILIATION_GENESYS_MODE,
    firstWindowInMs: s.RECONCILIATION_FIRST_WINDOW_DAYS * 86_400_000,
    sliceCalls: s.RECONCILIATION_SLICE_CALLS,
    slicePauseInMs: s.RECONCILIATION_SLICE_PAUSE_MS,
    auditQueries: s.RECONCILIATION_AUDIT_QUERIES,
  };
}
