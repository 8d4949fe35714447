import { parseSchedule } from "../../../local/host/ncrontab";

const next = (expression: string, after: string) =>
  parseSchedule(expression).next(new Date(after)).toISOString();

describe("NCRONTAB schedules", () => {
  it.each([
    ["0 */5 * * * *", "2026-03-01T10:02:30Z", "2026-03-01T10:05:00.000Z"],
    ["*/10 * * * * *", "2026-03-01T10:02:30Z", "2026-03-01T10:02:40.000Z"],
    ["0 30 9 * * 1-5", "2026-03-06T09:30:00Z", "2026-03-09T09:30:00.000Z"], // Friday → Monday
    ["0 0 2 1 * *", "2026-03-05T00:00:00Z", "2026-04-01T02:00:00.000Z"],
    ["0 0 0 * Feb,Mar Sun", "2026-01-10T00:00:00Z", "2026-02-01T00:00:00.000Z"],
    ["0 15,45 * * * *", "2026-03-01T10:20:00Z", "2026-03-01T10:45:00.000Z"],
    ["00:05:00", "2026-03-01T10:20:00Z", "2026-03-01T10:25:00.000Z"],
  ])("%s after %s is %s", (expression, after, expected) => {
    expect(next(expression, after)).toBe(expected);
  });

  it("is strictly after the given time", () => {
    expect(next("0 0 * * * *", "2026-03-01T10:00:00Z")).toBe("2026-03-01T11:00:00.000Z");
  });

  it("names the expression and the problem when it is not valid", () => {
    expect(() => parseSchedule("0 */5 * * *")).toThrow("must have 6 fields");
    expect(() => parseSchedule("0 61 * * * *")).toThrow("'0 61 * * * *' is not valid: '61' is not in 0-59");
  });
});
