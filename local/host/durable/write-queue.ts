/**
 * The per-instance write queue between the local Durable engine and its store. Writes for one instance or
 * entity run in order, one after the other; a burst of changes costs one write, because a queued write takes
 * whatever the state is when it starts. The engine counts the queue as work, so settle() and stop() wait
 * for it to drain.
 */
import type { EntityRecord } from "./entities";
import { EventType } from "./protocol";
import type { LiveInstance } from "./instance";
import type { DurableStore, InstanceSnapshot } from "./store";

export class WriteQueue {
  private readonly chains = new Map<string, Promise<void>>();
  /** Instances and entities with a write queued that has not started yet. */
  private readonly queued = new Set<object>();
  private pending = 0;

  constructor(
    private readonly store: DurableStore,
    private readonly options: { onSettled: () => void; log?: (message: string) => void },
  ) {}

  get idle(): boolean {
    return this.pending === 0;
  }

  /**
   * Queues a write of the instance: new history rows, then the status row with its bookkeeping. The snapshot
   * is taken when the write starts, between episodes, so it is always consistent: the inbox holds every event
   * not yet in the history. `isCurrent` is false once the instance was purged or replaced meanwhile.
   */
  saveInstance(live: LiveInstance, isCurrent: () => boolean): void {
    if (!this.store.persistent || this.queued.has(live)) return;
    this.queued.add(live);
    void this.write(live.state.instanceId, async () => {
      this.queued.delete(live);
      if (!isCurrent()) return;
      // Once the first episode ran, the input is in the history (its ExecutionStarted event), written once; the
      // status row, written again at every step, leaves it out, and a restart reads it back from the history.
      const { input: _input, ...withoutInput } = live.state;
      const started = live.history.some((event) => event.EventType === EventType.ExecutionStarted);
      const snapshot = structuredClone(started ? withoutInput : live.state);
      const from = live.persistedHistory;
      const fresh = live.history.slice(from);
      await this.store.save(snapshot, snapshot.execution, from, fresh);
      // Counted as stored only once stored: after a failed write the next one writes these events again, so
      // the stored history never has a hole that the status row counts over (a restart would replay without
      // the events in it and wait for them forever).
      if (live.state.execution === snapshot.execution && live.persistedHistory === from)
        live.persistedHistory = from + fresh.length;
    });
  }

  /** Queues a write of the entity's state, coalesced like an instance's. */
  saveEntity(entity: EntityRecord): void {
    if (!this.store.persistent || this.queued.has(entity)) return;
    this.queued.add(entity);
    void this.write(entity.schedulerId, async () => {
      this.queued.delete(entity);
      await this.store.save(entitySnapshot(entity), 1, 0, []);
    });
  }

  /** Deletes the instance's rows once the writes queued before have run. */
  delete(instanceId: string): Promise<void> {
    return this.write(instanceId, () => this.store.delete(instanceId));
  }

  /** Resolves when every write queued so far has finished (each one waits for those before it). */
  async drain(): Promise<void> {
    await Promise.all(this.chains.values());
  }

  private write(instanceId: string, op: () => Promise<void>): Promise<void> {
    this.pending++;
    const previous = this.chains.get(instanceId) ?? Promise.resolve();
    const next = previous
      .then(op)
      .catch((error: unknown) =>
        this.options.log?.(
          `Could not persist instance '${instanceId}': ${error instanceof Error ? error.message : String(error)}`,
        ),
      )
      .finally(() => {
        this.pending--;
        if (this.chains.get(instanceId) === next) this.chains.delete(instanceId);
        this.options.onSettled();
      });
    this.chains.set(instanceId, next);
    return next;
  }
}

/** Entities share the instance rows: the scheduler id (`@name@key`) is the instance id, the record rides along. */
function entitySnapshot(entity: EntityRecord): InstanceSnapshot & { entity: EntityRecord } {
  return {
    instanceId: entity.schedulerId,
    name: entity.name,
    createdTime: entity.lastModifiedTime,
    lastUpdatedTime: entity.lastModifiedTime,
    runtimeStatus: "Running",
    output: null,
    customStatus: null,
    execution: 1,
    entity: structuredClone(entity),
  };
}

/** The entity a stored row holds, or undefined when the row is an orchestration instance. */
export function entityFromSnapshot(snapshot: InstanceSnapshot): EntityRecord | undefined {
  if (!snapshot.instanceId.startsWith("@")) return undefined;
  return (snapshot as InstanceSnapshot & { entity: EntityRecord }).entity;
}
