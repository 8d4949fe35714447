/**
 * The safety catch on mass deactivation: an HR feed glitch that "terminates" half the organisation must
 * pause for an operator instead of switching off the contact centre.
 */

export interface DeactivationGuardPolicy {
  /** Pause when more than this many managed users would be deactivated within the window. */
  maxCount?: number;
  /** Pause when more than this share (0–1) of managed users would be deactivated within the window. */
  maxShare?: number;
  /**
   * The share applies only from this many deactivations in the window, so one leaver in a ten-person pilot is
   * not a "mass" deactivation. Default 5.
   */
  minCountForShare?: number;
  windowInMs: number;
}

export interface GuardInput {
  /** When the other recent deactivations happened (ISO date-times); this leaver is counted on top. */
  recentDeactivations: readonly string[];
  managedUserCount: number;
  now: Date;
}

export type GuardDecision = { approvalRequired: false } | { approvalRequired: true; reason: string };

export function checkDeactivationGuard(policy: DeactivationGuardPolicy, input: GuardInput): GuardDecision {
  const since = input.now.getTime() - policy.windowInMs;
  const inWindow = input.recentDeactivations.filter((at) => Date.parse(at) > since).length + 1;
  const hours = Math.round((policy.windowInMs / 3_600_000) * 10) / 10;
  if (policy.maxCount !== undefined && inWindow > policy.maxCount) {
    return {
      approvalRequired: true,
      reason: `${inWindow} deactivations within ${hours} h exceed the limit of ${policy.maxCount}`,
    };
  }
  if (
    policy.maxShare !== undefined &&
    input.managedUserCount > 0 &&
    inWindow >= (policy.minCountForShare ?? 5)
  ) {
    const share = inWindow / input.managedUserCount;
    if (share > policy.maxShare) {
      return {
        approvalRequired: true,
        reason:
          `${inWindow} of ${input.managedUserCount} managed users (${Math.round(share * 100)}%) deactivated ` +
          `within ${hours} h exceed the limit of ${Math.round(policy.maxShare * 100)}%`,
      };
    }
  }
  return { approvalRequired: false };
}
