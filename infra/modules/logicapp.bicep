// The Logic App (Consumption) that HR systems can push to: normalized JSON events go to POST /api/hr/events,
// bulk CSV to POST /api/onboarding/batches, whose 202 + Location the workflow polls until the final report.
// The workflow definition is infra/logicapp/workflow.json, validated offline by test/unit/infra/.
param location string
param tags object
param logicAppName string
param functionAppName string

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource workflow 'Microsoft.Logic/workflows@2019-05-01' = {
  name: logicAppName
  location: location
  tags: tags
  properties: {
    state: 'Enabled'
    definition: loadJsonContent('../logicapp/workflow.json')
    parameters: {
      functionAppBaseUrl: {
        value: 'https://${functionApp.properties.defaultHostName}'
      }
      // Read from the Function App at deployment time; it is a securestring, so the workflow never shows it.
      functionKey: {
        value: listKeys('${functionApp.id}/host/default', '2024-04-01').functionKeys.default
      }
    }
  }
}

output name string = workflow.name
