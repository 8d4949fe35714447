import { z } from "zod";
import { ApprovalDecisionSchema, ApprovalStatusQuerySchema } from "../../functions/approvals";
import { EmployeeSearchQuerySchema } from "../../functions/employees";
import {
  ApprovalDecidedSchema,
  ApprovalListSchema,
  AuditSchema,
  EmployeeSchema,
  EmployeeSearchSchema,
  SignedInCallerSchema,
  TextSchema,
} from "../schemas";
import { error, json, OPERATOR_SECURITY, type OperationDoc, type ParameterDoc } from "../operation-doc";

const EMPLOYEE_ID: ParameterDoc = {
  name: "employeeId",
  in: "path",
  required: true,
  description: "The stable HR id.",
  schema: z.string(),
};

/** What operators do: approvals, employees, their audit, the console and who is signed in. */
export const OPERATOR_OPERATIONS: OperationDoc[] = [
  {
    method: "get",
    route: "approvals",
    operationId: "ListApprovals",
    summary: "List leavers paused for an operator's approval",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    parameters: [
      {
        name: "status",
        in: "query",
        description: "Which approvals (pending by default).",
        schema: ApprovalStatusQuerySchema,
      },
    ],
    responses: {
      200: { description: "Approvals.", content: json(ApprovalListSchema) },
      400: error("Unknown status."),
    },
  },
  {
    method: "post",
    route: "approvals/{id}",
    operationId: "DecideApproval",
    summary: "Approve or reject a paused leaver",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    body: { required: true, content: json(ApprovalDecisionSchema) },
    responses: {
      200: { description: "Decided; the leaver goes on or stops.", content: json(ApprovalDecidedSchema) },
      400: error("Not a valid decision."),
      404: error("No approval with this id."),
      409: error("Already decided otherwise."),
    },
  },
  {
    method: "get",
    route: "employees",
    operationId: "FindEmployees",
    summary: "Find employees by email",
    description: "The employees whose HR record (as last applied or recorded) has this email, ignoring case.",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    parameters: [
      {
        name: "email",
        in: "query",
        required: true,
        description: "The email address to look for.",
        schema: EmployeeSearchQuerySchema,
      },
    ],
    responses: {
      200: {
        description: "The employees found (none, one, or several over the years).",
        content: json(EmployeeSearchSchema),
      },
      400: error("email is missing or not an email address."),
    },
  },
  {
    method: "get",
    route: "employees/{employeeId}",
    operationId: "GetEmployee",
    summary: "Look an employee up: lifecycle state, pending events, manager link",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    parameters: [EMPLOYEE_ID],
    responses: {
      200: { description: "The employee as this product knows them.", content: json(EmployeeSchema) },
      404: error("No event was ever accepted for this employee."),
    },
  },
  {
    method: "get",
    route: "employees/{employeeId}/audit",
    operationId: "GetEmployeeAudit",
    summary: "Read an employee's audit trail",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    parameters: [EMPLOYEE_ID],
    responses: {
      200: {
        description: "Every Genesys write and lifecycle step, oldest first.",
        content: json(AuditSchema),
      },
    },
  },
  {
    method: "get",
    route: "console/{path}",
    operationId: "GetConsole",
    summary: "The operations console (a web page for people, in a browser)",
    description:
      "Open `/api/console/` in a browser. Its files (HTML, ES modules, CSS) are served from the app package; a person without a session or a Lifecycle role gets a page with the sign-in link.",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    parameters: [
      {
        name: "path",
        in: "path",
        required: true,
        description: "A file of the console; empty for the page itself.",
        schema: z.string(),
      },
    ],
    responses: {
      200: { description: "The file.", content: { "text/html": { schema: TextSchema } } },
      301: { description: "`/api/console` redirects to `/api/console/`." },
      304: { description: "The file has not changed (ETag)." },
      401: {
        description: "Not signed in: a page with the sign-in link.",
        content: { "text/html": { schema: TextSchema } },
      },
      403: {
        description: "No Lifecycle role: a page that says so.",
        content: { "text/html": { schema: TextSchema } },
      },
      404: error("The console has no such file."),
    },
  },
  {
    method: "get",
    route: "me",
    operationId: "GetSignedInCaller",
    summary: "Who is signed in, and their Lifecycle roles",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    responses: { 200: { description: "The verified caller.", content: json(SignedInCallerSchema) } },
  },
];
