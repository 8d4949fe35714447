import * as df from "durable-functions";
import type { JournalDrain } from "../hr/journal-drain";
import { ATTR, SPANS, type Telemetry } from "../telemetry";
import { withClient } from "./durable-scope";

/**
 * Every minute, takes into the inbox the journaled HR messages that a stopped process answered but never took in.
 * Cheap when there are none: one query on the journal's one partition.
 */
export function registerJournalSweep(drain: JournalDrain, telemetry: Telemetry): void {
  df.app.client.timer("hrJournalSweep", {
    schedule: "30 * * * * *",
    handler: (_timer, client, context) =>
      telemetry.inSpan(SPANS.timer, { [ATTR.functionName]: "hrJournalSweep" }, () =>
        withClient(client, async () => {
          const taken = await drain.recover();
          if (taken > 0) context.log(`journal sweep: ${taken} message(s) left in the journal taken in`);
        }),
      ),
  });
}
