import { chunk } from "../backoff";
import type {
  AuthzGrant,
  AuthzSubject,
  Division,
  DivisionsPermitted,
  Role,
  RoleDivisionGrant,
  SubjectDivisionGrants,
} from "../models";
import type { ListOptions, OperationOptions, WriteOptions } from "../options";
import { collect, pageNumbered, type ListingPage, type PagedAsyncIterableIterator } from "../paging";
import { pathId as id, type GenesysTransport } from "../transport";

/** Genesys documents no maximum for division moves; 100 keeps each call as small as a queue-member call. */
const DIVISION_MOVES_PER_CALL = 100;

/**
 * Users per bulk role grant. Genesys documents no item limit, only the 512,000-byte request cap: a thousand
 * 36-character ids with their quotes and commas are about 40,000 bytes, far below it.
 */
export const SUBJECTS_PER_ROLE_GRANT = 1000;

/** Authorization: roles, role grants per division, divisions and what this OAuth client may do in them. */
export class AuthorizationApi {
  constructor(private readonly transport: GenesysTransport) {}

  /**
   * Lists every subject's grants in one division, up to 500 a page. Grants in all divisions (`*`) are not to be
   * expected here: Genesys does not document whether it lists them under each division.
   *
   * Permission: `authorization:grant:view`.
   */
  listDivisionGrants(divisionId: string, options: ListOptions = {}): PagedAsyncIterableIterator<AuthzGrant> {
    return this.transport.list<AuthzGrant>(
      `/api/v2/authorization/divisions/${id(divisionId)}/grants`,
      {},
      options,
      500,
    );
  }

  /**
   * Lists the users holding one role, each with the divisions it holds it in, up to 100 a page: a batch confirms
   * a role it granted to many users with this one listing. Genesys does not document how a grant in all
   * divisions appears here; a caller confirms only what it finds and reads the rest one by one.
   *
   * Permission: `authorization:role:view`.
   */
  listRoleSubjectGrants(
    roleId: string,
    options: ListOptions = {},
  ): PagedAsyncIterableIterator<SubjectDivisionGrants> {
    return this.transport.list<SubjectDivisionGrants>(
      `/api/v2/authorization/roles/${id(roleId)}/subjectgrants`,
      {},
      options,
      100,
    );
  }

  /**
   * Reads a subject's role grants (role × division).
   *
   * Permission: `authorization:grant:view`.
   */
  async getSubject(subjectId: string, options: OperationOptions = {}): Promise<AuthzSubject> {
    const subject = (
      await this.transport.send<AuthzSubject>(
        {
          method: "GET",
          path: `/api/v2/authorization/subjects/${id(subjectId)}`,
          idempotent: true,
          permission: "authorization:grant:view",
        },
        options,
      )
    ).data;
    return { ...subject, grants: subject.grants ?? [] };
  }

  /**
   * Grants roles per division (`divisionId` `*` for all divisions). Granting what is already granted is harmless.
   *
   * Permission: `authorization:grant:add`.
   */
  async addRoleGrants(
    subjectId: string,
    grants: readonly RoleDivisionGrant[],
    options: WriteOptions<AuthzSubject> = {},
  ): Promise<void> {
    await this.#grants("addRoleGrants", "bulkadd", subjectId, grants, "authorization:grant:add", options);
  }

  /**
   * Grants one role to many users in each of the listed divisions (`*` for all divisions), a thousand users per
   * call: a batch grants each role once for all its new users instead of once per user. Granting what is
   * already granted is harmless.
   *
   * Permission: `authorization:grant:add` in every division listed.
   */
  async grantRoleToUsers(
    roleId: string,
    userIds: readonly string[],
    divisionIds: readonly string[],
    options: OperationOptions = {},
  ): Promise<void> {
    for (const ids of chunk(userIds, SUBJECTS_PER_ROLE_GRANT)) {
      const response = await this.transport.send<unknown>(
        {
          method: "POST",
          path: `/api/v2/authorization/roles/${id(roleId)}`,
          query: { subjectType: "PC_USER" },
          body: { subjectIds: ids, divisionIds },
          idempotent: true,
          permission: "authorization:grant:add",
        },
        options,
      );
      await this.transport.record("grantRoleToUsers", { roleId, userIds: ids }, response, {
        after: { roleId, divisionIds },
      });
    }
  }

  /**
   * Removes role grants per division.
   *
   * Permission: `authorization:grant:delete`.
   */
  async removeRoleGrants(
    subjectId: string,
    grants: readonly RoleDivisionGrant[],
    options: WriteOptions<AuthzSubject> = {},
  ): Promise<void> {
    await this.#grants(
      "removeRoleGrants",
      "bulkremove",
      subjectId,
      grants,
      "authorization:grant:delete",
      options,
    );
  }

  /**
   * Replaces all direct grants with `grants` (grants inherited from groups stay).
   *
   * Permission: `authorization:grant:add` and `authorization:grant:delete`.
   */
  async replaceRoleGrants(
    subjectId: string,
    grants: readonly RoleDivisionGrant[],
    options: WriteOptions<AuthzSubject> = {},
  ): Promise<void> {
    await this.#grants(
      "replaceRoleGrants",
      "bulkreplace",
      subjectId,
      grants,
      "authorization:grant:add and authorization:grant:delete",
      options,
    );
  }

  /**
   * Lists roles.
   *
   * Permission: `authorization:role:view`.
   */
  listRoles(options: ListOptions & { name?: string } = {}): PagedAsyncIterableIterator<Role> {
    return this.transport.list<Role>("/api/v2/authorization/roles", { name: options.name }, options, 100);
  }

  /**
   * Lists divisions.
   *
   * Permission: none beyond a valid token.
   */
  listDivisions(options: ListOptions & { name?: string } = {}): PagedAsyncIterableIterator<Division> {
    return this.transport.list<Division>(
      "/api/v2/authorization/divisions",
      { name: options.name },
      options,
      100,
    );
  }

  /**
   * The organisation's Home division (where users go by default, and where restored users come back).
   *
   * Permission: none beyond a valid token.
   */
  async getHomeDivision(options: OperationOptions = {}): Promise<Division> {
    return (
      await this.transport.send<Division>(
        { method: "GET", path: "/api/v2/authorization/divisions/home", idempotent: true },
        options,
      )
    ).data;
  }

  /**
   * Divisions where this OAuth client holds `permission`: the pre-flight check before the first write.
   *
   * Permission: none beyond a valid token.
   */
  async getDivisionsPermitted(
    permission: string,
    options: OperationOptions = {},
  ): Promise<DivisionsPermitted> {
    let all = false;
    const pages = pageNumbered<Division>(async (pageNumber, pageSize) => {
      const listing = (
        await this.transport.send<ListingPage<Division> & { allDivsPermitted?: boolean }>(
          {
            method: "GET",
            path: "/api/v2/authorization/divisionspermitted/paged/me",
            query: { permission, pageNumber, pageSize },
            idempotent: true,
          },
          options,
        )
      ).data;
      all ||= listing.allDivsPermitted === true;
      return listing;
    }, 100);
    const divisions = await collect(pages);
    return { allDivisionsPermitted: all, divisions };
  }

  /**
   * Moves users to a division (the only way to change a user's division; PATCH cannot).
   *
   * Permission: `authorization:division:edit` and `directory:user:edit` in both divisions.
   */
  async moveUsersToDivision(
    divisionId: string,
    userIds: readonly string[],
    options: OperationOptions = {},
  ): Promise<void> {
    for (const ids of chunk(userIds, DIVISION_MOVES_PER_CALL)) {
      const response = await this.transport.send<unknown>(
        {
          method: "POST",
          path: `/api/v2/authorization/divisions/${id(divisionId)}/objects/USER`,
          body: ids,
          idempotent: true,
          permission: "authorization:division:edit",
        },
        options,
      );
      await this.transport.record("moveUsersToDivision", { divisionId, userIds: ids }, response, {
        after: { divisionId },
      });
    }
  }

  async #grants(
    operation: string,
    verb: "bulkadd" | "bulkremove" | "bulkreplace",
    subjectId: string,
    grants: readonly RoleDivisionGrant[],
    permission: string,
    options: WriteOptions<AuthzSubject>,
  ): Promise<void> {
    const response = await this.transport.send<unknown>(
      {
        method: "POST",
        path: `/api/v2/authorization/subjects/${id(subjectId)}/${verb}`,
        query: verb === "bulkremove" ? undefined : { subjectType: "PC_USER" },
        body: { grants },
        idempotent: true,
        permission,
      },
      options,
    );
    await this.transport.record(operation, { userId: subjectId }, response, {
      before: options.before,
      after: { grants },
    });
  }
}
