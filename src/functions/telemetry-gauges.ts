import type { CredentialExpiry, CredentialExpiryReader } from "../config/credential-expiry";
import type { ApprovalRepository } from "../storage/approvals";
import type { QuarantineRepository } from "../storage/quarantine";
import { ATTR, SPANS, type Telemetry } from "../telemetry";

/** What the gauges are read from: state in Table Storage and Key Vault, not events. */
export interface GaugeSources {
  approvals: Pick<ApprovalRepository, "list">;
  quarantine: Pick<QuarantineRepository, "list">;
  /** Absent when no Key Vault is configured: then no credential expiry is reported. */
  credentials?: CredentialExpiryReader;
  now?: () => Date;
}

/** How often the gauges are read: every five minutes, like the inbox sweep. */
export const GAUGES_SCHEDULE = "30 */5 * * * *";

const DAY_IN_MS = 86_400_000;

/**
 * Records the state the alerts watch: approvals pending and the oldest one's age, the open quarantine, and
 * the days left on each watched credential. A gauge is a reading, so a timer takes it; nothing is counted twice.
 */
export function createGaugeReader(telemetry: Telemetry, sources: GaugeSources): () => Promise<void> {
  const now = sources.now ?? (() => new Date());
  return () =>
    telemetry.inSpan(SPANS.timer, { [ATTR.functionName]: "telemetryGauges" }, async () => {
      const at = now().getTime();
      const pending = await sources.approvals.list("pending");
      telemetry.gauge("approvalsPending", pending.length);
      const oldest = pending.reduce((min, a) => Math.min(min, Date.parse(a.requestedAt)), at);
      telemetry.gauge("approvalsOldestAge", Math.max(0, Math.round((at - oldest) / 1000)));

      telemetry.gauge("quarantineSize", (await sources.quarantine.list()).length);

      const credentials: CredentialExpiry[] = sources.credentials ? await sources.credentials() : [];
      for (const { name, expiresOn } of credentials) {
        if (!expiresOn) continue; // no expiry date: nothing to warn about (docs/runbook.md says to set one)
        const days = Math.floor((expiresOn.getTime() - at) / DAY_IN_MS);
        telemetry.gauge("credentialExpiresIn", days, { [ATTR.credential]: name });
      }
    });
}
