/**
 * The JSON contract between a Durable Functions host and the durable-functions v3 SDK (out-of-process protocol):
 * history events in, `OrchestratorState` out. Field names and numbers are the SDK's (and DTFx's) own.
 */

/** DTFx `EventType` values the SDK understands. */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
} as const;

export interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  Name?: string;
  Input?: string;
  Result?: string;
  TaskScheduledId?: number;
  TimerId?: number;
  FireAt?: string;
  Reason?: string;
  Details?: string;
  FailureDetails?: { ErrorType: string; ErrorMessage: string; StackTrace?: string };
  InstanceId?: string;
  OrchestrationStatus?: string;
}

/** `ActionType` values of the SDK's actions. */
export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

export const actionTypeName: Record<number, string> = Object.fromEntries(
  Object.entries(ActionType).map(([name, value]) => [value, name]),
);

/** The JSON form of RetryOptions as it arrives in an action. */
export interface RetryOptionsJson {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

export interface Action {
  actionType: number;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  retryOptions?: RetryOptionsJson;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  compoundActions?: Action[];
  /** Entity operations (callEntity / signalEntity). */
  operation?: string;
}

export interface OrchestratorState {
  isDone: boolean;
  actions: Action[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  schemaVersion: number;
}

/** Schema V4 (`3`), what a current Durable extension negotiates. */
export const SCHEMA_VERSION = 3;

/**
 * Flattens the cumulative action list in the order the SDK assigns sequence numbers: compound actions
 * (Task.all / Task.any) are replaced by their children, depth first.
 */
export function flattenActions(state: OrchestratorState): Action[] {
  const flat: Action[] = [];
  const visit = (action: Action) => {
    if (action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny) {
      for (const child of action.compoundActions ?? []) visit(child);
    } else flat.push(action);
  };
  for (const group of state.actions) for (const action of group) visit(action);
  return flat;
}

/** Whether the SDK gives this action a sequence number (external events are matched by name instead). */
export function consumesSequenceNumber(action: Action): boolean {
  return (
    action.actionType !== ActionType.WaitForExternalEvent && action.actionType !== ActionType.ContinueAsNew
  );
}

/** A readable identity of an action for the determinism check. */
export function describeAction(action: Action): string {
  const type = actionTypeName[action.actionType] ?? `action type ${action.actionType}`;
  if (action.functionName) return `${type} '${action.functionName}'`;
  if (action.externalEventName) return `${type} '${action.externalEventName}'`;
  return type;
}

/** Two actions are the same step when their type and target agree (what DTFx compares; inputs are not). */
export function sameStep(a: Action, b: Action): boolean {
  return (
    a.actionType === b.actionType &&
    (a.functionName ?? "") === (b.functionName ?? "") &&
    (a.externalEventName ?? "") === (b.externalEventName ?? "") &&
    (a.operation ?? "") === (b.operation ?? "")
  );
}

/**
 * The determinism check the SDK itself does not do: a replay must ask for the steps the history recorded
 * (`recorded`, each with the sequence number it took), in the same order. Returns the error, if any.
 */
export function checkDeterminism(
  recorded: readonly { action: Action; id: number | null }[],
  replayed: readonly Action[],
  instance: { name: string; instanceId: string },
): string | undefined {
  for (let i = 0; i < recorded.length && i < replayed.length; i++) {
    const { action, id } = recorded[i];
    if (sameStep(action, replayed[i])) continue;
    const where = id !== null ? `sequence number ${id}` : `action #${i}`;
    return (
      `Non-deterministic workflow detected in orchestrator '${instance.name}' (instance '${instance.instanceId}'): ` +
      `at ${where} the history has ${describeAction(action)}, but the replay asked for ` +
      `${describeAction(replayed[i])}. Orchestrator code must make the same calls in the same order on every replay ` +
      `(no Date.now, Math.random, I/O or changed code for in-flight instances).`
    );
  }
  return undefined;
}

/** Decodes an action's input: the SDK JSON-encodes string inputs of activities and continueAsNew. */
export function decodeActionInput(action: Action): unknown {
  const encoded =
    action.actionType === ActionType.CallActivity ||
    action.actionType === ActionType.CallActivityWithRetry ||
    action.actionType === ActionType.ContinueAsNew;
  if (encoded && typeof action.input === "string") return JSON.parse(action.input) as unknown;
  return action.input;
}

const OUT_OF_PROC_LABEL = "$OutOfProcData$:";

/** An orchestrator that fails throws `<message>\n\n$OutOfProcData$:<OrchestratorState JSON>`. */
export function stateFromFailure(error: unknown): OrchestratorState | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const at = message.indexOf(OUT_OF_PROC_LABEL);
  if (at < 0) return undefined;
  return JSON.parse(message.slice(at + OUT_OF_PROC_LABEL.length)) as OrchestratorState;
}

/** .NET TimeSpan text ("d.hh:mm:ss") as the extension sends it. */
export function toTimeSpan(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const rest = new Date(ms % 86_400_000).toISOString().slice(11, 19);
  return `${days}.${rest}`;
}
