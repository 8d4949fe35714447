// What operators are told without looking: an action group (e-mail and/or webhook) and one log search alert
// per condition in docs/runbook.md, each over the app's own metrics (src/telemetry/names.ts) in Application
// Insights. Thresholds are parameters; test/infra/alerts.test.ts checks every query's metric names and
// that every rule has its runbook section.
param location string
param tags object
param applicationInsightsId string
param actionGroupName string

@description('E-mail address alerts are sent to; empty for none.')
param alertEmail string = ''

@description('Webhook alerts are posted to (common alert schema): a Teams workflow, an ITSM; empty for none.')
param alertWebhookUrl string = ''

@description('Quarantine growth within an hour that alerts.')
param quarantineGrowthThreshold int = 5

@description('Leavers past the drain deadline within 15 minutes that alert (0: every one).')
param leaverPastDeadlineThreshold int = 0

@description('Minutes a leaver may keep live interactions before it alerts.')
param leaverHoldMinutes int = 60

@description('Hours an approval may wait for an operator before it alerts.')
param approvalMaxPendingHours int = 48

@description('Genesys 429 responses per 5 minutes that, three periods running, alert.')
param rateLimitedThreshold int = 20

@description('Failed calls to Workday or SuccessFactors within 15 minutes that alert.')
param hrCallbackFailureThreshold int = 5

@description('Days before a watched credential expires when it alerts.')
param credentialExpiryDays int = 30

@description('Employees the inbox sweep restarts within an hour that alert.')
param stuckEmployeesThreshold int = 3

var receivers = {
  emailReceivers: empty(alertEmail)
    ? []
    : [{ name: 'operators-email', emailAddress: alertEmail, useCommonAlertSchema: true }]
  webhookReceivers: empty(alertWebhookUrl)
    ? []
    : [{ name: 'operators-webhook', serviceUri: alertWebhookUrl, useCommonAlertSchema: true }]
}

resource actionGroup 'Microsoft.Insights/actionGroups@2022-06-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'lifecycle'
    enabled: true
    emailReceivers: receivers.emailReceivers
    webhookReceivers: receivers.webhookReceivers
  }
}

var common = {
  location: location
  tags: tags
  scope: applicationInsightsId
  actionGroupId: actionGroup.id
}

module quarantineGrowing 'log-alert.bicep' = {
  name: 'alert-quarantine-growing'
  params: {
    location: common.location
    tags: common.tags
    scope: common.scope
    actionGroupId: common.actionGroupId
    name: 'lifecycle-quarantine-growing'
    displayName: 'Quarantine growing'
    description: 'More HR events quarantined within an hour than the threshold: often an HR or mapping change.'
    severity: 2
    query: '''
customMetrics
| where name == "lifecycle.quarantine.size"
| summarize (firstAt, first) = arg_min(timestamp, value), (lastAt, last) = arg_max(timestamp, value)
| project measure = last - first
'''
    operator: 'GreaterThanOrEqual'
    threshold: quarantineGrowthThreshold
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    runbookAnchor: 'quarantine-growing'
  }
}

module leaverPastDeadline 'log-alert.bicep' = {
  name: 'alert-leaver-past-deadline'
  params: {
    location: common.location
    tags: common.tags
    scope: common.scope
    actionGroupId: common.actionGroupId
    name: 'lifecycle-leaver-past-deadline'
    displayName: 'Leaver past the drain deadline'
    description: 'A leaver still held live interactions at the drain deadline, so the fallback (down to disconnecting) applied.'
    severity: 1
    query: '''
customMetrics
| where name == "lifecycle.leavers.past_deadline"
| summarize measure = sum(valueSum)
'''
    operator: 'GreaterThan'
    threshold: leaverPastDeadlineThreshold
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    runbookAnchor: 'leaver-past-the-drain-deadline'
  }
}

module leaverHoldingInteractions 'log-alert.bicep' = {
  name: 'alert-leaver-holding-interactions'
  params: {
    location: common.location
    tags: common.tags
    scope: common.scope
    actionGroupId: common.actionGroupId
    name: 'lifecycle-leaver-holding-interactions'
    displayName: 'Leaver holding live interactions'
    description: 'A leaver has held live interactions for longer than the threshold, in minutes, and still holds them.'
    severity: 2
    query: '''
customMetrics
| where name == "lifecycle.leaver.live_interactions"
| extend employee = tostring(customDimensions["lifecycle.employee_key"]), event = tostring(customDimensions["lifecycle.hr.event_id"])
| summarize firstLive = minif(timestamp, value > 0), (lastAt, lastValue) = arg_max(timestamp, value) by employee, event
| where lastValue > 0
| project employee, event, measure = datetime_diff("minute", lastAt, firstLive)
'''
    operator: 'GreaterThan'
    threshold: leaverHoldMinutes
    dimensions: ['employee', 'event']
    evaluationFrequency: 'PT15M'
    windowSize: 'PT6H'
    runbookAnchor: 'leaver-holding-live-interactions'
  }
}

module approvalsPending 'log-alert.bicep' = {
  name: 'alert-approvals-pending'
  params: {
    location: common.location
    tags: common.tags
    scope: common.scope
    actionGroupId: common.actionGroupId
    name: 'lifecycle-approval-pending-too-long'
    displayName: 'Approval pending too long'
    description: 'A leaver paused by the deactivation guard has waited longer than the threshold, in hours, for an operator.'
    severity: 2
    query: '''
customMetrics
| where name == "lifecycle.approvals.oldest_age"
| summarize measure = max(value) / 3600.0
'''
    operator: 'GreaterThan'
    threshold: approvalMaxPendingHours
    evaluationFrequency: 'PT15M'
    windowSize: 'PT30M'
    runbookAnchor: 'approval-pending-too-long'
  }
}

module sustainedRateLimits 'log-alert.bicep' = {
  name: 'alert-sustained-429s'
  params: {
    location: common.location
    tags: common.tags
    scope: common.scope
    actionGroupId: common.actionGroupId
    name: 'lifecycle-genesys-sustained-429s'
    displayName: 'Genesys rate limits sustained'
    description: 'Genesys answered 429 more often than the threshold in each of three 5-minute periods running.'
    severity: 2
    query: '''
customMetrics
| where name == "genesys.requests"
| where toint(customDimensions["http.response.status_code"]) == 429
| summarize measure = sum(valueSum)
'''
    operator: 'GreaterThan'
    threshold: rateLimitedThreshold
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    failingPeriods: 3
    runbookAnchor: 'genesys-rate-limits-sustained'
  }
}

module hrApiUnreachable 'log-alert.bicep' = {
  name: 'alert-hr-api-unreachable'
  params: {
    location: common.location
    tags: common.tags
    scope: common.scope
    actionGroupId: common.actionGroupId
    name: 'lifecycle-hr-api-unreachable'
    displayName: 'HR API unreachable'
    description: 'Calls back to Workday or SuccessFactors failed more often than the threshold within 15 minutes.'
    severity: 1
    query: '''
customMetrics
| where name == "lifecycle.hr.callback.failures"
| extend source = tostring(customDimensions["lifecycle.hr.source"])
| summarize measure = sum(valueSum) by source
'''
    operator: 'GreaterThanOrEqual'
    threshold: hrCallbackFailureThreshold
    dimensions: ['source']
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    runbookAnchor: 'hr-api-unreachable'
  }
}

module credentialExpiring 'log-alert.bicep' = {
  name: 'alert-credential-expiring'
  params: {
    location: common.location
    tags: common.tags
    scope: common.scope
    actionGroupId: common.actionGroupId
    name: 'lifecycle-credential-expiring'
    displayName: 'Credential expiring'
    description: 'The Genesys client secret or another watched Key Vault credential expires within the threshold, in days.'
    severity: 2
    query: '''
customMetrics
| where name == "lifecycle.credential.expires_in"
| extend credential = tostring(customDimensions["lifecycle.credential"])
| summarize measure = min(value) by credential
'''
    operator: 'LessThanOrEqual'
    threshold: credentialExpiryDays
    dimensions: ['credential']
    evaluationFrequency: 'PT1H'
    windowSize: 'PT1H'
    runbookAnchor: 'credential-expiring'
  }
}

module stuckEmployees 'log-alert.bicep' = {
  name: 'alert-stuck-employees'
  params: {
    location: common.location
    tags: common.tags
    scope: common.scope
    actionGroupId: common.actionGroupId
    name: 'lifecycle-inbox-sweep-stuck-employees'
    displayName: 'Inbox sweep finding stuck employees'
    description: 'The inbox sweep restarted more employees within an hour than the threshold: events were waiting with nothing running.'
    severity: 3
    query: '''
customMetrics
| where name == "lifecycle.sweep.stuck_employees"
| summarize measure = sum(valueSum)
'''
    operator: 'GreaterThanOrEqual'
    threshold: stuckEmployeesThreshold
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    runbookAnchor: 'inbox-sweep-finding-stuck-employees'
  }
}

output actionGroupId string = actionGroup.id
