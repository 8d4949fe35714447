/** Plan steps applied to Genesys, one at a time: what the converge activities run for each step. */
import { isGenesysCloudError, type GenesysCloudClient } from "../genesys";
import type { PlanStep } from "../lifecycle/plan";

/** Applies one plan step. Each is idempotent: applied twice, the second finds nothing to change. */
export async function applyStep(
  genesys: GenesysCloudClient,
  step: PlanStep,
  userId: string | undefined,
  version: number | undefined,
): Promise<{ kind: "DONE"; userId?: string; version?: number }> {
  const user = () => {
    if (!userId) throw new Error(`step ${step.kind} needs the Genesys user, which does not exist yet`);
    return userId;
  };
  switch (step.kind) {
    case "CREATE_USER":
      return { kind: "DONE", ...(await createOrAdopt(genesys, step)) };
    case "RESTORE_USER":
      await reactivate(genesys, step.userId);
      return { kind: "DONE", userId: step.userId };
    case "MOVE_DIVISION":
      await genesys.moveUsersToDivision(step.to.id, [user()]);
      break;
    case "UPDATE_USER":
      return { kind: "DONE", version: await updateFields(genesys, user(), step.changes, version) };
    case "GRANT_ROLES":
      await genesys.addRoleGrants(
        user(),
        step.grants.map((g) => ({ roleId: g.role.id, divisionId: g.division.id })),
      );
      break;
    case "REVOKE_ROLES":
      await genesys.removeRoleGrants(
        user(),
        step.grants.map((g) => ({ roleId: g.role.id, divisionId: g.division.id })),
      );
      break;
    case "LEAVE_QUEUES":
      for (const queue of step.queues) await genesys.removeQueueMembers(queue.id, [user()]);
      break;
    case "JOIN_QUEUES":
      for (const queue of step.queues) await genesys.addQueueMembers(queue.id, [user()]);
      break;
    case "SET_SKILLS":
      if (step.set.length)
        await genesys.addUserSkills(
          user(),
          step.set.map((s) => ({ id: s.id, proficiency: s.proficiency })),
        );
      if (step.remove.length)
        await genesys.removeUserSkills(
          user(),
          step.remove.map((s) => s.id),
        );
      break;
    case "SET_LANGUAGES":
      if (step.set.length)
        await genesys.addUserLanguages(
          user(),
          step.set.map((s) => ({ id: s.id, proficiency: s.proficiency })),
        );
      if (step.remove.length)
        await genesys.removeUserLanguages(
          user(),
          step.remove.map((s) => s.id),
        );
      break;
    case "INVITE":
      await genesys.inviteUser(user());
      break;
    case "STOP_ROUTING":
      await genesys.setRoutingStatus(user(), "OFF_QUEUE");
      break;
    default:
      throw new Error(`step ${step.kind} belongs to the leaver, not to converge`);
  }
  return { kind: "DONE" };
}

/**
 * Creates the user, unless the email is already taken: a create whose answer was lost, or a user the search
 * index had not shown yet. Then that user is adopted (restored if inactive or deleted), never duplicated.
 */
async function createOrAdopt(
  genesys: GenesysCloudClient,
  step: Extract<PlanStep, { kind: "CREATE_USER" }>,
): Promise<{ userId: string; version?: number }> {
  const adopt = async (): Promise<string | undefined> => {
    const [existing] = await genesys.findUsersByEmail([step.email]);
    if (!existing) return undefined;
    if (existing.state !== "active") await reactivate(genesys, existing.id);
    return existing.id;
  };
  // No search first: the plan searched a moment ago. A create whose answer was lost is found by the 409 below.
  try {
    const created = await genesys.createUser({
      name: step.name,
      email: step.email,
      divisionId: step.division.id,
      title: step.title,
      ...(step.department ? { department: step.department } : {}),
      state: "active",
    });
    return { userId: created.id, version: created.version };
  } catch (error) {
    if (isGenesysCloudError(error) && error.isEmailConflict) {
      const adopted = await adopt();
      if (adopted) return { userId: adopted };
    }
    throw error;
  }
}

/** Brings an inactive or deleted user back to active; an active one is left as it is. */
async function reactivate(genesys: GenesysCloudClient, userId: string): Promise<void> {
  const user = await genesys.restoreUser(userId); // deleted → active; otherwise returns the user unchanged
  if (user.state === "inactive") await genesys.setUserState(userId, "active", user.version, { before: user });
}

/** Patches profile fields; returns the user's new version. */
export async function updateFields(
  genesys: GenesysCloudClient,
  userId: string,
  changes: Extract<PlanStep, { kind: "UPDATE_USER" }>["changes"],
  knownVersion: number | undefined,
): Promise<number> {
  const patch: Record<string, unknown> = {};
  for (const change of changes) {
    if (change.field === "employeeId") patch.employerInfo = { employeeId: change.to };
    else patch[change.field] = change.to;
  }
  // The version the previous step left (a create's), or else one read right before the patch. A concurrent
  // edit makes one fresh attempt with the version read again.
  let current = knownVersion === undefined ? await genesys.getUser(userId) : undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      const version = current?.version ?? knownVersion!;
      const patched = await genesys.updateUser(
        userId,
        { ...patch, version },
        current ? { before: current } : {},
      );
      return patched.version;
    } catch (error) {
      if (attempt >= 2 || !(isGenesysCloudError(error) && error.isVersionConflict)) throw error;
      current = await genesys.getUser(userId);
    }
  }
}
