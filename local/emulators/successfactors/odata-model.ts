/**
 * The slice of the SuccessFactors OData v2 model the emulator knows: each entity type's key properties and
 * the navigations between types (the ones Microsoft Entra's SuccessFactors connector expands, plus their
 * reverse links). A navigation with `on` is a join on property values, so entities loaded one set at a time
 * still expand; one without `on` follows only the links recorded when a document nested it.
 */

export interface Navigation {
  /** The entity type (and entity set) the navigation leads to. */
  target: string;
  /** A collection (`{"results":[…]}`) or a single entity (an object, or null). */
  many: boolean;
  /** `[source property, target property]` pairs that must be equal. */
  on?: [string, string][];
  /** For links SuccessFactors derives from other data (a user's manager comes from their job). */
  derive?: (source: Record<string, unknown>, find: EntityFinder) => Record<string, unknown>[];
}

/** Entities of a set whose properties equal the given values. */
export type EntityFinder = (entitySet: string, where: Record<string, string>) => Record<string, unknown>[];

const one = (target: string, on?: [string, string][]): Navigation => ({ target, many: false, on });
const many = (target: string, on?: [string, string][]): Navigation => ({ target, many: true, on });
const byPerson: [string, string][] = [["personIdExternal", "personIdExternal"]];
const byUser: [string, string][] = [["userId", "userId"]];
const foundation = (field: string, target: string) => one(target, [[field, "externalCode"]]);
const picklist = (field: string) => one("PicklistOption", [[field, "id"]]);

/** Key properties per entity type (the `(...)` of an entity's URI). */
export const ENTITY_KEYS: Record<string, string[]> = {
  PerPerson: ["personIdExternal"],
  PerPersonal: ["personIdExternal", "startDate"],
  PerEmail: ["personIdExternal", "emailType"],
  PerPhone: ["personIdExternal", "phoneType"],
  PersonEmpTerminationInfo: ["personIdExternal"],
  EmpEmployment: ["personIdExternal", "userId"],
  EmpEmploymentTermination: ["personIdExternal", "userId", "endDate"],
  EmpGlobalAssignment: ["userId"],
  User: ["userId"],
  EmpJob: ["userId", "startDate", "seqNumber"],
  FOCompany: ["externalCode"],
  FODepartment: ["externalCode"],
  FODivision: ["externalCode"],
  FOBusinessUnit: ["externalCode"],
  FOCostCenter: ["externalCode"],
  FOJobCode: ["externalCode"],
  FOLocation: ["externalCode"],
  FOPayGrade: ["externalCode"],
  FOEventReason: ["externalCode"],
  FOCorporateAddressDEFLT: ["addressId"],
  Country: ["code"],
  PicklistOption: ["id"],
  Position: ["code"],
};

/** The newest job's `managerId` names the user's manager, as SuccessFactors keeps it. */
function managerOf(user: Record<string, unknown>, find: EntityFinder): Record<string, unknown>[] {
  const userId = user.userId;
  if (typeof userId !== "string") return [];
  const newest = find("EmpJob", { userId })
    .map((job) => ({ job, start: typeof job.startDate === "string" ? job.startDate : "" }))
    .sort((a, b) => dateValue(a.start) - dateValue(b.start))
    .at(-1)?.job;
  const managerId = newest?.managerId;
  if (typeof managerId !== "string" || managerId === "NO_MANAGER") return [];
  return find("User", { userId: managerId });
}

/** `/Date(ms)/`, `/Date(ms+0000)/` or an ISO date as milliseconds (0 when unreadable). */
export function dateValue(value: string): number {
  const odata = /^\/Date\((-?\d+)/.exec(value);
  if (odata) return Number(odata[1]);
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? 0 : parsed;
}

export const NAVIGATIONS: Record<string, Record<string, Navigation>> = {
  PerPerson: {
    personalInfoNav: many("PerPersonal", byPerson),
    emailNav: many("PerEmail", byPerson),
    phoneNav: many("PerPhone", byPerson),
    employmentNav: many("EmpEmployment", byPerson),
    personEmpTerminationInfoNav: one("PersonEmpTerminationInfo", byPerson),
  },
  EmpEmployment: {
    personNav: one("PerPerson", byPerson),
    userNav: one("User", byUser),
    jobInfoNav: many("EmpJob", byUser),
    empGlobalAssignmentNav: one("EmpGlobalAssignment", byUser),
  },
  User: {
    empInfo: one("EmpEmployment", byUser),
    manager: { target: "User", many: false, derive: managerOf },
  },
  EmpJob: {
    userNav: one("User", byUser),
    employmentNav: one("EmpEmployment", byUser),
    companyNav: foundation("company", "FOCompany"),
    departmentNav: foundation("department", "FODepartment"),
    divisionNav: foundation("division", "FODivision"),
    businessUnitNav: foundation("businessUnit", "FOBusinessUnit"),
    costCenterNav: foundation("costCenter", "FOCostCenter"),
    jobCodeNav: foundation("jobCode", "FOJobCode"),
    locationNav: foundation("location", "FOLocation"),
    payGradeNav: foundation("payGrade", "FOPayGrade"),
    eventReasonNav: foundation("eventReason", "FOEventReason"),
    emplStatusNav: picklist("emplStatus"),
    employmentTypeNav: picklist("employmentType"),
    employeeClassNav: picklist("employeeClass"),
    positionNav: one("Position", [["position", "code"]]),
  },
  FOCompany: { countryOfRegistrationNav: one("Country", [["country", "code"]]) },
  FOLocation: { addressNavDEFLT: one("FOCorporateAddressDEFLT") },
  PerPhone: { phoneTypeNav: picklist("phoneType") },
  EmpGlobalAssignment: { assignmentTypeNav: picklist("assignmentType") },
};
