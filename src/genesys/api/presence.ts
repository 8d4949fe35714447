import { GenesysCloudError } from "../errors";
import type { PresenceDefinition, UserPresence } from "../models";
import type { OperationOptions, WriteOptions } from "../options";
import { pathId as id, type GenesysTransport } from "../transport";

/** Presence: the organisation's presence definitions and a user's Genesys Cloud presence. */
export class PresenceApi {
  #offline: { definition: PresenceDefinition; at: number } | undefined;

  /** `cacheTtlInMs`: how long the Offline definition is kept before it is looked up again. */
  constructor(
    private readonly transport: GenesysTransport,
    private readonly cacheTtlInMs: number,
  ) {}

  /**
   * The organisation's system Offline presence definition, looked up once and cached (its id differs per org).
   *
   * Permission: `presence:presenceDefinition:view`.
   */
  async getOfflinePresenceDefinition(options: OperationOptions = {}): Promise<PresenceDefinition> {
    const now = this.transport.now;
    if (this.#offline && now() - this.#offline.at < this.cacheTtlInMs) return this.#offline.definition;
    const listing = (
      await this.transport.send<{ entities?: PresenceDefinition[] }>(
        {
          method: "GET",
          path: "/api/v2/presence/definitions",
          query: { deactivated: false },
          idempotent: true,
          permission: "presence:presenceDefinition:view",
        },
        options,
      )
    ).data;
    const offline = (listing.entities ?? []).filter((d) => d.systemPresence?.toLowerCase() === "offline");
    const definition = offline.find((d) => d.type === "System") ?? offline[0];
    if (!definition) {
      throw new GenesysCloudError({
        statusCode: 404,
        code: "presence.offline.not.found",
        method: "GET",
        path: "/api/v2/presence/definitions",
        message:
          "Genesys Cloud lists no active presence definition with systemPresence Offline. Reactivate the system Offline presence in Admin > Presence.",
      });
    }
    this.#offline = { definition, at: now() };
    return definition;
  }

  /**
   * Sets a user's Genesys Cloud presence to a definition.
   *
   * Permission: none listed by Genesys (`user:presence:edit` in practice).
   */
  async setUserPresence(
    userId: string,
    presenceDefinitionId: string,
    options: WriteOptions<UserPresence> = {},
  ): Promise<UserPresence> {
    const response = await this.transport.send<UserPresence>(
      {
        method: "PATCH",
        path: `/api/v2/users/${id(userId)}/presences/purecloud`,
        body: { presenceDefinition: { id: presenceDefinitionId } },
        idempotent: true,
      },
      options,
    );
    await this.transport.record("setUserPresence", { userId, presenceDefinitionId }, response, {
      before: options.before,
      after: response.data,
    });
    return response.data;
  }

  /**
   * Sets a user Offline (the org's Offline definition, looked up and cached).
   *
   * Permission: `presence:presenceDefinition:view`.
   */
  async setUserOffline(userId: string, options: WriteOptions<UserPresence> = {}): Promise<UserPresence> {
    const offline = await this.getOfflinePresenceDefinition(options);
    return this.setUserPresence(userId, offline.id, options);
  }
}
