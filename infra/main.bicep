// Everything `azd up` deploys for genesys-lifecycle: one resource group holding the Function App (Flex
// Consumption, Node 20, system-assigned identity), its storage account, Key Vault, Application Insights with
// Log Analytics, the identity's role assignments, the Logic App that HR systems can target, and the alert
// rules, action group and workbook operators watch (docs/runbook.md).
// No secret is passed in here: the Genesys client secret and the SuccessFactors OAuth key are put into Key Vault
// after deployment (docs/deploy-azure.md, docs/successfactors-oauth.md).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; used for the resource group name and the resource name suffix.')
param environmentName string

@minLength(1)
@description('Azure region for every resource. It must offer the Flex Consumption plan.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the person running azd: granted Key Vault Secrets Officer so they can set the Genesys secret. Leave empty to grant nothing.')
param principalId string = ''

@allowed(['User', 'ServicePrincipal'])
@description('Kind of principal principalId is: a person, or the service principal of a pipeline running azd.')
param principalType string = 'User'

@description('Genesys Cloud region: an SDK key such as eu_west_1 or a domain such as mypurecloud.ie.')
param genesysRegion string

@description('Genesys Cloud OAuth client id (client-credentials grant). The secret goes into Key Vault, never here.')
param genesysClientId string

@description('Explicit Genesys API base URL (a proxy); empty to derive it from the region.')
param genesysApiBaseUrl string = ''

@description('Explicit Genesys login base URL; empty to derive it from the region.')
param genesysLoginBaseUrl string = ''

@description('Name of the Key Vault secret that holds the Genesys OAuth client secret.')
param genesysClientSecretName string = 'genesys-client-secret'

@minValue(1)
@description('Rate budget per OAuth token, in requests per minute (Genesys default: 300).')
param genesysRequestsPerMinute int = 300

@minValue(1)
@description('OAuth tokens to spread load over, from the same client.')
param genesysTokenPoolSize int = 1

@description('User name in the WS-Security UsernameToken of Workday notifications; the Workday endpoint answers 503 until it is set.')
param workdayNotificationUser string = ''

@description('HTTP Basic user SuccessFactors uses; the SuccessFactors endpoint answers 503 until it is set.')
param sfNotificationUser string = ''

@description('Workday Human_Resources service URL for Get_Workers callbacks.')
param workdayApiUrl string = ''

@description('Workday integration system user for Get_Workers.')
param workdayApiUser string = ''

@description('JSON field map for Workday RaaS reports; built-in aliases when empty.')
param workdayRaasFieldMap string = ''

@description('A Workday RaaS report reconciliation reads instead of Get_Workers; empty: Get_Workers.')
param workdayReconciliationReportUrl string = ''

@description('When reconciliation runs: an NCRONTAB schedule in UTC, or off.')
param reconciliationSchedule string = '0 0 2 * * *'

@allowed(['report', 'fix'])
@description('Whether reconciliation only reports drift in Genesys, or fixes it too.')
param reconciliationGenesysMode string = 'report'

@description('SuccessFactors API server for OData callbacks.')
param sfApiUrl string = ''

@description('SuccessFactors OData API user: with OAuth its userId, with Basic username@companyId.')
param sfApiUser string = ''

@allowed(['oauth', 'basic'])
@description('How OData callbacks authenticate: OAuth 2.0 SAML bearer (default) or legacy HTTP Basic.')
param sfApiAuth string = 'oauth'

@description('SuccessFactors company id, for OAuth.')
param sfCompanyId string = ''

@description('API key of the OAuth client registered in SuccessFactors (Manage OAuth2 Client Applications).')
param sfOauthClientId string = ''

@description('Key Vault certificate (PEM) or secret holding the OAuth client private key; imported after deployment.')
param sfOauthKeySecretName string = 'successfactors-oauth'

@description('JSON field map for Integration Center messages; the SAP sample names when empty.')
param sfIntegrationCenterFieldMap string = ''

@description('Application (client) id of the Entra ID app registration whose app roles (infra/entra/app-roles.json) say who may read, operate and approve; empty leaves the operator routes closed.')
param entraClientId string = ''

@minValue(40)
@maxValue(1000)
@description('Upper bound on Flex Consumption instances.')
param maximumInstanceCount int = 40

@description('Deploy the Logic App that forwards HR pushes (JSON events, bulk CSV) to the functions.')
param deployLogicApp bool = true

@description('E-mail address the alerts go to; empty for none.')
param alertEmail string = ''

@description('Webhook the alerts are posted to (common alert schema); empty for none.')
param alertWebhookUrl string = ''

@description('Alert thresholds; each is explained with its alert in docs/runbook.md.')
param alertThresholds object = {
  quarantineGrowth: 5
  leaverHoldMinutes: 60
  approvalMaxPendingHours: 48
  rateLimitedPer5Minutes: 20
  hrCallbackFailuresPer15Minutes: 5
  credentialExpiryDays: 30
  stuckEmployeesPerHour: 3
}

@description('Key Vault secrets or certificates whose expiry is watched, besides the Genesys client secret (e.g. a SuccessFactors certificate).')
param watchedCredentialNames array = []

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

resource resourceGroup 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    storageAccountName: 'st${resourceToken}'
    deploymentContainerName: 'app-package-${resourceToken}'
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    keyVaultName: 'kv-${resourceToken}'
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    functionAppName: 'func-${resourceToken}'
    planName: 'plan-${resourceToken}'
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    keyVaultUri: keyVault.outputs.uri
    genesysRegion: genesysRegion
    genesysApiBaseUrl: genesysApiBaseUrl
    genesysLoginBaseUrl: genesysLoginBaseUrl
    genesysClientId: genesysClientId
    genesysClientSecretName: genesysClientSecretName
    genesysRequestsPerMinute: genesysRequestsPerMinute
    genesysTokenPoolSize: genesysTokenPoolSize
    maximumInstanceCount: maximumInstanceCount
    workdayNotificationUser: workdayNotificationUser
    sfNotificationUser: sfNotificationUser
    workdayApiUrl: workdayApiUrl
    workdayApiUser: workdayApiUser
    workdayRaasFieldMap: workdayRaasFieldMap
    workdayReconciliationReportUrl: workdayReconciliationReportUrl
    reconciliationSchedule: reconciliationSchedule
    reconciliationGenesysMode: reconciliationGenesysMode
    sfApiUrl: sfApiUrl
    sfApiUser: sfApiUser
    sfApiAuth: sfApiAuth
    sfCompanyId: sfCompanyId
    sfOauthClientId: sfOauthClientId
    sfOauthKeySecretName: sfOauthKeySecretName
    sfIntegrationCenterFieldMap: sfIntegrationCenterFieldMap
    entraClientId: entraClientId
    watchedCredentialNames: union([genesysClientSecretName], watchedCredentialNames)
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    actionGroupName: 'ag-${resourceToken}'
    alertEmail: alertEmail
    alertWebhookUrl: alertWebhookUrl
    quarantineGrowthThreshold: alertThresholds.quarantineGrowth
    leaverHoldMinutes: alertThresholds.leaverHoldMinutes
    approvalMaxPendingHours: alertThresholds.approvalMaxPendingHours
    rateLimitedThreshold: alertThresholds.rateLimitedPer5Minutes
    hrCallbackFailureThreshold: alertThresholds.hrCallbackFailuresPer15Minutes
    credentialExpiryDays: alertThresholds.credentialExpiryDays
    stuckEmployeesThreshold: alertThresholds.stuckEmployeesPerHour
  }
}

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: resourceGroup
  params: {
    functionAppPrincipalId: functionApp.outputs.principalId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module logicApp 'modules/logicapp.bicep' = if (deployLogicApp) {
  name: 'logicapp'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    logicAppName: 'logic-hr-${resourceToken}'
    functionAppName: functionApp.outputs.name
    keyVaultName: keyVault.outputs.name
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output LOGIC_APP_NAME string = deployLogicApp ? logicApp.outputs.name : ''
