import type { HrWorker } from "./hr-event";
import type { AssignedSnapshot, CurrentStateReader, CurrentUserState, EmployeeState } from "./state";

/**
 * Current state held in memory, looked up the way the Genesys reader does it: by HR employee id
 * (`employerInfo.employeeId`) first, then by email, in any state. For tests, the benchmark and local demos.
 */
export class InMemoryCurrentState implements CurrentStateReader {
  private readonly byEmployeeId = new Map<string, CurrentUserState>();
  private readonly byEmail = new Map<string, CurrentUserState>();
  private readonly previous = new Map<string, AssignedSnapshot>();

  constructor(
    users: readonly CurrentUserState[] = [],
    private readonly workers: readonly HrWorker[] = [],
  ) {
    for (const user of users) this.addUser(user);
  }

  addUser(user: CurrentUserState): void {
    if (user.employeeId !== undefined) this.byEmployeeId.set(user.employeeId, user);
    this.byEmail.set(user.email.toLowerCase(), user);
  }

  setPrevious(employeeId: string, snapshot: AssignedSnapshot): void {
    this.previous.set(employeeId, snapshot);
  }

  async read(workers: readonly HrWorker[]): Promise<Map<string, EmployeeState>> {
    const result = new Map<string, EmployeeState>();
    for (const worker of workers) {
      const user = this.find(worker.employeeId, worker.email) ?? null;
      const manager = this.find(worker.managerEmployeeId, worker.managerEmail);
      result.set(worker.employeeId, {
        user,
        previous: this.previous.get(worker.employeeId) ?? null,
        manager: manager === undefined ? null : { id: manager.id, name: manager.name },
      });
    }
    return result;
  }

  async listWorkers(): Promise<HrWorker[]> {
    return [...this.workers];
  }

  private find(employeeId: string | undefined, email: string | undefined): CurrentUserState | undefined {
    return (
      (employeeId === undefined ? undefined : this.byEmployeeId.get(employeeId)) ??
      (email === undefined ? undefined : this.byEmail.get(email.toLowerCase()))
    );
  }
}
