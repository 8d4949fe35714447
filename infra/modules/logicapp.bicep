// The Logic App (Consumption) that HR systems can push to: normalized JSON events go to POST /api/hr/events,
// bulk CSV to POST /api/onboarding/batches, whose 202 it follows by polling GET /api/onboarding/batches/{id}
// until the final report. The workflow definition is infra/logicapp/workflow.json, validated offline by
// test/unit/infra/. Its system-assigned identity reads the key for /api/hr/events from Key Vault at run time.
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
      // Read from the Function App at deployment time; a securestring, so the workflow never shows it.
      functionKey: {
        value: listKeys('${functionApp.id}/host/default', '2024-04-01').functionKeys.default
      }
      keyVaultUri: {
        value: keyVault.properties.vaultUri
      }
    }
  }
}

// Key Vault Secrets User, so the workflow can read the key POST /api/hr/events accepts. Vault-wide, because the
// secret is created after deployment; narrow it to that secret once it exists if the vault holds others.
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
