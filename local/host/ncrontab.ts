/**
 * NCRONTAB schedules as Azure Functions timer triggers use them: six fields,
 * `{second} {minute} {hour} {day} {month} {day-of-week}`, with `*`, lists, ranges, steps and month/day names.
 * Times are UTC (the host's default when WEBSITE_TIME_ZONE is unset). TimeSpan schedules ("00:05:00") are
 * accepted too, meaning "every interval".
 */

export interface Schedule {
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

function parseField(text: string, min: number, max: number, names: string[] = [], nameBase = 0): Set<number> {
  const values = new Set<number>();
  const value = (token: string) => {
    const index = names.indexOf(token.toLowerCase().slice(0, 3));
    const n = index >= 0 && /^[a-z]/i.test(token) ? index + nameBase : Number(token);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new RangeError(`'${token}' is not in ${min}-${max}`);
    return n;
  };
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new RangeError(`'${part}' has a bad step`);
    let from: number;
    let to: number;
    if (range === "*") [from, to] = [min, max];
    else if (range.includes("-")) [from, to] = range.split("-").map(value) as [number, number];
    else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    for (let n = from; n <= to; n += step) values.add(n);
  }
  return values;
}

/** Parses a schedule; throws naming the expression when it is not valid. */
export function parseSchedule(expression: string): Schedule {
  const timeSpan = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(expression.trim());
  if (timeSpan) {
    const [, d = "0", h, m, s] = timeSpan;
    const interval = ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60_000 + Number(s) * 1000;
    return { next: (after) => new Date(after.getTime() + interval) };
  }
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(
      `Timer schedule '${expression}' must have 6 fields: second minute hour day month day-of-week.`,
    );
  }
  try {
    const seconds = parseField(fields[0], 0, 59);
    const minutes = parseField(fields[1], 0, 59);
    const hours = parseField(fields[2], 0, 23);
    const days = parseField(fields[3], 1, 31);
    const months = parseField(fields[4], 1, 12, MONTHS, 1);
    const weekdays = new Set([...parseField(fields[5], 0, 7, DAYS, 0)].map((d) => d % 7));
    const dayIsAny = fields[3] === "*";
    const weekdayIsAny = fields[5] === "*";
    const dayMatches = (date: Date) => {
      const byDay = days.has(date.getUTCDate());
      const byWeekday = weekdays.has(date.getUTCDay());
      if (dayIsAny || weekdayIsAny) return byDay && byWeekday;
      return byDay || byWeekday; // cron: either restriction matches when both are given
    };
    return {
      next(after) {
        const start = Math.floor(after.getTime() / 1000) * 1000 + 1000;
        const day = new Date(start);
        day.setUTCHours(0, 0, 0, 0);
        for (let d = 0; d < 366 * 5; d++, day.setUTCDate(day.getUTCDate() + 1)) {
          if (!months.has(day.getUTCMonth() + 1) || !dayMatches(day)) continue;
          for (const h of [...hours].sort((a, b) => a - b)) {
            for (const m of [...minutes].sort((a, b) => a - b)) {
              for (const s of [...seconds].sort((a, b) => a - b)) {
                const at = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), h, m, s);
                if (at >= start) return new Date(at);
              }
            }
          }
        }
        throw new Error(`Timer schedule '${expression}' has no occurrence in the next five years.`);
      },
    };
  } catch (error) {
    if (error instanceof RangeError)
      throw new Error(`Timer schedule '${expression}' is not valid: ${error.message}.`);
    throw error;
  }
}
