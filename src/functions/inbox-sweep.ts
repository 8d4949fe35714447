import * as df from "durable-functions";
import type { ActivityDependencies } from "../activities/dependencies";
import { createManagerLinks } from "../activities/manager-links";
import { ATTR, SPANS, type Telemetry } from "../telemetry";
import { createEmployeeDispatcher } from "./orchestration-client";

/**
 * Every five minutes, the safety net under the event-driven path: an employee with pending events whose
 * orchestration is gone gets it back (its wake-up was lost), and a report whose manager now has a Genesys user
 * is linked even if the manager's own provisioning missed it.
 */
export function registerInboxSweep(
  deps: Pick<ActivityDependencies, "employees" | "genesys" | "audit" | "now">,
  telemetry: Telemetry,
): void {
  const managerLinks = createManagerLinks(deps);
  df.app.client.timer("inboxSweep", {
    schedule: "0 */5 * * * *",
    handler: (_timer, client, context) =>
      telemetry.inSpan(SPANS.timer, { [ATTR.functionName]: "inboxSweep" }, async () => {
        const dispatch = createEmployeeDispatcher(client);
        const waiting = await deps.employees.employeesWithPendingEvents();
        let restarted = 0;
        // An employee whose orchestration had to be started again was stuck: its wake-up was lost.
        for (const employeeKey of waiting) if ((await dispatch(employeeKey)) === "started") restarted++;
        if (restarted > 0) telemetry.count("sweepStuckEmployees", {}, restarted);
        if (waiting.length > 0)
          context.log(
            `inbox sweep: ${waiting.length} employee(s) with pending events woken, ${restarted} restarted`,
          );
        const links = await managerLinks.sweep();
        if (links.linked > 0)
          context.log(`inbox sweep: ${links.linked} manager link(s) made, ${links.waiting} still waiting`);
      }),
  });
}
