import { historyEvent, newInstance } from "../../../local/host/durable/instance";
import { EventType, type HistoryEvent } from "../../../local/host/durable/protocol";
import type { DurableStore, InstanceSnapshot } from "../../../local/host/durable/store";
import { WriteQueue } from "../../../local/host/durable/write-queue";

/**
 * A store that records what it is asked to write and refuses the first write, standing in for a Table
 * Storage write that fails (a refused or interrupted request), which Azurite cannot be made to do on demand.
 */
function refusingOnce() {
  const saves: Array<{ fromIndex: number; events: HistoryEvent[] }> = [];
  let refused = false;
  const store: DurableStore = {
    persistent: true,
    loadAll: async () => [],
    delete: async () => undefined,
    save: async (
      _snapshot: InstanceSnapshot,
      _execution: number,
      fromIndex: number,
      events: HistoryEvent[],
    ) => {
      if (!refused) {
        refused = true;
        throw new Error("the write was refused");
      }
      saves.push({ fromIndex, events });
    },
  };
  return { store, saves };
}

describe("local Durable engine: the write queue", () => {
  it("writes again, after a failed write, the history events that write carried, so none is skipped", async () => {
    const { store, saves } = refusingOnce();
    const logged: string[] = [];
    const queue = new WriteQueue(store, { onSettled: () => undefined, log: (line) => logged.push(line) });
    const live = newInstance("flow", "flow-1", null, { now: 0, execution: 1 });
    const event = (type: number) => historyEvent(0, type);
    live.history.push(event(EventType.OrchestratorStarted), event(EventType.ExecutionStarted));
    queue.saveInstance(live, () => true);
    await queue.drain();
    expect(logged).toEqual(["Could not persist instance 'flow-1': the write was refused"]);

    live.history.push(event(EventType.OrchestratorCompleted));
    queue.saveInstance(live, () => true);
    await queue.drain();
    expect(saves).toEqual([{ fromIndex: 0, events: live.history }]);
    expect(live.persistedHistory).toBe(3);
  });
});
