// The operators' workbook in Application Insights: the main figures of infra/monitoring/lifecycle.workbook.json,
// over the app's metrics and spans. test/infra/workbook.test.ts validates it offline.
param location string
param tags object
param applicationInsightsId string

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // A workbook's name is a GUID; this one is stable per Application Insights component.
  name: guid(applicationInsightsId, 'genesys-lifecycle-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Genesys lifecycle'
    category: 'workbook'
    sourceId: applicationInsightsId
    version: 'Notebook/1.0'
    serializedData: loadTextContent('../monitoring/lifecycle.workbook.json')
  }
}

output id string = workbook.id
