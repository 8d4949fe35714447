import type { z } from "zod";

/**
 * An activity's contract, in one value: its name, the schema its input must pass, and (as a type) what it
 * answers. Orchestrators call through it (src/orchestrators/calls.ts) and get the result typed; the app and
 * the test fixture register implementations against it (src/activities/registry.ts).
 */
export interface ActivityDefinition<S extends z.ZodType = z.ZodType, R = unknown, N extends string = string> {
  readonly name: N;
  readonly input: S;
  /** Type only: what the activity answers. Never set. */
  readonly result?: R;
}

/**
 * `defineActivity("takeDueEvents", TakeDueEventsInputSchema).returning<TakeDueEventsResult>()`: the input type
 * comes from the schema, the result type is named once.
 */
export function defineActivity<N extends string, S extends z.ZodType>(name: N, input: S) {
  return { returning: <R>(): ActivityDefinition<S, R, N> => ({ name, input }) };
}

/** What a caller passes (before the schema's defaults and transforms). */
export type ActivityInput<D> = D extends ActivityDefinition<infer S> ? z.input<S> : never;
/** What the activity answers. */
export type ActivityResult<D> = D extends ActivityDefinition<z.ZodType, infer R> ? R : never;
/** An implementation: it gets the input as the schema checked it, and answers the contract's result. */
export type ActivityImplementation<D> =
  D extends ActivityDefinition<infer S, infer R> ? (input: z.output<S>) => Promise<R> : never;

/** A sub-orchestration's contract: its name, and (as types) its input and output. */
export interface OrchestrationDefinition<I = unknown, O = unknown> {
  readonly name: string;
  /** Types only. Never set. */
  readonly types?: { input: I; output: O };
}

export const defineOrchestration = <I, O>(name: string): OrchestrationDefinition<I, O> => ({ name });
