/**
 * Request examples for the API document, copied from the test fixtures (the test of the document checks that
 * each is still its fixture, and that it passes its own schema). XML fixtures lose their leading comment.
 */

/** `test/fixtures/hr/normalized-event-hire.json` */
export const NORMALIZED_EVENT_EXAMPLE = {
  eventId: "wd-4a6f1c2e",
  type: "hire",
  effectiveDate: "2026-12-01",
  worker: {
    employeeId: "100482",
    email: "jane.doe@example.com",
    firstName: "Jane",
    lastName: "Doe",
    preferredName: "Jane",
    title: "Senior Technical Support",
    department: "Support",
    location: "Dublin",
    country: "IE",
    managerEmployeeId: "100305",
    managerEmail: "m@example.com",
  },
};

/** `test/fixtures/hr/bulk-onboarding.csv`: its third row has no email, so that row is quarantined. */
export const BULK_CSV_EXAMPLE =
  'employeeId,email,firstName,lastName,title,department,location,country,managerEmail,effectiveDate\r\n200001,ann.one@example.com,Ann,One,Technical Support,Support,Dublin,IE,m@example.com,2026-12-01\r\n200002,bob.two@example.com,Bob,"Two, Jr.","Agent ""Tier 1""",Support,"Cork\r\nOffice",IE,m@example.com,2026-12-01\r\n200003,,Cat,Three,Technical Support,Support,Dublin,IE,m@example.com,2026-12-01\r\n200004,dan.four@example.com,Dan,Four,Sales Agent,Sales,London,GB,,2027-01-04\r\n';

/** `test/fixtures/hr/sf-een-hire.xml` */
export const SF_EXTERNAL_EVENT_EXAMPLE =
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ns3:ExternalEvent xmlns:ns2="http://www.boomi.com/connector/wss" xmlns:ns3="http://notification.event.successfactors.com"> <ns3:externalEventMeta> <ns3:externalEventId>11111111-1111-4111-8111-111111111111</ns3:externalEventId> <ns3:type>com.successfactors.Employment.AssignmentInformation.Hire</ns3:type> <ns3:publishedAt>1780000000000</ns3:publishedAt> <ns3:publishedBy>82094</ns3:publishedBy> <ns3:effective>future</ns3:effective> <ns3:repost>false</ns3:repost> </ns3:externalEventMeta> <ns3:events> <ns3:event> <ns3:eventId>aaaaaaaa-0000-4000-8000-000000000001</ns3:eventId> <ns3:entityType>EmpJob</ns3:entityType> <ns3:effectiveStartDate>2026-12-01</ns3:effectiveStartDate> <ns3:publishedAt>1780000000000</ns3:publishedAt> <ns3:publishedBy>82094</ns3:publishedBy> <ns3:repost>false</ns3:repost> <ns3:entityKeys> <ns3:entityKey> <name>seqNumber</name> <value>1</value> </ns3:entityKey> <ns3:entityKey> <name>userId</name> <value>90001</value> </ns3:entityKey> <ns3:entityKey> <name>startDate</name> <value>2026-12-01</value> </ns3:entityKey> </ns3:entityKeys> <ns3:params> <ns3:param> <name>personIdExternal</name> <value>90001</value> </ns3:param> </ns3:params> </ns3:event> </ns3:events> </ns3:ExternalEvent></soap:Body></soap:Envelope>\n';

/** `test/fixtures/hr/sf-integration-center-location-change.json` */
export const SF_INTEGRATION_CENTER_EXAMPLE = {
  businessUnit: "Products",
  country: "AUS",
  department: "Engineering AU",
  email: "Simon.Rampal@bestrunsap.com",
  jobTitle: "Engineering Intern",
  locationCode: "8510-0001",
  locationDesc: "Sydney",
  name: "Testing name",
  reason: "LOC_CHG",
  userId: "106003",
};

/** `test/fixtures/hr/workday-notification-hire.xml`, with the credentials' local values replaced by their settings' names. */
export const WORKDAY_NOTIFICATION_EXAMPLE =
  '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wd="urn:com.workday/bsvc" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">\n   <env:Header>\n      <wsa:Action>urn:com.workday/bsvc:NotificationPort:Receive_NotificationInput</wsa:Action>\n      <wsa:MessageID>uuid:0f1e2d3c4b5a69788796a5b4c3d2e1a1</wsa:MessageID>\n      <wsa:To>http://localhost:7071/api/hr/workday</wsa:To>\n      <wsa:From><wsa:Address>http://balance.svc.impl.wd2.wd:19110/ccx/ExternalSystemNotificationService</wsa:Address></wsa:From>\n      <wd:Integration_Correlation_ID>0f1e2d3c4b5a69788796a5b4c3d2e1a1</wd:Integration_Correlation_ID>\n      <wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" env:mustUnderstand="1">\n         <wsse:UsernameToken>\n            <wsse:Username>{WORKDAY_NOTIFICATION_USER}</wsse:Username>\n            <wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">{WORKDAY_NOTIFICATION_PASSWORD}</wsse:Password>\n         </wsse:UsernameToken>\n      </wsse:Security>\n   </env:Header>\n   <env:Body>\n      <wd:Notification_Data wd:version="v40.0">\n         <wd:Event_Data>\n            <wd:Event_Reference wd:Descriptor="Hire Employee: worker 100482">\n               <wd:ID wd:type="WID">d52ce4847929010e0e2969a1dc0326a1</wd:ID>\n            </wd:Event_Reference>\n            <wd:Event_Name>Hire Employee Event</wd:Event_Name>\n            <wd:Notification_Trigger>Completed</wd:Notification_Trigger>\n            <wd:Event_Completion_Date>2026-02-10T11:10:27.835-07:00</wd:Event_Completion_Date>\n            <wd:Event_Effective_Date>2026-12-01-07:00</wd:Event_Effective_Date>\n            <wd:Tenant_Name>lifecycle_impl</wd:Tenant_Name>\n            <wd:System_ID>genesys_lifecycle</wd:System_ID>\n            <wd:Transaction_Target_Reference wd:Descriptor="Worker 100482">\n               <wd:ID wd:type="WID">4a6f1c2e000000000000000000000482</wd:ID>\n               <wd:ID wd:type="Employee_ID">100482</wd:ID>\n            </wd:Transaction_Target_Reference>\n         </wd:Event_Data>\n      </wd:Notification_Data>\n   </env:Body>\n</env:Envelope>\n';
