// One log search alert on the app's telemetry in Application Insights. The query returns one row per thing
// watched (per credential, per HR source…) with a numeric column, `measure`, compared with the threshold.
// Every rule links to its section of docs/runbook.md in the alert's custom properties.
param location string
param tags object
param name string
param displayName string
param description string

@minValue(0)
@maxValue(4)
param severity int

@description('KQL over customMetrics; it must return the numeric column measure.')
param query string

@allowed(['GreaterThan', 'GreaterThanOrEqual', 'LessThan', 'LessThanOrEqual'])
param operator string
param threshold int

@description('Columns the query returns besides measure, each alerting on its own (a credential, an HR source).')
param dimensions array = []
param evaluationFrequency string
param windowSize string

@description('Consecutive evaluations that must breach before the alert fires: more than one means sustained.')
param failingPeriods int = 1
param scope string
param actionGroupId string
param runbookAnchor string

resource rule 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: name
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: displayName
    description: description
    severity: severity
    enabled: true
    scopes: [scope]
    evaluationFrequency: evaluationFrequency
    windowSize: windowSize
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: query
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'measure'
          dimensions: [for column in dimensions: { name: column, operator: 'Include', values: ['*'] }]
          operator: operator
          threshold: threshold
          failingPeriods: {
            numberOfEvaluationPeriods: failingPeriods
            minFailingPeriodsToAlert: failingPeriods
          }
        }
      ]
    }
    actions: {
      actionGroups: [actionGroupId]
      customProperties: {
        runbook: 'docs/runbook.md#${runbookAnchor}'
      }
    }
  }
}

output id string = rule.id
