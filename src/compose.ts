import { TableClient, TableServiceClient } from "@azure/data-tables";
import axios from "axios";
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import type { AppDependencies } from "./app";
import { createGenesysSecretReader, createSigningKeyReader } from "./config/secrets";
import { ConfigurationError, loadSettings, settingsWarnings, type Settings } from "./config/settings";
import { GenesysCloudClient, genesysClientOptionsFromSettings } from "./genesys";
import { createAuditSink } from "./activities/audit-context";
import { CachedOrgDirectory } from "./adapters/cached-org";
import { GenesysOrgDirectory } from "./adapters/genesys-org";
import { ownWaitInMs } from "./adapters/genesys-snapshot";
import { GenesysStateReader } from "./adapters/genesys-state";
import type { LifecycleFunctionsDependencies } from "./functions/lifecycle";
import { ApprovalRepository } from "./storage/approvals";
import { AuditRepository } from "./storage/audit";
import { BatchRepository } from "./storage/batches";
import { EmployeeRepository } from "./storage/employees";
import { TableMappingRepository } from "./storage/mappings";
import { MappingService } from "./storage/mappings-service";
import type { HrFunctionsDependencies } from "./functions/hr";
import { FieldMapSchema } from "./hr/field-map";
import { SuccessFactorsODataClient } from "./hr/successfactors-client";
import { WorkdayWorkersClient } from "./hr/workday-client";
import { WorkdayReportClient } from "./hr/workday-report-client";
import {
  successFactorsReader,
  workdayGetWorkersReader,
  workdayReportReader,
  type HrReader,
} from "./hr/reconciliation-sources";
import type { ReconciliationFunctionsDependencies } from "./functions/reconciliation";
import { ReconciliationRepository } from "./storage/reconciliation";
import { InboxRepository } from "./storage/inbox";
import { IntakeJournal } from "./storage/intake-journal";
import { QuarantineRepository } from "./storage/quarantine";
import type { TableClientFactory } from "./storage/tables";
import { createKeyVaultExpiryReader } from "./config/credential-expiry";
import { countingHandOvers } from "./functions/activity-telemetry";
import { ATTR, NO_TELEMETRY, telemetryFromSettings, type Telemetry } from "./telemetry";

export interface ComposeOptions {
  /** Azure identity for Key Vault and identity-based storage; DefaultAzureCredential when omitted. */
  credential?: TokenCredential;
  /** The telemetry port; built from the settings when omitted (tests pass one with in-memory exporters). */
  telemetry?: Telemetry;
}

/** An HR callback client whose failures are counted per source: the signal that Workday or SuccessFactors is unreachable. */
function countingFailures<C extends object, M extends keyof C & string>(
  client: C,
  method: M,
  source: "workday" | "successfactors",
  telemetry: Telemetry,
): Pick<C, M> {
  if (!telemetry.enabled) return client;
  const call = client[method] as (...args: unknown[]) => Promise<unknown>;
  const counted = async (...args: unknown[]) => {
    try {
      return await call.apply(client, args);
    } catch (error) {
      telemetry.count("hrCallbackFailures", { [ATTR.source]: source });
      throw error;
    }
  };
  return { [method]: counted } as Pick<C, M>;
}

/** Table Storage from a connection string locally, or from an endpoint URL with the managed identity in Azure. */
export function createTableServiceClient(
  settings: Settings,
  credential: () => TokenCredential,
): TableServiceClient {
  const connection = settings.storage.connection.reveal();
  if (/^https?:\/\//i.test(connection)) return new TableServiceClient(connection, credential());
  return TableServiceClient.fromConnectionString(connection, {
    allowInsecureConnection: /UseDevelopmentStorage=true|http:\/\//i.test(connection),
  });
}

/** One Table Storage table, reached the same way as the service client. */
export function createTableClientFactory(
  settings: Settings,
  credential: () => TokenCredential,
): TableClientFactory {
  const connection = settings.storage.connection.reveal();
  if (/^https?:\/\//i.test(connection)) return (name) => new TableClient(connection, name, credential());
  const allowInsecureConnection = /UseDevelopmentStorage=true|http:\/\//i.test(connection);
  return (name) => TableClient.fromConnectionString(connection, name, { allowInsecureConnection });
}

/** The HR intake's repositories and HR callback clients, from the validated settings. */
export function composeHrDependencies(
  settings: Settings,
  tables: TableClientFactory,
  credential: () => TokenCredential,
  telemetry: Telemetry = NO_TELEMETRY,
): HrFunctionsDependencies {
  const hr = settings.hr;
  const deps: HrFunctionsDependencies = {
    inbox: new InboxRepository(tables),
    journal: new IntakeJournal(tables),
    quarantine: new QuarantineRepository(tables),
    settings: hr,
    telemetry,
  };
  const readers: HrReader[] = [];
  let workers: WorkdayWorkersClient | undefined;
  if (hr.workdayApi) {
    workers = new WorkdayWorkersClient({
      serviceUrl: hr.workdayApi.serviceUrl,
      user: hr.workdayApi.user,
      password: hr.workdayApi.password,
    });
    deps.workers = countingFailures(workers, "getWorker", "workday", telemetry);
  }
  // Reconciliation reads Workday through the report when one is configured, else through Get_Workers.
  if (hr.workdayReport) {
    const { reportUrl, user, password } = hr.workdayReport;
    const report = new WorkdayReportClient({ reportUrl, user, password });
    const map = hr.workdayRaasFieldMap ? FieldMapSchema.parse(hr.workdayRaasFieldMap) : undefined;
    readers.push(workdayReportReader(report, map, workers));
  } else if (workers) readers.push(workdayGetWorkersReader(workers));
  if (hr.successFactorsApi) {
    const { baseUrl, auth } = hr.successFactorsApi;
    const odata = new SuccessFactorsODataClient({
      baseUrl,
      credentials:
        auth.kind === "basic"
          ? auth
          : {
              kind: "oauth",
              companyId: auth.companyId,
              clientId: auth.clientId,
              userId: auth.userId,
              assertionLifetimeInMs: auth.assertionLifetimeInMs,
              signingKey: createSigningKeyReader(auth.key, credential),
            },
    });
    deps.odata = countingFailures(odata, "getWorkerSnapshot", "successfactors", telemetry);
    readers.push(successFactorsReader(odata));
  }
  deps.readers = readers;
  if (hr.workdayRaasFieldMap) deps.raasFieldMap = FieldMapSchema.parse(hr.workdayRaasFieldMap);
  if (hr.successFactorsFieldMap)
    deps.integrationCenterFieldMap = FieldMapSchema.parse(hr.successFactorsFieldMap);
  return deps;
}

/** The Genesys client, the lifecycle's repositories and the mapping service, built once. */
export function composeLifecycleDependencies(
  settings: Settings,
  hr: HrFunctionsDependencies,
  tables: TableClientFactory,
  credential: () => TokenCredential,
  telemetry: Telemetry = NO_TELEMETRY,
): LifecycleFunctionsDependencies & { mappings: MappingService } {
  const audit = new AuditRepository(tables("lifecycleaudit"));
  const genesys = new GenesysCloudClient(
    genesysClientOptionsFromSettings(
      settings.genesys,
      createGenesysSecretReader(settings.genesys.clientSecret, credential),
      countingHandOvers(createAuditSink(audit), telemetry),
      telemetry,
    ),
  );
  const approvals = new ApprovalRepository(tables("lifecycleapprovals"));
  const watch = settings.credentialWatch;
  const org = new CachedOrgDirectory(new GenesysOrgDirectory(genesys));
  const employees = new EmployeeRepository(tables("lifecycleemployees"));
  // One service for the activities and the mapping routes: an import is what the next plan reads.
  const mappings = new MappingService({
    repository: new TableMappingRepository(tables("lifecyclemappings")),
    org,
  });
  return {
    mappings,
    activities: {
      genesys,
      org,
      state: new GenesysStateReader(genesys, employees),
      employees,
      inbox: hr.inbox,
      quarantine: hr.quarantine,
      mappings,
      audit,
      approvals,
      batches: new BatchRepository(tables("lifecyclebatches")),
      policy: {
        hireLeadTimeInMs: settings.lifecycle.hireLeadTimeInMs,
        drainDeadlineInMs: settings.lifecycle.drainDeadlineInMs,
        recheckIntervalInMs: settings.lifecycle.recheckIntervalInMs,
        allowOfflineTargets: settings.lifecycle.allowOfflineTargets,
        approvalTimeoutInMs: settings.lifecycle.approvalTimeoutInMs,
        guard: settings.lifecycle.guard,
        hrRetry: settings.lifecycle.hrRetry,
      },
    },
    onboarding: {
      sliceSize: settings.lifecycle.onboardingBatchSize,
      sliceIntervalInMs: settings.lifecycle.onboardingBatchIntervalInMs,
    },
    telemetry,
    gauges: {
      approvals,
      quarantine: hr.quarantine,
      ...(watch ? { credentials: createKeyVaultExpiryReader(watch.vaultUrl, watch.names, credential) } : {}),
    },
  };
}

/**
 * Reconciliation's repositories, HR readers and its Genesys client: the same OAuth client and rate budget as
 * everything else, but one that steps back (a rate-limited error, waited out on a durable timer) when the
 * budget has more than a couple of requests queued, so event processing always goes first.
 */
export function composeReconciliationDependencies(
  settings: Settings,
  hr: HrFunctionsDependencies,
  lifecycle: LifecycleFunctionsDependencies & { mappings: MappingService },
  tables: TableClientFactory,
  credential: () => TokenCredential,
  telemetry: Telemetry = NO_TELEMETRY,
): ReconciliationFunctionsDependencies {
  const { genesys: g } = settings;
  const background = {
    ...genesysClientOptionsFromSettings(
      g,
      createGenesysSecretReader(g.clientSecret, credential),
      undefined,
      telemetry,
    ),
    // Past what its own reads in flight explain, other work is queued for the budget, and that work goes first.
    maxInProcessWaitInMs: ownWaitInMs(g.requestsPerMinute),
  };
  const { activities } = lifecycle;
  return {
    activities: {
      runs: new ReconciliationRepository(tables("lifecyclereconciliation")),
      employees: activities.employees,
      audit: activities.audit,
      mappings: lifecycle.mappings,
      org: activities.org,
      hrReaders: hr.readers ?? [],
      genesys: (onCall) => {
        const http = axios.create();
        http.interceptors.request.use((config) => {
          onCall();
          return config;
        });
        return new GenesysCloudClient({ ...background, http });
      },
      ownClientId: g.clientId,
      requestsPerMinute: Math.min(g.requestsPerMinute * g.tokenPoolSize, g.clientRequestsPerMinute),
      firstWindowInMs: settings.reconciliation.firstWindowInMs,
      auditQueries: settings.reconciliation.auditQueries,
      telemetry,
    },
    settings: settings.reconciliation,
    telemetry,
  };
}

/**
 * The composition root: reads configuration once and builds every client the functions use.
 * An invalid configuration still yields a health endpoint, which answers 503 with the full report, so an
 * operator who deployed a typo sees exactly what to fix.
 */
export function composeDependencies(env: NodeJS.ProcessEnv, options: ComposeOptions = {}): AppDependencies {
  let settings: Settings;
  try {
    settings = loadSettings(env);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    console.error(error.message);
    return {
      health: {
        configuration: async () => {
          throw error;
        },
      },
    };
  }

  for (const warning of settingsWarnings(settings, env)) console.warn(`Warning: ${warning}`);

  let credential = options.credential;
  const getCredential = () => (credential ??= new DefaultAzureCredential());
  const tables = createTableServiceClient(settings, getCredential);
  const tableClients = createTableClientFactory(settings, getCredential);

  const telemetry = options.telemetry ?? telemetryFromSettings(settings.telemetry, getCredential);

  let hr: HrFunctionsDependencies;
  try {
    hr = composeHrDependencies(settings, tableClients, getCredential, telemetry);
  } catch (error) {
    // An unknown event field in a field map: reported like any other configuration problem.
    const problem = new ConfigurationError([
      {
        setting: "WORKDAY_RAAS_FIELD_MAP / SF_INTEGRATION_CENTER_FIELD_MAP",
        problem: `names an unknown event field: ${error instanceof Error ? error.message : String(error)}`,
      },
    ]);
    console.error(problem.message);
    return {
      health: {
        configuration: async () => {
          throw problem;
        },
      },
    };
  }

  const lifecycle = composeLifecycleDependencies(settings, hr, tableClients, getCredential, telemetry);
  const reconciliation = composeReconciliationDependencies(
    settings,
    hr,
    lifecycle,
    tableClients,
    getCredential,
    telemetry,
  );
  // App Service sets WEBSITE_AUTH_ENABLED when its authentication runs in front of the app (the local host
  // does too, standing in for it); only then can x-ms-client-principal be trusted.
  const platformAuthentication = /^true$/i.test(env.WEBSITE_AUTH_ENABLED ?? "");
  if (!platformAuthentication) {
    console.warn(
      "App Service authentication is not enabled (WEBSITE_AUTH_ENABLED): operator routes answer 401 to everyone",
    );
  }
  return {
    telemetry,
    hr,
    lifecycle: {
      ...lifecycle,
      ...(hr.settings.batchesFunctionKey ? { batchesFunctionKey: hr.settings.batchesFunctionKey } : {}),
    },
    platformAuthentication,
    reconciliation,
    mappings: {
      service: lifecycle.mappings,
      org: lifecycle.activities.org,
      state: lifecycle.activities.state,
    },
    health: {
      configuration: async () => undefined,
      storage: async () => {
        await tables.getProperties();
      },
      // The client's own first token: the probe checks the credentials the app uses, without a token of its own.
      genesys: async () => {
        await lifecycle.activities.genesys.tokenPool.slots[0].tokens.getToken();
      },
    },
  };
}
