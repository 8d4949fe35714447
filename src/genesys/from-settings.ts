import type { SecretReader } from "../config/secrets";
import type { Settings } from "../config/settings";
import type { GenesysAuditSink } from "./audit";
import type { GenesysCloudClientOptions } from "./client";
import type { Telemetry } from "../telemetry";

/** Client options from the validated settings; the composition root adds the secret reader and audit sink. */
export function genesysClientOptionsFromSettings(
  genesys: Settings["genesys"],
  readSecret: SecretReader,
  auditSink?: GenesysAuditSink,
  telemetry?: Telemetry,
): GenesysCloudClientOptions {
  return {
    apiBaseUrl: genesys.apiBaseUrl,
    loginBaseUrl: genesys.loginBaseUrl,
    clientId: genesys.clientId,
    readSecret,
    auditSink,
    telemetry,
    requestsPerMinute: genesys.requestsPerMinute,
    tokenPoolSize: genesys.tokenPoolSize,
    clientRequestsPerMinute: genesys.clientRequestsPerMinute,
    pauseBelowRemaining: genesys.pauseBelowRemaining,
    remainingPauseInMs: genesys.remainingPauseInMs,
    maxInProcessWaitInMs: genesys.maxInProcessWaitInMs,
    readNamespaceLimitsAtStart: true,
  };
}
