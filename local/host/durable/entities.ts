/**
 * Durable entities for the local host: each entity (`@name@key`) keeps its state and a queue of operations,
 * runs them one batch at a time through the app's registered entity function (the SDK's batch protocol:
 * `{ self, exists, state, batch }` in, `{ entityExists, entityState, results, signals }` out), answers
 * orchestrators' `callEntity` with an EventRaised named after the request id, and forwards signals.
 * Locks (critical sections) are not supported.
 */
import { randomUUID } from "node:crypto";

export interface EntityRequest {
  id: string;
  name: string;
  input?: string;
  signal: boolean;
  /** The orchestration waiting for the answer (callEntity). */
  parentInstanceId?: string;
}

export interface EntityRecord {
  schedulerId: string;
  name: string;
  key: string;
  exists: boolean;
  /** JSON text, as the SDK keeps it. */
  state?: string;
  queue: EntityRequest[];
  lastModifiedTime: string;
}

/** What one run of an entity function returns (the SDK's batch protocol). */
export interface EntityBatchResult {
  entityExists: boolean;
  entityState?: string;
  results: { isError: boolean; result?: string }[];
  signals: { target: { name: string; key: string }; name: string; input?: string }[];
}

export interface EntityHost {
  runEntity(functionName: string, bindingInfo: object): Promise<EntityBatchResult>;
  /** The registered entity function for a (lower-cased) entity name. */
  entityFunction(name: string): string | undefined;
  /** Delivers the answer to a callEntity: an EventRaised named after the request id. */
  respond(instanceId: string, requestId: string, response: { result?: string; exceptionType?: string }): void;
  persist(entity: EntityRecord): void;
  now(): number;
  onWork(delta: number): void;
}

export const schedulerId = (name: string, key: string) => `@${name.toLowerCase()}@${key}`;

export function parseSchedulerId(id: string): { name: string; key: string } {
  const at = id.indexOf("@", 1);
  return { name: id.slice(1, at), key: id.slice(at + 1) };
}

export class EntityScheduler {
  readonly entities = new Map<string, EntityRecord>();
  private readonly busy = new Set<string>();
  private stopped = false;

  constructor(private readonly host: EntityHost) {}

  restore(entity: EntityRecord): void {
    this.entities.set(entity.schedulerId, entity);
    this.kick(entity.schedulerId);
  }

  /** Queues an operation; `inputJson` is the operation's input as JSON text. */
  enqueue(
    target: string,
    operation: string,
    inputJson: string | undefined,
    options: { signal: boolean; parentInstanceId?: string; requestId?: string },
  ): string {
    const id = options.requestId ?? randomUUID();
    const entity = this.get(target);
    entity.queue.push({
      id,
      name: operation,
      input: inputJson === "" ? undefined : inputJson,
      signal: options.signal,
      parentInstanceId: options.parentInstanceId,
    });
    this.host.persist(entity);
    this.kick(target);
    return id;
  }

  /** The entity's state as JSON text, when it exists. */
  read(target: string): { exists: boolean; state?: string } | undefined {
    const entity = this.entities.get(target);
    return entity && { exists: entity.exists, state: entity.state };
  }

  stop(): void {
    this.stopped = true;
  }

  private get(target: string): EntityRecord {
    let entity = this.entities.get(target);
    if (!entity) {
      const { name, key } = parseSchedulerId(target);
      entity = {
        schedulerId: target,
        name,
        key,
        exists: false,
        queue: [],
        lastModifiedTime: new Date(this.host.now()).toISOString(),
      };
      this.entities.set(target, entity);
    }
    return entity;
  }

  private kick(target: string): void {
    if (this.stopped || this.busy.has(target)) return;
    const entity = this.entities.get(target);
    if (!entity || entity.queue.length === 0) return;
    this.busy.add(target);
    this.host.onWork(1);
    setImmediate(() => {
      void this.runBatch(entity).finally(() => {
        this.busy.delete(target);
        this.host.onWork(-1);
        this.kick(target);
      });
    });
  }

  private async runBatch(entity: EntityRecord): Promise<void> {
    const batch = entity.queue.slice();
    const functionName = this.host.entityFunction(entity.name);
    let outcome: EntityBatchResult;
    try {
      if (!functionName) throw new Error(`No entity function named '${entity.name}' is registered.`);
      outcome = await this.host.runEntity(functionName, {
        self: { name: entity.name, key: entity.key },
        exists: entity.exists,
        state: entity.state,
        batch: batch.map(({ id, name, input, signal }) => ({ id, name, input, signal })),
      });
    } catch (error) {
      const message = JSON.stringify({ message: error instanceof Error ? error.message : String(error) });
      outcome = {
        entityExists: entity.exists,
        entityState: entity.state,
        results: batch.map(() => ({ isError: true, result: message })),
        signals: [],
      };
    }
    if (this.stopped) return;
    entity.queue.splice(0, batch.length);
    entity.exists = outcome.entityExists;
    entity.state = outcome.entityExists ? outcome.entityState : undefined;
    entity.lastModifiedTime = new Date(this.host.now()).toISOString();
    this.host.persist(entity);
    batch.forEach((request, i) => {
      const result = outcome.results[i];
      if (request.signal || !request.parentInstanceId) return;
      this.host.respond(request.parentInstanceId, request.id, {
        result: result?.result,
        exceptionType: result?.isError ? "Error" : undefined,
      });
    });
    for (const signal of outcome.signals) {
      this.enqueue(schedulerId(signal.target.name, signal.target.key), signal.name, signal.input, {
        signal: true,
      });
    }
  }
}
