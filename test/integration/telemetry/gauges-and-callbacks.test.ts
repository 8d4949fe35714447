/**
 * The telemetry that reads state rather than events: the gauges timer over approvals and quarantine in Azurite
 * and Key Vault expiry dates, and the count of failed HR callbacks from the composition root's HR clients.
 */
import net from "node:net";
import type { SecretProperties } from "@azure/keyvault-secrets";
import { createKeyVaultExpiryReader } from "../../../src/config/credential-expiry";
import { loadSettings } from "../../../src/config/settings";
import { composeHrDependencies } from "../../../src/compose";
import { createGaugeReader } from "../../../src/functions/telemetry-gauges";
import { ApprovalRepository } from "../../../src/storage/approvals";
import { QuarantineRepository } from "../../../src/storage/quarantine";
import { ATTR, METRICS } from "../../../src/telemetry";
import { useAzuriteTables } from "../../support/tables";
import { recordTelemetry } from "../../support/telemetry";

const azurite = useAzuriteTables();

const NOW = new Date("2026-12-01T12:00:00.000Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("the telemetry gauges timer", () => {
  it("reports pending approvals with the oldest one's age, the open quarantine and credential expiry", async () => {
    const tables = azurite.tables();
    const approvalsTable = tables("approvals");
    await approvalsTable.createTable();
    const approvals = new ApprovalRepository(approvalsTable);
    const quarantine = new QuarantineRepository(tables);
    const pause = (instanceId: string, hoursAgo: number) =>
      approvals.request({
        employeeKey: instanceId,
        eventId: `wd-${instanceId}`,
        instanceId,
        reason: "over the deactivation limit",
        requestedAt: new Date(NOW.getTime() - hoursAgo * HOUR).toISOString(),
      });
    await pause("100001", 50);
    await pause("100002", 2);
    await approvals.decide((await pause("100003", 80)).id, { approved: true, by: "ops" });
    for (const key of ["k1", "k2"])
      await quarantine.quarantine({
        source: "workday",
        idempotencyKey: key,
        reason: "unmapped title",
        now: NOW,
      });

    // Key Vault cannot run here: a stand-in lists secret properties as the SDK's SecretClient does.
    const listed: Partial<SecretProperties>[] = [
      { name: "genesys-client-secret", expiresOn: new Date(NOW.getTime() + 9.5 * DAY) },
      { name: "sf-oauth-certificate", expiresOn: new Date(NOW.getTime() - 1.5 * DAY) },
      { name: "unwatched", expiresOn: new Date(NOW.getTime() + DAY) },
      { name: "no-expiry-set" },
    ];
    const credentials = createKeyVaultExpiryReader(
      "https://kv.example.vault.azure.net",
      ["genesys-client-secret", "sf-oauth-certificate", "no-expiry-set"],
      () => {
        throw new Error("the stand-in needs no credential");
      },
      {
        listPropertiesOfSecrets: () =>
          (async function* () {
            yield* listed;
          })() as never,
      },
    );

    const recording = recordTelemetry();
    await createGaugeReader(recording.telemetry, { approvals, quarantine, credentials, now: () => NOW })();

    expect(await recording.points(METRICS.approvalsPending.name)).toEqual([[{}, 2]]);
    expect(await recording.points(METRICS.approvalsOldestAge.name)).toEqual([[{}, 50 * 3600]]);
    expect(await recording.points(METRICS.quarantineSize.name)).toEqual([[{}, 2]]);
    expect(await recording.points(METRICS.credentialExpiresIn.name)).toEqual([
      [{ [ATTR.credential]: "genesys-client-secret" }, 9],
      [{ [ATTR.credential]: "sf-oauth-certificate" }, -2],
    ]);
  });
});

describe("HR callback failures", () => {
  it("are counted per source when Workday or SuccessFactors cannot be reached", async () => {
    // A port that was free a moment ago: nothing answers there.
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const settings = loadSettings({
      TABLES_CONNECTION: azurite.connectionString,
      GENESYS_API_BASE_URL: "http://127.0.0.1:1",
      GENESYS_LOGIN_BASE_URL: "http://127.0.0.1:1",
      GENESYS_CLIENT_ID: "c",
      GENESYS_CLIENT_SECRET: "s",
      WORKDAY_API_URL: `http://127.0.0.1:${closed}/ccx/service/t/Human_Resources/v40.0`,
      WORKDAY_API_USER: "isu",
      WORKDAY_API_PASSWORD: "isu-secret",
      SF_API_URL: `http://127.0.0.1:${closed}`,
      SF_API_AUTH: "basic",
      SF_API_USER: "api@CO",
      SF_API_PASSWORD: "api-secret",
    });
    const recording = recordTelemetry();
    const hr = composeHrDependencies(
      settings,
      azurite.tables(),
      () => {
        throw new Error("no Azure credential in this test: Basic needs none");
      },
      recording.telemetry,
    );
    await expect(hr.workers!.getWorker("100482")).rejects.toThrow();
    await expect(hr.odata!.getWorkerSnapshot({ personIdExternal: "100482" })).rejects.toThrow();
    expect(await recording.points(METRICS.hrCallbackFailures.name)).toEqual([
      [{ [ATTR.source]: "workday" }, 1],
      [{ [ATTR.source]: "successfactors" }, 1],
    ]);
  });
});
