// The Logic App (Consumption) that HR systems can push to: normalized JSON events go to POST /api/hr/events,
// bulk CSV to POST /api/onboarding/batches, whose 202 it follows by polling GET /api/onboarding/batches/{id}
// until the final report. The workflow definition is infra/logicapp/workflow.json, validated offline by
// test/infra/. Its system-assigned identity reads, at run time, the keys of exactly the routes it calls
// from Key Vault (the app's HR_EVENTS_FUNCTION_KEY and ONBOARDING_BATCHES_FUNCTION_KEY); it holds no host key,
// so it cannot approve deactivations, import mappings or replay quarantine.
param location string
param tags object
param logicAppName string
param functionAppName string
param keyVaultName string

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource workflow 'Microsoft.Logic/workflows@2019-05-01' = {
  name: logicAppName
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    state: 'Enabled'
    definition: loadJsonContent('../logicapp/workflow.json')
    parameters: {
      functionAppBaseUrl: {
        value: 'https://${functionApp.properties.defaultHostName}'
      }
      keyVaultUri: {
        value: keyVault.properties.vaultUri
      }
    }
  }
}

// Key Vault Secrets User, so the workflow can read the keys of the routes it calls. Vault-wide, because the
// secrets are created after deployment; narrow it to those secrets once they exist if the vault holds others.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, workflow.id, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
    principalId: workflow.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = workflow.name
