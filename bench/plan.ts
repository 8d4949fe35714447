/**
 * Plans 1,000 employees against a 5,000-user org and prints the CPU time it takes: the figures in
 * docs/benchmarks.md. Not part of `npm test`; run with `npm run bench:plan`.
 */
import { stringify } from "yaml";
import type { HrWorker } from "../src/lifecycle/hr-event";
import { InMemoryCurrentState } from "../src/lifecycle/in-memory-state";
import { parseMapping } from "../src/lifecycle/mapping";
import { Catalog } from "../src/lifecycle/org";
import { Planner, summarizePlans } from "../src/lifecycle/plan";
import type { CurrentUserState } from "../src/lifecycle/state";

const ORG_USERS = 5_000;
const EMPLOYEES = 1_000;
const RUNS = 7;

const DIVISIONS = ["Home", "Support", "Sales", "EMEA", "APAC", "Billing"];
const TITLES = Array.from({ length: 20 }, (_, i) => `Job Title ${i}`);
const DEPARTMENTS = ["Support", "Sales", "Billing"];
const LOCATIONS = ["Dublin", "Berlin", "Austin", "Manila"];
const ROLES = Array.from({ length: 25 }, (_, i) => `Role ${i}`);
const QUEUES = Array.from({ length: 60 }, (_, i) => `Queue_${i}`);
const SKILLS = Array.from({ length: 40 }, (_, i) => `Skill_${i}`);
const LANGUAGES = ["English", "French", "German", "Spanish", "Tagalog"];

/** Deterministic pseudo-random numbers, so every run measures the same work. */
let seed = 42;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
const some = <T>(list: readonly T[], n: number) => [...new Set(Array.from({ length: n }, () => pick(list)))];
const indexOf = (list: readonly string[], name: string) => list.indexOf(name);

// 20 titles × (title alone + 3 departments × (alone + 4 locations)) = 320 profiles.
const leveled = (list: readonly string[], n: number) =>
  some(list, n).map((name) => ({ name, proficiency: Math.ceil(random() * 5) }));
const profiles = TITLES.flatMap((title) => [
  {
    match: { title },
    division: pick(DIVISIONS),
    roles: some(ROLES, 3).map((name) => ({ name })),
    queues: some(QUEUES, 3),
  },
  ...DEPARTMENTS.flatMap((department) => [
    {
      match: { title, department },
      division: pick(DIVISIONS),
      roles: [...some(ROLES, 3).map((name) => ({ name })), { name: pick(ROLES), division: "*" }],
      queues: some(QUEUES, 4),
      skills: leveled(SKILLS, 4),
      languages: leveled(LANGUAGES, 2),
    },
    ...LOCATIONS.map((location) => ({
      match: { title, department, location },
      division: pick(DIVISIONS),
      roles: some(ROLES, 4).map((name) => ({ name })),
      queues: some(QUEUES, 5),
      skills: leveled(SKILLS, 5),
      languages: leveled(LANGUAGES, 2),
    })),
  ]),
]);
const mappingText = stringify({ version: 1, defaults: { division: "Home" }, profiles });

const refs = (prefix: string, names: readonly string[]) =>
  names.map((name, i) => ({ id: `${prefix}-${i}`, name }));
const org = {
  roles: refs("role", ROLES),
  divisions: refs("div", DIVISIONS).map((d) => ({ ...d, homeDivision: d.name === "Home" })),
  queues: refs("queue", QUEUES).map((q) => ({
    ...q,
    divisionId: `div-${Math.floor(random() * DIVISIONS.length)}`,
  })),
  skills: refs("skill", SKILLS),
  languages: refs("lang", LANGUAGES),
};

const worker = (i: number): HrWorker => ({
  employeeId: `E${i}`,
  email: `person${i}@example.com`,
  firstName: "Person",
  lastName: `Number ${i}`,
  title: pick(TITLES),
  department: pick(DEPARTMENTS),
  location: pick(LOCATIONS),
  managerEmployeeId: `E${Math.floor(random() * ORG_USERS)}`,
});

const users: CurrentUserState[] = Array.from({ length: ORG_USERS }, (_, i) => ({
  id: `user-${i}`,
  state: random() < 0.05 ? "inactive" : "active",
  version: 1,
  name: `Person Number ${i}`,
  email: `person${i}@example.com`,
  title: pick(TITLES),
  department: pick(DEPARTMENTS),
  divisionId: `div-${Math.floor(random() * DIVISIONS.length)}`,
  employeeId: `E${i}`,
  grants: some(ROLES, 4).map((name) => ({ roleId: `role-${indexOf(ROLES, name)}`, divisionId: "div-1" })),
  queueIds: some(QUEUES, 5).map((name) => `queue-${indexOf(QUEUES, name)}`),
  skills: some(SKILLS, 4).map((name) => ({ id: `skill-${indexOf(SKILLS, name)}`, proficiency: 3 })),
  languages: [{ id: "lang-0", proficiency: 5 }],
  welcomeSent: true,
}));
const state = new InMemoryCurrentState(users);
// Every other user was provisioned by this product: it may take back what it assigned.
for (let i = 0; i < ORG_USERS; i += 2) {
  const u = users[i];
  state.setPrevious(u.employeeId!, {
    grants: u.grants.slice(0, 2),
    queueIds: u.queueIds.slice(0, 3),
    skillIds: u.skills.map((s) => s.id),
    languageIds: [],
  });
}
// 1,000 employees: 500 existing users spread over the org (movers, rehires, no-ops) and 500 new hires.
const workers = Array.from({ length: EMPLOYEES }, (_, i) => worker(i % 2 === 0 ? i * 5 : ORG_USERS + i));

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

async function once() {
  const started = process.cpuUsage();
  const parsed = parseMapping(mappingText);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors.slice(0, 3)));
  const catalog = new Catalog(org);
  const states = await state.read(workers);
  const setupMs = cpuMs(process.cpuUsage(started));
  const planner = new Planner(parsed.mapping, catalog);
  const plans = workers.map((w) => planner.plan({ type: "change", worker: w }, states.get(w.employeeId)!));
  const totalMs = cpuMs(process.cpuUsage(started));
  return { totalMs, planMs: totalMs - setupMs, totals: summarizePlans(plans) };
}

async function main() {
  const runs: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once());
  const median = (key: "totalMs" | "planMs") => runs.map((r) => r[key]).sort((a, b) => a - b)[RUNS >> 1];
  const { totals } = runs[0];
  const byStep = Object.entries(totals.byStep)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(", ");
  console.log(
    `plan: ${EMPLOYEES} employees against a ${ORG_USERS}-user org, mapping of ${profiles.length} profiles ` +
      `(${(mappingText.length / 1024).toFixed(0)} KiB), ${RUNS} runs`,
  );
  console.log(
    `  outcomes: ${totals.planned} with steps, ${totals.unchanged} unchanged, ${totals.unmapped} unmapped; ` +
      `${totals.steps} steps (${byStep})`,
  );
  console.log(
    `  CPU for parse + catalog + state lookup + plan: first run ${runs[0].totalMs.toFixed(1)} ms, ` +
      `median ${median("totalMs").toFixed(1)} ms (planning alone: median ${median("planMs").toFixed(1)} ms)`,
  );
  console.log(
    `  against the 1,000 ms budget: ${(1000 / runs[0].totalMs).toFixed(1)}× headroom on the first run`,
  );
}

void main();
