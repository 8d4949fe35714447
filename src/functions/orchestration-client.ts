import type { DurableClient, DurableOrchestrationStatus } from "durable-functions";
import { OrchestrationRuntimeStatus } from "durable-functions";
import { EMPLOYEE_ORCHESTRATOR, HR_EVENT_ACCEPTED, type EmployeeInput } from "../orchestrators/employee";
import { employeeInstanceId } from "../orchestrators/instance-ids";

export type OrchestrationClient = Pick<DurableClient, "getStatus" | "raiseEvent" | "startNew">;

/**
 * An instance's status without its input, which no caller reads: a batch's input carries its lookups, tens of
 * kilobytes that Durable would otherwise fetch for every progress poll.
 *
 * durable-functions v3 throws a plain Error on HTTP 404 from getStatus; this is the one place that knows it, so
 * the fragile message match is written and tested once.
 */
export async function getStatusIfExists(
  client: Pick<DurableClient, "getStatus">,
  instanceId: string,
): Promise<DurableOrchestrationStatus | undefined> {
  try {
    return await client.getStatus(instanceId, { showInput: false });
  } catch (error) {
    if (error instanceof Error && error.message.includes("replied with HTTP 404")) return undefined;
    throw error;
  }
}

const ACTIVE: readonly string[] = [
  OrchestrationRuntimeStatus.Running,
  OrchestrationRuntimeStatus.Pending,
  OrchestrationRuntimeStatus.ContinuedAsNew,
];

export type DispatchOutcome = "started" | "signalled";

/**
 * Makes sure the employee's orchestration will see a newly stored event: wakes it if it runs, starts it if not.
 * The event itself is already in the inbox, so a wake-up lost in a race (the instance finishing just as the
 * event arrives) only delays it until the inbox sweep restarts the employee.
 */
export function createEmployeeDispatcher(client: OrchestrationClient) {
  return async (employeeKey: string): Promise<DispatchOutcome> => {
    const instanceId = employeeInstanceId(employeeKey);
    const status = await getStatusIfExists(client, instanceId);
    if (status && ACTIVE.includes(status.runtimeStatus)) {
      await client.raiseEvent(instanceId, HR_EVENT_ACCEPTED, { at: new Date().toISOString() });
      return "signalled";
    }
    try {
      await client.startNew(EMPLOYEE_ORCHESTRATOR.name, {
        instanceId,
        input: { employeeKey } satisfies EmployeeInput,
      });
      return "started";
    } catch (error) {
      // Started by a concurrent delivery in the meantime (host.json: overridableExistingInstanceStates
      // NonRunningStates makes that an error instead of a restart): wake it instead.
      const now = await getStatusIfExists(client, instanceId);
      if (!now || !ACTIVE.includes(now.runtimeStatus)) throw error;
      await client.raiseEvent(instanceId, HR_EVENT_ACCEPTED, { at: new Date().toISOString() });
      return "signalled";
    }
  };
}
