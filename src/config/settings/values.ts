import { z } from "zod";

/**
 * The value types settings are written in, shared by every area's definitions. App settings arrive as text: an
 * empty value means "not set" and takes the default.
 */
export const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();
export const requiredText = z.string({ error: "is required" }).trim().min(1, "is required");
const url = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
export const optionalUrl = optionalText.pipe(url.optional());
export const positiveInt = (fallback: number) =>
  optionalText
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .pipe(z.number({ error: "must be a number" }).int("must be a whole number").positive("must be positive"));

export const wholeNumber = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  optionalText
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .pipe(
      z
        .number({ error: "must be a number" })
        .int("must be a whole number")
        .min(min, `must be at least ${min}`)
        .max(max, `must be at most ${max}`),
    );

/** `true` or `false` (any case); empty takes the default. */
export const flag = (fallback: boolean) =>
  optionalText
    .transform((v) => (v === undefined ? String(fallback) : v.toLowerCase()))
    .pipe(z.enum(["true", "false"], { error: "must be true or false" }))
    .transform((v) => v === "true");

/** The validated values of a group of settings, by name (optional ones may be absent). */
export type ParsedSettings<T extends Record<string, { schema: z.ZodType }>> = z.output<
  z.ZodObject<{ [K in keyof T]: T[K]["schema"] }>
>;

export interface SettingProblem {
  setting: string;
  problem: string;
}
