// Log Analytics plus a workspace-based Application Insights. Local (key) authentication is off, so the
// Function App's identity publishes telemetry with Entra ID (Monitoring Metrics Publisher, roles.bicep).
param location string
param tags object
param logAnalyticsName string
param applicationInsightsName string

@minValue(30)
@description('Days to keep logs; lifecycle audit lives in Table Storage, not here.')
param retentionInDays int = 30

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: true
  }
}

output applicationInsightsName string = applicationInsights.name
output applicationInsightsId string = applicationInsights.id
// The connection string identifies the component; with local auth disabled it grants nothing by itself.
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString
