import { escapeXml } from "../../src/hr/xml";

/** One worker as Workday would hold them, in the fields the lifecycle reads. */
export interface WorkdayWorkerFixture {
  employeeId: string;
  email: string;
  firstName: string;
  lastName: string;
  title: string;
  department?: string;
  /** yyyy-MM-dd */
  hireDate: string;
  /** yyyy-MM-dd: the worker is terminated from this day. */
  terminationDate?: string;
}

/** A `Get_Workers` response document for these workers, to load into the Workday emulator. */
export function workdayWorkersDocument(workers: readonly WorkdayWorkerFixture[]): string {
  const x = escapeXml;
  const worker = (w: WorkdayWorkerFixture) => `
      <wd:Worker>
        <wd:Worker_Reference><wd:ID wd:type="Employee_ID">${x(w.employeeId)}</wd:ID></wd:Worker_Reference>
        <wd:Worker_Data>
          <wd:Worker_ID>${x(w.employeeId)}</wd:Worker_ID>
          <wd:Personal_Data>
            <wd:Name_Data><wd:Legal_Name_Data><wd:Name_Detail_Data>
              <wd:First_Name>${x(w.firstName)}</wd:First_Name><wd:Last_Name>${x(w.lastName)}</wd:Last_Name>
            </wd:Name_Detail_Data></wd:Legal_Name_Data></wd:Name_Data>
            <wd:Contact_Data><wd:Email_Address_Data>
              <wd:Email_Address>${x(w.email)}</wd:Email_Address>
              <wd:Usage_Data wd:Public="1"><wd:Type_Data wd:Primary="1">
                <wd:Type_Reference><wd:ID wd:type="Communication_Usage_Type_ID">WORK</wd:ID></wd:Type_Reference>
              </wd:Type_Data></wd:Usage_Data>
            </wd:Email_Address_Data></wd:Contact_Data>
          </wd:Personal_Data>
          <wd:Employment_Data>
            <wd:Worker_Job_Data wd:Primary_Job="1">
              <wd:Position_Data><wd:Business_Title>${x(w.title)}</wd:Business_Title></wd:Position_Data>
            </wd:Worker_Job_Data>
            <wd:Worker_Status_Data>
              <wd:Active>${w.terminationDate ? 0 : 1}</wd:Active>
              <wd:Hire_Date>${x(w.hireDate)}-00:00</wd:Hire_Date>
              <wd:Terminated>${w.terminationDate ? 1 : 0}</wd:Terminated>
              ${w.terminationDate ? `<wd:Termination_Date>${x(w.terminationDate)}-00:00</wd:Termination_Date>` : ""}
            </wd:Worker_Status_Data>
          </wd:Employment_Data>
          <wd:Organization_Data><wd:Worker_Organization_Data><wd:Organization_Data>
            <wd:Organization_Name>${x(w.department ?? "Support")}</wd:Organization_Name>
            <wd:Organization_Type_Reference><wd:ID wd:type="Organization_Type_ID">Supervisory</wd:ID></wd:Organization_Type_Reference>
          </wd:Organization_Data></wd:Worker_Organization_Data></wd:Organization_Data>
        </wd:Worker_Data>
      </wd:Worker>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">
  <env:Body>
    <wd:Get_Workers_Response xmlns:wd="urn:com.workday/bsvc" wd:version="v40.0">
      <wd:Response_Results><wd:Total_Results>${workers.length}</wd:Total_Results><wd:Total_Pages>1</wd:Total_Pages><wd:Page>1</wd:Page></wd:Response_Results>
      <wd:Response_Data>${workers.map(worker).join("")}</wd:Response_Data>
    </wd:Get_Workers_Response>
  </env:Body>
</env:Envelope>`;
}
