// The Function App on the Flex Consumption plan: Node 20, system-assigned identity, identity-based storage,
// and exactly the app settings the product's configuration schema defines (src/config/settings.ts) plus the
// few the Functions host owns. test/infra/app-settings.test.ts fails when the two drift apart.
param location string
param tags object
param functionAppName string
param planName string
param storageAccountName string
param deploymentContainerUrl string
param applicationInsightsConnectionString string
param keyVaultUri string
param genesysRegion string
param genesysApiBaseUrl string
param genesysLoginBaseUrl string
param genesysClientId string
param genesysClientSecretName string
param genesysRequestsPerMinute int
param genesysTokenPoolSize int
param maximumInstanceCount int
param workdayNotificationUser string = ''
param sfNotificationUser string = ''
param workdayApiUrl string = ''
param workdayApiUser string = ''
param workdayRaasFieldMap string = ''
param workdayReconciliationReportUrl string = ''
param reconciliationSchedule string = '0 0 2 * * *'
param reconciliationGenesysMode string = 'report'
param sfApiUrl string = ''
param sfApiUser string = ''
@allowed(['oauth', 'basic'])
param sfApiAuth string = 'oauth'
param sfCompanyId string = ''
param sfOauthClientId string = ''
param sfOauthKeySecretName string = 'successfactors-oauth'
param sfIntegrationCenterFieldMap string = ''

@description('Key Vault secrets or certificates whose expiry the app reports (CREDENTIAL_EXPIRY_WATCH).')
param watchedCredentialNames array = []

@description('Application (client) id of the Entra ID app registration with the Lifecycle app roles; empty leaves App Service authentication off, and every operator route answers 401.')
param entraClientId string = ''

@allowed([2048, 4096])
param instanceMemoryMB int = 2048

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  // azd finds the deployment target for the `api` service in azure.yaml by this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    // On Flex Consumption the runtime lives here, not in FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION.
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: '20'
      }
    }
  }
}

var storageSuffix = environment().suffixes.storage

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: {
    // Host-owned: identity-based storage for the host and the Durable task hub, and telemetry over Entra ID.
    AzureWebJobsStorage__accountName: storageAccountName
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'

    // The product's settings, one for each entry of SETTINGS in src/config/settings.ts.
    TABLES_CONNECTION: 'https://${storageAccountName}.table.${storageSuffix}'
    GENESYS_REGION: genesysRegion
    GENESYS_API_BASE_URL: genesysApiBaseUrl
    GENESYS_LOGIN_BASE_URL: genesysLoginBaseUrl
    GENESYS_CLIENT_ID: genesysClientId
    // Empty on purpose: the app reads the secret from KEY_VAULT_URL itself, so a rotated secret is used at once.
    GENESYS_CLIENT_SECRET: ''
    KEY_VAULT_URL: keyVaultUri
    GENESYS_CLIENT_SECRET_NAME: genesysClientSecretName
    GENESYS_REQUESTS_PER_MINUTE: string(genesysRequestsPerMinute)
    GENESYS_TOKEN_POOL_SIZE: string(genesysTokenPoolSize)
    GENESYS_CLIENT_REQUESTS_PER_MINUTE: '3000'
    // Each instance spends its share of the client's cap: the cap divided by the most instances that may run.
    GENESYS_MAX_INSTANCES: string(maximumInstanceCount)
    GENESYS_RATE_PAUSE_BELOW_REMAINING: '50'
    GENESYS_RATE_PAUSE_SECONDS: '60'
    GENESYS_MAX_WAIT_IN_ACTIVITY_SECONDS: '10'
    ONBOARDING_BATCH_SIZE: '10'
    ONBOARDING_BATCH_INTERVAL_MS: '1000'
    HIRE_LEAD_TIME_DAYS: '3'
    LEAVER_DRAIN_DEADLINE_MINUTES: '120'
    LEAVER_RECHECK_SECONDS: '300'
    LEAVER_ALLOW_OFFLINE_TARGETS: 'false'
    DEACTIVATION_GUARD_MAX_COUNT: '25'
    DEACTIVATION_GUARD_MAX_PERCENT: '10'
    DEACTIVATION_GUARD_WINDOW_MINUTES: '60'
    APPROVAL_TIMEOUT_HOURS: '72'
    HR_OUTAGE_RETRY_HOURS: '24'
    HR_RETRY_FIRST_SECONDS: '30'
    HR_RETRY_MAX_SECONDS: '900'
    ONBOARDING_BATCH_MAX_ROWS: '5000'

    // Reconciliation (docs/reconciliation.md): when it runs, and whether drift in Genesys is fixed or reported.
    RECONCILIATION_SCHEDULE: reconciliationSchedule
    RECONCILIATION_GENESYS_MODE: reconciliationGenesysMode
    RECONCILIATION_FIRST_WINDOW_DAYS: '30'
    RECONCILIATION_SLICE_CALLS: '25'
    RECONCILIATION_SLICE_PAUSE_MS: '1000'
    RECONCILIATION_AUDIT_QUERIES: '50'

    // Telemetry (docs/telemetry.md): traces and metrics go to Application Insights through the connection
    // string and Entra ID above; an OTLP collector and the console are for other setups.
    OTEL_EXPORTER_OTLP_ENDPOINT: ''
    OTEL_SERVICE_NAME: 'genesys-lifecycle'
    TELEMETRY_CONSOLE: 'false'
    TELEMETRY_METRIC_INTERVAL_SECONDS: '60'
    CREDENTIAL_EXPIRY_WATCH: join(watchedCredentialNames, ',')

    // HR intake. Secrets stay empty until their Key Vault secret exists: then set them to a Key Vault
    // reference (docs/deploy-azure.md). An empty credential makes its endpoint answer 503, never accept.
    WORKDAY_NOTIFICATION_USER: workdayNotificationUser
    SF_NOTIFICATION_USER: sfNotificationUser
    WORKDAY_API_URL: workdayApiUrl
    WORKDAY_API_USER: workdayApiUser
    WORKDAY_RAAS_FIELD_MAP: workdayRaasFieldMap
    WORKDAY_RECONCILIATION_REPORT_URL: workdayReconciliationReportUrl
    SF_API_URL: sfApiUrl
    SF_API_USER: sfApiUser
    SF_API_AUTH: sfApiAuth
    SF_COMPANY_ID: sfCompanyId
    SF_OAUTH_CLIENT_ID: sfOauthClientId
    // The OAuth client's private key is a Key Vault certificate (imported as PEM) read with the identity on each
    // token request, so these two stay empty and a renewed certificate is used without a restart.
    SF_OAUTH_PRIVATE_KEY: ''
    SF_OAUTH_PRIVATE_KEY_FILE: ''
    SF_OAUTH_KEY_SECRET_NAME: sfOauthKeySecretName
    SF_OAUTH_ASSERTION_LIFETIME_MINUTES: '10'
    SF_INTEGRATION_CENTER_FIELD_MAP: sfIntegrationCenterFieldMap
    WORKDAY_NOTIFICATION_PASSWORD: ''
    SF_NOTIFICATION_PASSWORD: ''
    HR_EVENTS_HMAC_SECRET: ''
    HR_EVENTS_FUNCTION_KEY: ''
    ONBOARDING_BATCHES_FUNCTION_KEY: ''
    WORKDAY_API_PASSWORD: ''
    SF_API_PASSWORD: ''
  }
}

// App Service authentication with Entra ID. It validates a caller's token when one is sent and passes the
// verified principal (x-ms-client-principal, with the app roles) to the app; it removes any such header a
// caller sends. Requests without a token still reach the app (AllowAnonymous): HR systems authenticate
// their messages themselves, and the app answers 401 or 403 on every operator route by role.
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(entraClientId)) {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: entraClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${entraClientId}'
            entraClientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
output principalId string = functionApp.identity.principalId
