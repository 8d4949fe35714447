// The Function App on the Flex Consumption plan: Node 20, system-assigned identity, identity-based storage,
// and exactly the app settings the product's configuration schema defines (src/config/settings.ts) plus the
// few the Functions host owns. test/unit/infra/app-settings.test.ts fails when the two drift apart.
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
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
output principalId string = functionApp.identity.principalId
