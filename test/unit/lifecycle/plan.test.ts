import fs from "node:fs";
import path from "node:path";
import type { HrWorker } from "../../../src/lifecycle/hr-event";
import type { Mapping } from "../../../src/lifecycle/mapping";
import { Catalog } from "../../../src/lifecycle/org";
import {
  Planner,
  PlanStepSchema,
  summarizePlans,
  type EmployeePlan,
  type PlanStep,
} from "../../../src/lifecycle/plan";
import type {
  AssignedSnapshot,
  CurrentUserState,
  DeactivationSnapshot,
  EmployeeState,
} from "../../../src/lifecycle/state";
import { StaticOrgDirectory } from "../../../src/lifecycle/static-org";
import { aMapping, aWorker } from "../../support/builders";
import { demoOrg } from "../../support/demo-org";

const demoSource = fs.readFileSync(path.resolve(__dirname, "../../../local/mappings/demo.yaml"), "utf8");

const mappingOf = (source: string, owns: string[] = []): Mapping =>
  aMapping(owns.length === 0 ? source : `${source}\nowns: [${owns.join(", ")}]\n`);

let catalog: Catalog;
beforeAll(async () => {
  catalog = await Catalog.load(new StaticOrgDirectory(demoOrg()));
});

const planner = (owns: string[] = []) => new Planner(mappingOf(demoSource, owns), catalog);

const worker = (overrides: Partial<HrWorker> = {}): HrWorker =>
  aWorker({ location: "Cork", country: "IE", managerEmployeeId: "100305", ...overrides });

const MANAGER = { id: "u-manager", name: "Mary Manager" };

/** Jane exactly as the "Technical Support" profile provisions her. */
const provisionedTechSupport = (overrides: Partial<CurrentUserState> = {}): CurrentUserState => ({
  id: "u-jane",
  state: "active",
  version: 7,
  name: "Jane Doe",
  email: "jane.doe@example.com",
  title: "Technical Support",
  department: "Support",
  divisionId: "div-support",
  managerId: MANAGER.id,
  employeeId: "100482",
  grants: [
    { roleId: "role-1", divisionId: "div-support" }, // Agent
    { roleId: "role-4", divisionId: "div-support" }, // Employee
  ],
  queueIds: ["q-priority"],
  skills: [{ id: "skill-1", proficiency: 3 }],
  languages: [{ id: "lang-1", proficiency: 5 }],
  welcomeSent: true,
  ...overrides,
});

const assignedTechSupport: AssignedSnapshot = {
  mappingVersion: 1,
  grants: [
    { roleId: "role-1", divisionId: "div-support" },
    { roleId: "role-4", divisionId: "div-support" },
  ],
  queueIds: ["q-priority"],
  skillIds: ["skill-1"],
  languageIds: ["lang-1"],
};

const state = (user: CurrentUserState | null, previous: AssignedSnapshot | null = null): EmployeeState => ({
  user,
  previous,
  manager: MANAGER,
});

function stepsOf(plan: EmployeePlan): PlanStep[] {
  if (plan.kind !== "PLANNED") throw new Error(`expected a plan, got ${plan.kind}: ${plan.reason}`);
  return plan.steps;
}
const kinds = (plan: EmployeePlan) => stepsOf(plan).map((s) => s.kind);
const step = <K extends PlanStep["kind"]>(plan: EmployeePlan, kind: K) =>
  stepsOf(plan).find((s): s is Extract<PlanStep, { kind: K }> => s.kind === kind);
const names = (refs: { name: string }[] | undefined) => (refs ?? []).map((r) => r.name).sort();

describe("planning a joiner", () => {
  it("creates the user in the mapped division, then fields, roles, queues, skills, languages, then invites", () => {
    const plan = planner().plan({ eventId: "e1", type: "hire", worker: worker() }, state(null));
    expect(kinds(plan)).toEqual([
      "CREATE_USER",
      "UPDATE_USER",
      "GRANT_ROLES",
      "JOIN_QUEUES",
      "SET_SKILLS",
      "SET_LANGUAGES",
      "INVITE",
    ]);
    expect(step(plan, "CREATE_USER")).toEqual({
      kind: "CREATE_USER",
      name: "Jane Doe",
      email: "jane.doe@example.com",
      division: { id: "div-support", name: "Support" },
      title: "Technical Support",
      department: "Support",
    });
    expect(step(plan, "UPDATE_USER")?.changes).toEqual([
      { field: "manager", to: MANAGER.id },
      { field: "employeeId", to: "100482" },
    ]);
    expect(step(plan, "GRANT_ROLES")?.grants).toEqual([
      { role: { id: "role-1", name: "Agent" }, division: { id: "div-support", name: "Support" } },
      { role: { id: "role-4", name: "Employee" }, division: { id: "div-support", name: "Support" } },
    ]);
    expect(step(plan, "SET_SKILLS")).toEqual({
      kind: "SET_SKILLS",
      set: [{ id: "skill-1", name: "Network_Troubleshooting", proficiency: 3 }],
      remove: [],
    });
  });

  it("is a no-op for a user who already matches (converge, don't script)", () => {
    const plan = planner().plan(
      { type: "change", worker: worker() },
      state(provisionedTechSupport(), assignedTechSupport),
    );
    expect(stepsOf(plan)).toEqual([]);
  });

  it("grants a '*' role in all divisions", () => {
    const plan = planner().plan(
      { type: "hire", worker: worker({ title: "Senior Technical Support" }) },
      state(null),
    );
    expect(step(plan, "GRANT_ROLES")?.grants).toContainEqual({
      role: { id: "role-3", name: "Knowledge Base Editor" },
      division: { id: "*", name: "*" },
    });
  });

  it("notes a manager who has no Genesys user yet instead of failing", () => {
    const plan = planner().plan(
      { type: "hire", worker: worker() },
      { user: null, previous: null, manager: null },
    );
    expect(plan.kind === "PLANNED" && plan.notes).toEqual([
      expect.stringContaining("manager 100305 has no Genesys user yet"),
    ]);
    expect(step(plan, "UPDATE_USER")?.changes.map((c) => c.field)).toEqual(["employeeId"]);
  });

  it("leaves the invitation out when inviting is off (SSO orgs)", () => {
    const plan = new Planner(mappingOf(demoSource), catalog, { invite: false }).plan(
      { type: "hire", worker: worker() },
      state(null),
    );
    expect(kinds(plan)).not.toContain("INVITE");
  });
});

describe("planning a rehire or a return", () => {
  it.each([
    [
      "a deleted user comes back in Home without roles",
      "deleted" as const,
      ["RESTORE_USER", "MOVE_DIVISION", "GRANT_ROLES"],
    ],
    [
      "an inactive user keeps the division but lost the roles",
      "inactive" as const,
      ["RESTORE_USER", "GRANT_ROLES"],
    ],
  ])("%s", (_what, fromState, expected) => {
    const user = provisionedTechSupport({ state: fromState });
    const plan = planner().plan({ type: "rehire", worker: worker() }, state(user, assignedTechSupport));
    expect(kinds(plan)).toEqual(expected);
    expect(step(plan, "RESTORE_USER")).toEqual({
      kind: "RESTORE_USER",
      userId: "u-jane",
      fromState,
      version: 7,
    });
    expect(names(step(plan, "GRANT_ROLES")?.grants.map((g) => g.role))).toEqual(["Agent", "Employee"]);
    if (fromState === "deleted") {
      expect(step(plan, "MOVE_DIVISION")).toEqual({
        kind: "MOVE_DIVISION",
        from: { id: "div-home", name: "Home" },
        to: { id: "div-support", name: "Support" },
      });
    }
  });
});

describe("a rehire brings back what an administrator had added by hand before the leave", () => {
  /** Jane's profile when the leaver deactivated her: the mapped one plus what an admin added by hand. */
  const deactivated: DeactivationSnapshot = {
    divisionId: "div-support",
    grants: [
      ...assignedTechSupport.grants,
      { roleId: "role-3", divisionId: "*" }, // Knowledge Base Editor, by hand
      { roleId: "role-gone", divisionId: "div-support" }, // a role deleted since
    ],
    queueIds: ["q-priority", "q-billing"], // Billing_Support by hand
    skills: [
      { id: "skill-1", proficiency: 3 },
      { id: "skill-4", proficiency: 2 }, // Billing by hand
    ],
    languages: [{ id: "lang-1", proficiency: 5 }],
  };

  it("restores the hand-added roles, queues and skills next to the mapped profile, and says so", () => {
    const user = provisionedTechSupport({ state: "deleted", queueIds: [], skills: [], languages: [] });
    const plan = planner().plan(
      { type: "rehire", worker: worker() },
      { ...state(user, assignedTechSupport), deactivated },
    );
    expect(names(step(plan, "GRANT_ROLES")?.grants.map((g) => g.role))).toEqual([
      "Agent",
      "Employee",
      "Knowledge Base Editor",
    ]);
    expect(names(step(plan, "JOIN_QUEUES")?.queues)).toEqual(["Billing_Support", "Priority_Support_Queue"]);
    expect(names(step(plan, "SET_SKILLS")?.set)).toEqual(["Billing", "Network_Troubleshooting"]);
    expect(plan.kind === "PLANNED" && plan.notes).toContainEqual(
      "restored as before the leave, where an administrator had added them: role Knowledge Base Editor in *, queue Billing_Support, skill Billing",
    );
  });

  it("leaves out what the product had assigned under an old title, and restores nothing for an active user", () => {
    const previous = { ...assignedTechSupport, queueIds: ["q-priority", "q-billing"] };
    const inactive = provisionedTechSupport({ state: "inactive", grants: [], queueIds: [] });
    const rehired = planner().plan(
      { type: "rehire", worker: worker() },
      { ...state(inactive, previous), deactivated },
    );
    expect(names(step(rehired, "JOIN_QUEUES")?.queues)).toEqual(["Priority_Support_Queue"]);

    const active = planner().plan(
      { type: "change", worker: worker() },
      { ...state(provisionedTechSupport(), assignedTechSupport), deactivated },
    );
    expect(kinds(active)).toEqual([]);
  });
});

describe("planning a mover: ownership", () => {
  // Jane moves from Technical Support (Support division) to Senior Technical Support in Dublin (EMEA division).
  const mover = worker({ title: "Senior Technical Support", location: "Dublin" });
  const handAdded = provisionedTechSupport({
    grants: [...provisionedTechSupport().grants, { roleId: "role-2", divisionId: "div-home" }], // Supervisor, by hand
    queueIds: ["q-priority", "q-sales"], // Inbound_Sales, by hand
    skills: [
      { id: "skill-1", proficiency: 3 },
      { id: "skill-3", proficiency: 2 }, // Account_Management, by hand
    ],
    languages: [
      { id: "lang-1", proficiency: 5 },
      { id: "lang-4", proficiency: 1 }, // Spanish, by hand
    ],
  });

  it.each([
    {
      owns: [],
      previous: assignedTechSupport,
      revoked: ["Agent@Support", "Employee@Support"],
      left: ["Priority_Support_Queue"],
      skillsRemoved: [],
      languagesRemoved: [],
    },
    {
      owns: ["roles", "queues"],
      previous: assignedTechSupport,
      revoked: ["Agent@Support", "Employee@Support", "Supervisor@Home"],
      left: ["Inbound_Sales", "Priority_Support_Queue"],
      skillsRemoved: [],
      languagesRemoved: [],
    },
    {
      owns: ["skills", "languages"],
      previous: assignedTechSupport,
      revoked: ["Agent@Support", "Employee@Support"],
      left: ["Priority_Support_Queue"],
      skillsRemoved: ["Account_Management"],
      languagesRemoved: ["Spanish"],
    },
    {
      // Never assigned by this product (a user provisioned by hand before go-live): nothing is taken away.
      owns: [],
      previous: null,
      revoked: [],
      left: [],
      skillsRemoved: [],
      languagesRemoved: [],
    },
  ])(
    "owns $owns, previously assigned: $previous.mappingVersion → revokes $revoked, leaves $left",
    ({ owns, previous, revoked, left, skillsRemoved, languagesRemoved }) => {
      const plan = planner(owns).plan({ type: "change", worker: mover }, state(handAdded, previous));
      const grants = (kind: "GRANT_ROLES" | "REVOKE_ROLES") =>
        (step(plan, kind)?.grants ?? []).map((g) => `${g.role.name}@${g.division.name}`).sort();
      expect(grants("GRANT_ROLES")).toEqual(["Agent@EMEA", "Employee@EMEA", "Knowledge Base Editor@*"]);
      expect(grants("REVOKE_ROLES")).toEqual(revoked);
      expect(names(step(plan, "LEAVE_QUEUES")?.queues)).toEqual(left);
      expect(names(step(plan, "JOIN_QUEUES")?.queues)).toEqual(["EMEA_Support_French", "Tier_2_Escalation"]);
      expect(step(plan, "SET_SKILLS")).toEqual({
        kind: "SET_SKILLS",
        set: [{ id: "skill-1", name: "Network_Troubleshooting", proficiency: 5, from: 3 }],
        remove: skillsRemoved.map((name) => ({ id: "skill-3", name })),
      });
      expect(names(step(plan, "SET_LANGUAGES")?.remove)).toEqual(languagesRemoved);
      expect(names(step(plan, "SET_LANGUAGES")?.set)).toEqual(["French"]);
      expect(step(plan, "MOVE_DIVISION")?.to).toEqual({ id: "div-emea", name: "EMEA" });
      expect(step(plan, "UPDATE_USER")?.changes).toEqual([
        { field: "title", from: "Technical Support", to: "Senior Technical Support" },
      ]);
    },
  );

  it("orders a mover's steps: division, fields, grant before revoke, leave before join, skills, languages", () => {
    const plan = planner().plan({ type: "change", worker: mover }, state(handAdded, assignedTechSupport));
    expect(kinds(plan)).toEqual([
      "MOVE_DIVISION",
      "UPDATE_USER",
      "GRANT_ROLES",
      "REVOKE_ROLES",
      "LEAVE_QUEUES",
      "JOIN_QUEUES",
      "SET_SKILLS",
      "SET_LANGUAGES",
    ]);
  });

  it("keeps a desired value that an administrator also added by hand, and adds only what is missing", () => {
    const user = provisionedTechSupport({ queueIds: ["q-priority", "q-tier2"] });
    const plan = planner().plan(
      { type: "change", worker: worker({ title: "Senior Technical Support" }) },
      state(user, assignedTechSupport),
    );
    expect(step(plan, "JOIN_QUEUES")).toBeUndefined();
    expect(step(plan, "LEAVE_QUEUES")).toBeUndefined();
  });
});

describe("what a plan records for the next one", () => {
  it("names the mapping version, and the ids it assigns, which a later mover takes back exactly", () => {
    const versioned = new Planner(mappingOf(demoSource), catalog, { mappingVersion: 7 });
    const hire = versioned.plan({ type: "hire", worker: worker() }, state(null));
    expect(hire).toMatchObject({
      mappingVersion: 7,
      assigned: { ...assignedTechSupport, mappingVersion: 7 },
    });
    const assigned = hire.kind === "PLANNED" ? hire.assigned! : null;
    const move = versioned.plan(
      { type: "change", worker: worker({ title: "Sales Representative", department: "Sales" }) },
      state(provisionedTechSupport(), assigned),
    );
    expect(names(step(move, "LEAVE_QUEUES")?.queues)).toEqual(["Priority_Support_Queue"]);
    expect(names(step(move, "SET_SKILLS")?.remove)).toEqual(["Network_Troubleshooting"]);
    expect(names(step(move, "REVOKE_ROLES")?.grants.map((g) => g.role))).toEqual(["Agent", "Employee"]);
  });
});

describe("planning a leaver", () => {
  it("goes off queue, hands live work to the manager, snapshots, leaves queues, deactivates, schedules the delete", () => {
    const plan = planner().plan({ type: "terminate", worker: worker() }, state(provisionedTechSupport()));
    expect(stepsOf(plan)).toEqual([
      { kind: "SET_OFF_QUEUE" },
      {
        kind: "DRAIN_INTERACTIONS",
        transferTo: "manager",
        fallback: "queue",
        target: { kind: "manager", user: MANAGER },
      },
      { kind: "SNAPSHOT_PROFILE" },
      { kind: "LEAVE_QUEUES", queues: [{ id: "q-priority", name: "Priority_Support_Queue" }] },
      { kind: "DEACTIVATE_USER" },
      { kind: "SCHEDULE_DELETE", afterSeconds: 120 },
    ]);
  });

  it("falls back to the leaver queue when there is no manager, and a leave of absence is never deleted", () => {
    const plan = planner().plan(
      { type: "leave_start", worker: worker() },
      { user: provisionedTechSupport(), previous: null, manager: null },
    );
    expect(step(plan, "DRAIN_INTERACTIONS")?.target).toEqual({
      kind: "queue",
      queue: { id: "q-priority", name: "Priority_Support_Queue" },
    });
    expect(kinds(plan)).not.toContain("SCHEDULE_DELETE");
  });

  it("plans a leaver whose title the mapping does not know (brownfield) with the mapping's defaults", () => {
    const plan = planner().plan(
      { type: "terminate", worker: worker({ title: "Astronaut" }) },
      { user: provisionedTechSupport(), previous: null, manager: null },
    );
    expect(plan).toMatchObject({ kind: "PLANNED", userId: "u-jane" });
    expect(plan.kind === "PLANNED" && plan.profileIndex).toBeUndefined();
    expect(kinds(plan)).toEqual([
      "SET_OFF_QUEUE",
      "DRAIN_INTERACTIONS",
      "SNAPSHOT_PROFILE",
      "LEAVE_QUEUES",
      "DEACTIVATE_USER",
      "SCHEDULE_DELETE",
    ]);
    expect(plan.kind === "PLANNED" && plan.notes[0]).toBe(
      'no profile in the mapping matches the title "Astronaut": the mapping\'s leaver defaults apply',
    );
  });

  it.each([
    ["no user", null, []],
    ["an already deleted user", provisionedTechSupport({ state: "deleted" }), []],
    ["an already inactive user", provisionedTechSupport({ state: "inactive" }), ["SCHEDULE_DELETE"]],
  ])("has nothing to hand over for %s", (_what, user, expected) => {
    expect(kinds(planner().plan({ type: "terminate", worker: worker() }, state(user)))).toEqual(expected);
  });
});

describe("what is never planned", () => {
  it("quarantines an unmapped title with the reason instead of guessing", () => {
    const plan = planner().plan(
      { eventId: "e9", type: "hire", worker: worker({ title: "Astronaut" }) },
      state(null),
    );
    expect(plan).toEqual({
      kind: "UNMAPPED_TITLE",
      employeeId: "100482",
      eventId: "e9",
      eventType: "hire",
      reason: 'no profile in the mapping matches the title "Astronaut"',
    });
  });

  it("never takes over an account found by email that belongs to another employee", () => {
    const plan = planner().plan(
      { type: "hire", worker: worker() },
      state(provisionedTechSupport({ employeeId: "999999" })),
    );
    expect(plan).toMatchObject({
      kind: "IDENTITY_CONFLICT",
      reason:
        "the Genesys user u-jane with email jane.doe@example.com belongs to employee 999999, not 100482: " +
        "correct the email in HR or the employee id in Genesys",
    });
  });

  it("refuses a profile naming something the org does not have", () => {
    const mapping = mappingOf(demoSource.replace("queues: [Inbound_Sales]", "queues: [Sales_Outbound]"));
    const plan = new Planner(mapping, catalog).plan(
      { type: "hire", worker: worker({ title: "Sales Representative", department: "Sales" }) },
      state(null),
    );
    expect(plan).toMatchObject({
      kind: "UNKNOWN_NAMES",
      missing: [{ kind: "queue", name: "Sales_Outbound" }],
      reason: 'the org has no queue "Sales_Outbound"',
    });
  });
});

describe("summarizePlans", () => {
  it("counts outcomes and steps by kind", () => {
    const p = planner();
    const plans = [
      p.plan({ type: "hire", worker: worker() }, state(null)),
      p.plan({ type: "change", worker: worker() }, state(provisionedTechSupport(), assignedTechSupport)),
      p.plan({ type: "hire", worker: worker({ title: "Astronaut" }) }, state(null)),
    ];
    expect(summarizePlans(plans)).toEqual({
      employees: 3,
      planned: 1,
      unchanged: 1,
      unmapped: 1,
      ambiguous: 0,
      unknownNames: 0,
      identityConflicts: 0,
      steps: 7,
      byStep: {
        CREATE_USER: 1,
        UPDATE_USER: 1,
        GRANT_ROLES: 1,
        JOIN_QUEUES: 1,
        SET_SKILLS: 1,
        SET_LANGUAGES: 1,
        INVITE: 1,
      },
    });
  });
});

describe("plan steps cross the activity boundary as JSON, checked by their schema", () => {
  const everyKind = PlanStepSchema.options.map((option) => option.shape.kind.value).sort();
  const p = () => planner();
  const provisioned = state(provisionedTechSupport(), assignedTechSupport);
  const plans = () => [
    p().plan({ type: "hire", worker: worker() }, state(null)),
    p().plan({ type: "change", worker: worker({ title: "Sales Representative" }) }, provisioned),
    p().plan(
      { type: "rehire", worker: worker() },
      state(provisionedTechSupport({ state: "deleted" }), assignedTechSupport),
    ),
    p().plan({ type: "terminate", worker: worker() }, provisioned),
    // A mover the mapping no longer knows: what the product assigned is withdrawn.
    p().plan({ type: "change", worker: worker({ title: "Astronaut" }) }, provisioned),
  ];
  const allSteps = () =>
    plans().flatMap((plan) => (plan.kind === "PLANNED" ? plan.steps : (plan.withdraw ?? [])));

  it("reads back every kind of step the planner makes exactly as it was planned", () => {
    const steps = allSteps();
    expect([...new Set(steps.map((s) => s.kind))].sort()).toEqual(everyKind);
    for (const planned of steps) {
      const wire: unknown = JSON.parse(JSON.stringify(planned));
      expect(PlanStepSchema.parse(wire)).toEqual(planned);
    }
  });

  it("refuses a step that is not one the planner makes, naming the field", () => {
    const refused = (step: unknown) => {
      const result = PlanStepSchema.safeParse(step);
      return result.success ? [] : result.error.issues.map((i) => i.path.join("."));
    };
    expect(refused({ kind: "GRANT_ROLES" })).toEqual(["grants"]);
    expect(refused({ kind: "GRANT_ROLES", grants: [{ role: { id: "role-1", name: "Agent" } }] })).toEqual([
      "grants.0.division",
    ]);
    expect(refused({ kind: "RESTORE_USER", userId: "u-jane", fromState: "active", version: 7 })).toEqual([
      "fromState",
    ]);
    expect(refused({ kind: "DELETE_EVERYTHING" })).toEqual(["kind"]);
  });
});
