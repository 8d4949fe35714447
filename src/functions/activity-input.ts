import type { z } from "zod";

/** An activity's input did not match its contract: a defect in the caller, named precisely, never half-run. */
export class ActivityInputError extends Error {
  constructor(activity: string, error: z.ZodError) {
    const problems = error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`);
    super(`activity ${activity} refused its input: ${problems.join("; ")}`);
    this.name = "ActivityInputError";
  }
}

/** Wraps an activity so its input is checked against the contract's schema before anything runs. */
export function withValidatedInput<S extends z.ZodType>(
  activity: string,
  schema: S,
  handler: (input: z.output<S>) => Promise<unknown>,
): (input: unknown) => Promise<unknown> {
  return async (input) => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) throw new ActivityInputError(activity, parsed.error);
    return handler(parsed.data);
  };
}
