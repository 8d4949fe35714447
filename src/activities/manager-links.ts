import type { HrWorker } from "../lifecycle/hr-event";
import { lifecycleStateOf, managerKeyOf, type ManagerLink } from "../storage/employees";
import { auditStep, withAuditContext } from "./audit-context";
import type { ActivityDependencies } from "./dependencies";

type Deps = Pick<ActivityDependencies, "genesys" | "employees" | "audit" | "now">;

/**
 * Manager links that could not be made yet: a hire or change whose manager has no active Genesys user gets the
 * rest of its profile (the invitation is not held back) and waits, recorded as "manager pending". It is linked
 * as soon as that manager's user exists: when the manager converges, and otherwise by the periodic sweep.
 */
export function createManagerLinks(deps: Deps) {
  const { genesys, employees, audit } = deps;
  const now = deps.now ?? (() => new Date());

  /** Patches one waiting report's manager, unless the report has left; either way the wait is over. */
  async function link(employeeKey: string, managerUserId: string, managerName: string): Promise<void> {
    const record = await employees.get(employeeKey);
    if (record?.genesysUserId && lifecycleStateOf(record) === "active") {
      await withAuditContext({ employeeKey }, async () => {
        const user = await genesys.getUser(record.genesysUserId!);
        if (user.manager?.id !== managerUserId)
          await genesys.updateUser(
            user.id,
            { manager: managerUserId, version: user.version },
            { before: user },
          );
        await auditStep(audit, "manager.linked", `manager ${managerName} (${managerUserId}) linked`);
      });
    }
    await employees.setManagerPending(employeeKey, null);
  }

  return {
    /**
     * After an employee converged: records or clears their own pending manager, then links the reports that
     * were waiting for this employee to become their manager.
     */
    async converged(
      employeeKey: string,
      worker: HrWorker,
      managerFound: boolean,
      context: { eventId?: string },
    ): Promise<void> {
      const record = await employees.get(employeeKey);
      const named = worker.managerEmployeeId ?? worker.managerEmail;
      const pending = record?.managerPending ? (JSON.parse(record.managerPending) as ManagerLink) : undefined;
      if (named && !managerFound) {
        const wanted = {
          ...(worker.managerEmployeeId ? { managerEmployeeId: worker.managerEmployeeId } : {}),
          ...(worker.managerEmail ? { managerEmail: worker.managerEmail } : {}),
        };
        if (!pending || managerKeyOf(pending) !== managerKeyOf(wanted)) {
          await employees.setManagerPending(employeeKey, { ...wanted, since: now().toISOString() });
          await withAuditContext({ employeeKey, ...context }, () =>
            auditStep(
              audit,
              "manager.pending",
              `manager pending: ${named} has no active Genesys user yet; linked as soon as one exists`,
            ),
          );
        }
      } else if (pending) {
        await employees.setManagerPending(employeeKey, null);
      }

      const waits = await employees.managerWaits([
        managerKeyOf({ managerEmployeeId: worker.employeeId }),
        managerKeyOf({ managerEmail: worker.email }),
      ]);
      if (waits.length === 0) return;
      const userId = (await employees.get(employeeKey))?.genesysUserId;
      if (!userId) return;
      const name = `${worker.firstName} ${worker.lastName}`;
      for (const wait of waits) await link(wait.employeeKey, userId, name);
    },

    /** Links every waiting report whose manager now has an active Genesys user; the rest keep waiting. */
    async sweep(): Promise<{ linked: number; waiting: number }> {
      const waits = await employees.managerWaits();
      if (waits.length === 0) return { linked: 0, waiting: 0 };
      const ids = waits.filter((w) => w.managerKey.startsWith("id:")).map((w) => w.managerKey.slice(3));
      const emails = waits.filter((w) => w.managerKey.startsWith("email:")).map((w) => w.managerKey.slice(6));
      const found = new Map<string, { id: string; name: string }>();
      if (ids.length > 0)
        for (const user of await genesys.findUsersByEmployeeId([...new Set(ids)], { states: ["active"] }))
          if (user.employerInfo?.employeeId) found.set(`id:${user.employerInfo.employeeId}`, user);
      if (emails.length > 0)
        for (const user of await genesys.findUsersByEmail([...new Set(emails)], { states: ["active"] }))
          if (user.email) found.set(managerKeyOf({ managerEmail: user.email }), user);
      let linked = 0;
      for (const wait of waits) {
        const manager = found.get(wait.managerKey);
        if (!manager) continue;
        await link(wait.employeeKey, manager.id, manager.name);
        linked++;
      }
      return { linked, waiting: waits.length - linked };
    },
  };
}
