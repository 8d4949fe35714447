import { chunk } from "../backoff";
import { isGenesysCloudError } from "../errors";
import type { CreateUserInput, UpdateUserInput, User, UserState } from "../models";
import type { OperationOptions, WriteOptions } from "../options";
import { pageNumbered, type ListingPage, type PagedAsyncIterableIterator } from "../paging";
import { pathId as id, type GenesysTransport } from "../transport";

export interface GetUserOptions extends OperationOptions {
  /** `deleted` to read a deleted user (only then is it returned). */
  state?: "active" | "deleted";
  expand?: string[];
}

export interface ListUsersOptions extends OperationOptions {
  state?: UserState | "any";
  /** Only these users (up to a page's worth per call). */
  ids?: readonly string[];
  /** Expansions, as for `getUser` (resolved with a best effort by Genesys). */
  expand?: readonly string[];
  maxPageSize?: number;
}

export interface SearchUsersOptions extends OperationOptions {
  /** States to search in. Default: all three, so an inactive or deleted holder of the email is found. */
  states?: readonly UserState[];
  /** Values per search call. Default 100: a bulk batch looks a hundred hires up with one search. */
  valuesPerCall?: number;
}

const ALL_STATES: readonly UserState[] = ["active", "inactive", "deleted"];

/** Users: `/api/v2/users`, user search and a user's OAuth tokens. */
export class UsersApi {
  constructor(private readonly transport: GenesysTransport) {}

  /**
   * Creates a user. Never retried after it may have reached Genesys: on a transient failure, search by email
   * (`findUsersByEmail`) before creating again. An email held by any user, deleted ones included, fails with
   * `isEmailConflict`.
   *
   * Permission: `directory:user:add`.
   */
  async createUser(input: CreateUserInput, options: OperationOptions = {}): Promise<User> {
    const response = await this.transport.send<User>(
      {
        method: "POST",
        path: "/api/v2/users",
        body: input,
        idempotent: false,
        permission: "directory:user:add",
      },
      options,
    );
    await this.transport.record("createUser", { userId: response.data.id }, response, {
      after: response.data,
    });
    return response.data;
  }

  /**
   * Reads a user. Inactive users are returned by default; a deleted one only with `state: "deleted"`.
   *
   * Permission: none beyond a valid token (`directory:user:view` for expansions).
   */
  async getUser(userId: string, options: GetUserOptions = {}): Promise<User> {
    return (
      await this.transport.send<User>(
        {
          method: "GET",
          path: `/api/v2/users/${id(userId)}`,
          query: { state: options.state, expand: options.expand },
          idempotent: true,
        },
        options,
      )
    ).data;
  }

  /**
   * Updates profile fields. `version` must be the user's current version; a stale one fails with
   * `isVersionConflict` (read again, re-apply).
   *
   * Permission: `directory:user:edit`.
   */
  async updateUser(userId: string, patch: UpdateUserInput, options: WriteOptions<User> = {}): Promise<User> {
    const response = await this.#patchUser(userId, patch, options);
    await this.transport.record("updateUser", { userId }, response, {
      before: options.before,
      after: response.data,
    });
    return response.data;
  }

  /**
   * Moves a user between `active` and `inactive` (deactivating strips directly granted roles: snapshot first).
   * With `state` set, it is the only field Genesys changes.
   *
   * Permission: `directory:user:edit`.
   */
  async setUserState(
    userId: string,
    state: Exclude<UserState, "deleted">,
    version: number,
    options: WriteOptions<User> = {},
  ): Promise<User> {
    const response = await this.#patchUser(userId, { state, version }, options);
    await this.transport.record("setUserState", { userId }, response, {
      before: options.before ?? { state: undefined, version },
      after: response.data,
    });
    return response.data;
  }

  /**
   * Restores a deleted user to `active` (reads it with `state=deleted` for the version first). The user comes
   * back in the Home division with no roles: re-apply the whole profile. Restoring a user who is not deleted
   * returns it unchanged.
   *
   * Permission: `directory:user:edit`.
   */
  async restoreUser(userId: string, options: OperationOptions = {}): Promise<User> {
    let before: User;
    try {
      before = await this.getUser(userId, { ...options, state: "deleted" });
    } catch (error) {
      if (!(isGenesysCloudError(error) && error.isNotFound)) throw error;
      before = await this.getUser(userId, options);
    }
    if (before.state !== "deleted") {
      await this.transport.record("restoreUser", { userId }, undefined, {
        before,
        after: before,
        noChange: true,
      });
      return before;
    }
    const response = await this.#patchUser(userId, { state: "active", version: before.version }, options);
    await this.transport.record("restoreUser", { userId }, response, { before, after: response.data });
    return response.data;
  }

  /**
   * Deletes (soft-deletes) a user. Succeeds when the user is already gone.
   *
   * Permission: `directory:user:delete`.
   */
  async deleteUser(userId: string, options: WriteOptions<User> = {}): Promise<void> {
    try {
      const response = await this.transport.send<unknown>(
        {
          method: "DELETE",
          path: `/api/v2/users/${id(userId)}`,
          idempotent: true,
          permission: "directory:user:delete",
        },
        options,
      );
      await this.transport.record("deleteUser", { userId }, response, {
        before: options.before,
        after: { state: "deleted" },
      });
    } catch (error) {
      if (!(isGenesysCloudError(error) && error.isNotFound)) throw error;
      await this.transport.record("deleteUser", { userId }, undefined, {
        before: options.before,
        noChange: true,
      });
    }
  }

  /**
   * Sends the activation email. Not retried blindly (a retry would send a second email).
   *
   * Permission: `directory:user:add` (or `directory:user:edit`).
   */
  async inviteUser(userId: string, options: OperationOptions & { force?: boolean } = {}): Promise<void> {
    const response = await this.transport.send<unknown>(
      {
        method: "POST",
        path: `/api/v2/users/${id(userId)}/invite`,
        query: { force: options.force ?? false },
        idempotent: false,
        permission: "directory:user:add",
      },
      options,
    );
    await this.transport.record("inviteUser", { userId }, response, { after: { invited: true } });
  }

  /**
   * Lists users page by page.
   *
   * Permission: `directory:user:view`.
   */
  listUsers(options: ListUsersOptions = {}): PagedAsyncIterableIterator<User> {
    return this.transport.list<User>(
      "/api/v2/users",
      { state: options.state, id: options.ids, expand: options.expand },
      options,
      100,
    );
  }

  /**
   * Finds users holding any of `emails`, in every state by default (an email stays taken by inactive and
   * deleted users). Many emails go in one search call.
   *
   * Permission: `directory:user:view`.
   */
  async findUsersByEmail(emails: readonly string[], options: SearchUsersOptions = {}): Promise<User[]> {
    return this.#searchByField("email", emails, options);
  }

  /**
   * Finds users by HR employee id (`employerInfo.employeeId`), in every state by default.
   *
   * Permission: `directory:user:view`.
   */
  async findUsersByEmployeeId(
    employeeIds: readonly string[],
    options: SearchUsersOptions = {},
  ): Promise<User[]> {
    return this.#searchByField("employerInfo.employeeId", employeeIds, options);
  }

  /**
   * Revokes every OAuth token issued to a user, ending their sessions at once.
   *
   * Permission: `oauth:token:delete`.
   */
  async revokeUserTokens(userId: string, options: OperationOptions = {}): Promise<void> {
    const response = await this.transport.send<unknown>(
      {
        method: "DELETE",
        path: `/api/v2/tokens/${id(userId)}`,
        idempotent: true,
        permission: "oauth:token:delete",
      },
      options,
    );
    await this.transport.record("revokeUserTokens", { userId }, response, { after: { tokensRevoked: true } });
  }

  /** `PATCH /api/v2/users/{id}`: profile fields, or the state alone (with the current version). */
  #patchUser(
    userId: string,
    body: UpdateUserInput | { state: UserState; version: number },
    options: OperationOptions,
  ) {
    return this.transport.send<User>(
      {
        method: "PATCH",
        path: `/api/v2/users/${id(userId)}`,
        body,
        idempotent: true,
        permission: "directory:user:edit",
      },
      options,
    );
  }

  async #searchByField(
    field: string,
    values: readonly string[],
    options: SearchUsersOptions,
  ): Promise<User[]> {
    const states = options.states ?? ALL_STATES;
    const users = new Map<string, User>();
    for (const part of chunk([...new Set(values)], options.valuesPerCall ?? 100)) {
      const pages = pageNumbered<User>(
        async (pageNumber, pageSize) =>
          (
            await this.transport.send<ListingPage<User>>(
              {
                method: "POST",
                path: "/api/v2/users/search",
                body: {
                  pageSize,
                  pageNumber,
                  query: [
                    { type: "EXACT", fields: [field], values: part },
                    { type: "EXACT", fields: ["state"], values: states },
                  ],
                  // employerInfo is an expansion: without it a user found by employee id cannot be told apart.
                  expand: ["employerInfo"],
                },
                idempotent: true,
                permission: "directory:user:view",
              },
              options,
            )
          ).data,
        100,
      );
      for await (const user of pages) users.set(user.id, user);
    }
    return [...users.values()];
  }
}
