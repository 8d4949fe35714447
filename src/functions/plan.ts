import type { HttpHandler } from "@azure/functions";
import { summarizeStep } from "../activities/step-summary";
import { mappingSizeProblem, parseMapping, type Mapping } from "../lifecycle/mapping";
import { Catalog, type OrgDirectory } from "../lifecycle/org";
import { Planner, summarizePlans, type EmployeePlan, type PlanInput, type PlanStep } from "../lifecycle/plan";
import type { CurrentStateReader } from "../lifecycle/state";
import { validateMapping, type ValidationReport } from "../lifecycle/validate";
import type { MappingService } from "../storage/mappings-service";
import { problem } from "./mappings";
import { parsePlanRequest } from "./plan-input";

export interface PlanHandlerDependencies {
  mappings: MappingService;
  org: OrgDirectory;
  state: CurrentStateReader;
  /** The most employees one dry run plans; larger batches are refused with 413. */
  maxEmployees?: number;
}

const DEFAULT_MAX_EMPLOYEES = 10_000;

/**
 * `POST /api/plan`: the dry run. Plans one HR event, a batch (JSON array or bulk CSV), or a candidate mapping
 * over the managed workforce, against the current Genesys state, and returns per-employee steps and totals.
 * It writes nothing: not to Genesys, not to storage.
 */
export function createPlanHandler(deps: PlanHandlerDependencies): HttpHandler {
  const maxEmployees = deps.maxEmployees ?? DEFAULT_MAX_EMPLOYEES;
  return async (request) => {
    const parsed = parsePlanRequest(await request.text(), request.headers.get("content-type") ?? undefined);
    if (!parsed.ok) {
      return { status: 400, jsonBody: { error: "the plan request is not valid", errors: parsed.errors } };
    }
    const planRequest = parsed.request;

    let mapping: Mapping;
    let events: PlanInput[];
    let mappingInfo: { version: number } | { candidate: true; validation: ValidationReport };
    if (planRequest.kind === "EVENTS") {
      const active = await deps.mappings.getActive();
      if (active === undefined)
        return problem(409, "no mapping is active yet: import one with PUT /api/mappings");
      mapping = active.mapping;
      events = planRequest.events;
      mappingInfo = { version: active.version.version };
    } else {
      const tooBig = mappingSizeProblem(planRequest.source);
      if (tooBig !== undefined) return problem(413, tooBig);
      const candidate = parseMapping(planRequest.source);
      if (!candidate.ok) {
        return {
          status: 400,
          jsonBody: { error: "the candidate mapping is not valid", errors: candidate.errors },
        };
      }
      mapping = candidate.mapping;
      const workers = planRequest.workers ?? (await deps.state.listWorkers());
      events = workers.map((worker) => ({ type: "change", worker }));
      mappingInfo = {
        candidate: true,
        validation: await validateMapping(candidate.mapping, deps.org, candidate.locate),
      };
    }
    if (events.length > maxEmployees) {
      return problem(413, `a dry run plans at most ${maxEmployees} employees; this one has ${events.length}`);
    }

    const [catalog, states] = await Promise.all([
      Catalog.load(deps.org),
      deps.state.read(events.map((e) => e.worker)),
    ]);
    const planner = new Planner(mapping, catalog, {
      mappingVersion: "version" in mappingInfo ? mappingInfo.version : undefined,
    });
    const employees = events.map((event) =>
      planner.plan(
        event,
        states.get(event.worker.employeeId) ?? { user: null, previous: null, manager: null },
      ),
    );
    return {
      status: 200,
      jsonBody: {
        dryRun: true,
        mapping: mappingInfo,
        totals: summarizePlans(employees),
        employees: employees.map(withStepSummaries),
      },
      headers: { "Cache-Control": "no-store" },
    };
  };
}

/** Each step also in words (the same words as the audit and the quarantine reasons), for people reading it. */
function withStepSummaries(plan: EmployeePlan) {
  const described = (steps: readonly PlanStep[]) =>
    steps.map((step) => ({ ...step, summary: summarizeStep(step) }));
  if (plan.kind === "PLANNED") return { ...plan, steps: described(plan.steps) };
  return plan.withdraw ? { ...plan, withdraw: described(plan.withdraw) } : plan;
}
