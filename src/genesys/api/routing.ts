import { chunk } from "../backoff";
import { isGenesysCloudError } from "../errors";
import type {
  ProficiencyAssignment,
  Queue,
  QueueMember,
  RoutingLanguage,
  RoutingSkill,
  RoutingStatus,
  RoutingStatusValue,
  UserQueue,
  UserRoutingSkill,
} from "../models";
import type { ListOptions, OperationOptions, WriteOptions } from "../options";
import type { PagedAsyncIterableIterator } from "../paging";
import { pathId as id, type GenesysTransport } from "../transport";

const QUEUE_MEMBERS_PER_CALL = 100;
const PROFICIENCIES_PER_CALL = 50;

/**
 * Skills and languages are assigned to a user alike; only the collection, the permission and the names of the
 * ids in the audit trail differ.
 */
const PROFICIENCY_KINDS = {
  skill: {
    collection: "routingskills",
    permission: "routing:skill:assign",
    idKey: "skillId",
    idsKey: "skillIds",
  },
  language: {
    collection: "routinglanguages",
    permission: "routing:language:assign",
    idKey: "languageId",
    idsKey: "languageIds",
  },
} as const;

type ProficiencyKind = keyof typeof PROFICIENCY_KINDS;

/** Routing: queues and their members, skills, languages, and a user's routing status. */
export class RoutingApi {
  constructor(private readonly transport: GenesysTransport) {}

  // ---------------------------------------------------------------- queues

  /**
   * Lists queues; `name` matches exactly (asterisks allowed at either end).
   *
   * Permission: `routing:queue:view`.
   */
  listQueues(options: ListOptions & { name?: string } = {}): PagedAsyncIterableIterator<Queue> {
    return this.transport.list<Queue>("/api/v2/routing/queues", { name: options.name }, options, 100);
  }

  /**
   * Lists a queue's members.
   *
   * Permission: `routing:queue:view`.
   */
  listQueueMembers(queueId: string, options: ListOptions = {}): PagedAsyncIterableIterator<QueueMember> {
    return this.transport.list<QueueMember>(
      `/api/v2/routing/queues/${id(queueId)}/members`,
      {},
      options,
      100,
    );
  }

  /**
   * Lists the queues a user is a member of.
   *
   * Permission: `routing:queue:view`.
   */
  listUserQueues(userId: string, options: ListOptions = {}): PagedAsyncIterableIterator<UserQueue> {
    return this.transport.list<UserQueue>(`/api/v2/users/${id(userId)}/queues`, {}, options, 100);
  }

  /**
   * Adds users to a queue, 100 per call. Adding a member twice is harmless.
   *
   * Permission: `routing:queue:edit` or `routing:queueMember:manage`.
   */
  async addQueueMembers(
    queueId: string,
    userIds: readonly string[],
    options: OperationOptions = {},
  ): Promise<void> {
    await this.#queueMembers("addQueueMembers", queueId, userIds, false, options);
  }

  /**
   * Removes users from a queue, 100 per call.
   *
   * Permission: `routing:queue:edit` or `routing:queueMember:manage`.
   */
  async removeQueueMembers(
    queueId: string,
    userIds: readonly string[],
    options: OperationOptions = {},
  ): Promise<void> {
    await this.#queueMembers("removeQueueMembers", queueId, userIds, true, options);
  }

  // ---------------------------------------------------------------- skills and languages

  /**
   * Lists routing skills (`name` is a prefix filter).
   *
   * Permission: `routing:skill:view`.
   */
  listSkills(options: ListOptions & { name?: string } = {}): PagedAsyncIterableIterator<RoutingSkill> {
    return this.transport.list<RoutingSkill>("/api/v2/routing/skills", { name: options.name }, options, 100);
  }

  /**
   * Lists routing languages.
   *
   * Permission: none beyond a valid token.
   */
  listLanguages(options: ListOptions & { name?: string } = {}): PagedAsyncIterableIterator<RoutingLanguage> {
    return this.transport.list<RoutingLanguage>(
      "/api/v2/routing/languages",
      { name: options.name },
      options,
      100,
    );
  }

  /**
   * A user's skills with proficiency.
   *
   * Permission: `routing:skill:assign` (read).
   */
  listUserSkills(userId: string, options: ListOptions = {}): PagedAsyncIterableIterator<UserRoutingSkill> {
    return this.#listUserProficiencies("skill", userId, options);
  }

  /**
   * A user's languages with proficiency.
   *
   * Permission: `routing:language:assign` (read).
   */
  listUserLanguages(userId: string, options: ListOptions = {}): PagedAsyncIterableIterator<UserRoutingSkill> {
    return this.#listUserProficiencies("language", userId, options);
  }

  /**
   * Adds or updates skills (others stay), 50 per call.
   *
   * Permission: `routing:skill:assign`.
   */
  async addUserSkills(
    userId: string,
    skills: readonly ProficiencyAssignment[],
    options: OperationOptions = {},
  ): Promise<void> {
    await this.#addProficiencies("addUserSkills", "skill", userId, skills, options);
  }

  /**
   * Makes `skills` the user's whole skill set. Beyond 50, the first call replaces and the rest add.
   *
   * Permission: `routing:skill:assign`.
   */
  async replaceUserSkills(
    userId: string,
    skills: readonly ProficiencyAssignment[],
    options: OperationOptions = {},
  ): Promise<void> {
    const [first = [], ...rest] = chunk(skills, PROFICIENCIES_PER_CALL);
    await this.#bulkProficiency("replaceUserSkills", "PUT", "skill", userId, first, options);
    for (const part of rest) {
      await this.#bulkProficiency("replaceUserSkills", "PATCH", "skill", userId, part, options);
    }
  }

  /**
   * Removes skills one by one; a skill the user no longer has is skipped.
   *
   * Permission: `routing:skill:assign`.
   */
  async removeUserSkills(
    userId: string,
    skillIds: readonly string[],
    options: OperationOptions = {},
  ): Promise<void> {
    await this.#removeProficiencies("removeUserSkills", "skill", userId, skillIds, options);
  }

  /**
   * Adds or updates languages (others stay), 50 per call.
   *
   * Permission: `routing:language:assign` or `routing:skill:assign`.
   */
  async addUserLanguages(
    userId: string,
    languages: readonly ProficiencyAssignment[],
    options: OperationOptions = {},
  ): Promise<void> {
    await this.#addProficiencies("addUserLanguages", "language", userId, languages, options);
  }

  /**
   * Removes languages one by one; a language the user no longer has is skipped.
   *
   * Permission: `routing:language:assign` or `routing:skill:assign`.
   */
  async removeUserLanguages(
    userId: string,
    languageIds: readonly string[],
    options: OperationOptions = {},
  ): Promise<void> {
    await this.#removeProficiencies("removeUserLanguages", "language", userId, languageIds, options);
  }

  // ---------------------------------------------------------------- routing status

  /**
   * The user's routing status (`OFF_QUEUE` also for unknown users, as Genesys answers).
   *
   * Permission: none listed by Genesys.
   */
  async getRoutingStatus(userId: string, options: OperationOptions = {}): Promise<RoutingStatus> {
    return (
      await this.transport.send<RoutingStatus>(
        { method: "GET", path: `/api/v2/users/${id(userId)}/routingstatus`, idempotent: true },
        options,
      )
    ).data;
  }

  /**
   * Sets the routing status; `OFF_QUEUE` takes a leaver out of routing.
   *
   * Permission: none listed by Genesys (`routing:agent:manage` in practice).
   */
  async setRoutingStatus(
    userId: string,
    status: RoutingStatusValue,
    options: WriteOptions<RoutingStatus> = {},
  ): Promise<RoutingStatus> {
    const response = await this.transport.send<RoutingStatus>(
      {
        method: "PUT",
        path: `/api/v2/users/${id(userId)}/routingstatus`,
        body: { status },
        idempotent: true,
        permission: "routing:agent:manage",
      },
      options,
    );
    await this.transport.record("setRoutingStatus", { userId }, response, {
      before: options.before,
      after: response.data,
    });
    return response.data;
  }

  // ---------------------------------------------------------------- internals

  async #queueMembers(
    operation: string,
    queueId: string,
    userIds: readonly string[],
    remove: boolean,
    options: OperationOptions,
  ): Promise<void> {
    for (const ids of chunk(userIds, QUEUE_MEMBERS_PER_CALL)) {
      const response = await this.transport.send<unknown>(
        {
          method: "POST",
          path: `/api/v2/routing/queues/${id(queueId)}/members`,
          query: { delete: remove },
          body: ids.map((userId) => ({ id: userId })),
          idempotent: true,
          permission: "routing:queue:edit or routing:queueMember:manage",
        },
        options,
      );
      await this.transport.record(operation, { queueId, userIds: ids }, response, {
        after: { members: remove ? "removed" : "added" },
      });
    }
  }

  #listUserProficiencies(
    kind: ProficiencyKind,
    userId: string,
    options: ListOptions,
  ): PagedAsyncIterableIterator<UserRoutingSkill> {
    const { collection } = PROFICIENCY_KINDS[kind];
    return this.transport.list<UserRoutingSkill>(
      `/api/v2/users/${id(userId)}/${collection}`,
      {},
      options,
      100,
    );
  }

  async #addProficiencies(
    operation: string,
    kind: ProficiencyKind,
    userId: string,
    items: readonly ProficiencyAssignment[],
    options: OperationOptions,
  ): Promise<void> {
    for (const part of chunk(items, PROFICIENCIES_PER_CALL)) {
      await this.#bulkProficiency(operation, "PATCH", kind, userId, part, options);
    }
  }

  async #bulkProficiency(
    operation: string,
    method: "PUT" | "PATCH",
    kind: ProficiencyKind,
    userId: string,
    items: readonly ProficiencyAssignment[],
    options: OperationOptions,
  ): Promise<void> {
    const { collection, permission, idsKey } = PROFICIENCY_KINDS[kind];
    const response = await this.transport.send<unknown>(
      {
        method,
        path: `/api/v2/users/${id(userId)}/${collection}/bulk`,
        body: items.map(({ id: itemId, proficiency }) => ({ id: itemId, proficiency })),
        idempotent: true,
        permission,
      },
      options,
    );
    await this.transport.record(operation, { userId, [idsKey]: items.map((i) => i.id) }, response, {
      after: items,
    });
  }

  /** One DELETE per id; an id the user no longer has is recorded as nothing to do. */
  async #removeProficiencies(
    operation: string,
    kind: ProficiencyKind,
    userId: string,
    itemIds: readonly string[],
    options: OperationOptions,
  ): Promise<void> {
    const { collection, permission, idKey } = PROFICIENCY_KINDS[kind];
    for (const itemId of itemIds) {
      const targetIds = { userId, [idKey]: itemId };
      try {
        const response = await this.transport.send<unknown>(
          {
            method: "DELETE",
            path: `/api/v2/users/${id(userId)}/${collection}/${id(itemId)}`,
            idempotent: true,
            permission,
          },
          options,
        );
        await this.transport.record(operation, targetIds, response, { after: { removed: true } });
      } catch (error) {
        if (!(isGenesysCloudError(error) && error.isNotFound)) throw error;
        await this.transport.record(operation, targetIds, undefined, { noChange: true });
      }
    }
  }
}
