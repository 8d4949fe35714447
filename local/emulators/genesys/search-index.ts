/**
 * The user search index. Genesys's search is eventually consistent: a write shows up in
 * `POST /api/v2/users/search` only after a delay (Terraform allows minutes after a delete). The index keeps
 * each user's snapshots with the time they were written, and serves the newest one older than the lag.
 */
import type { UserRecord } from "./state";

interface Snapshot {
  at: number;
  user: UserRecord;
}

export class SearchIndex {
  private readonly history = new Map<string, Snapshot[]>();

  constructor(public lagMs: number) {}

  /** Records the user as it is now; call after every write. */
  record(user: UserRecord, now = Date.now()): void {
    const snapshots = this.history.get(user.id) ?? [];
    snapshots.push({ at: now, user: structuredClone(user) });
    this.history.set(user.id, snapshots);
    this.newestVisible(snapshots, now);
  }

  /**
   * The snapshot the index serves at `now`, if any. Older ones can never be served again, so they are
   * dropped on the way.
   */
  private newestVisible(snapshots: Snapshot[], now: number): Snapshot | undefined {
    const cutoff = now - this.lagMs;
    let index = -1;
    for (let i = 0; i < snapshots.length; i++) if (snapshots[i].at <= cutoff) index = i;
    if (index > 0) snapshots.splice(0, index);
    return index < 0 ? undefined : snapshots[0];
  }

  /** Every user as the index sees it at `now`. */
  visible(now = Date.now()): UserRecord[] {
    const result: UserRecord[] = [];
    for (const snapshots of this.history.values()) {
      const snapshot = this.newestVisible(snapshots, now);
      if (snapshot) result.push(snapshot.user);
    }
    return result;
  }

  /** Makes everything visible at once (seeding: the org existed long before the emulator started). */
  recordSettled(users: Iterable<UserRecord>): void {
    this.history.clear();
    for (const user of users) this.history.set(user.id, [{ at: 0, user: structuredClone(user) }]);
  }
}
