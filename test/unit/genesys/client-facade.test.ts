import { Secret } from "../../../src/config/secret";
import { AuditsApi } from "../../../src/genesys/api/audits";
import { AuthorizationApi } from "../../../src/genesys/api/authorization";
import { ConversationsApi } from "../../../src/genesys/api/conversations";
import { PresenceApi } from "../../../src/genesys/api/presence";
import { RoutingApi } from "../../../src/genesys/api/routing";
import { UsersApi } from "../../../src/genesys/api/users";
import { GenesysCloudClient } from "../../../src/genesys/client";

const AREAS = [UsersApi, AuthorizationApi, RoutingApi, PresenceApi, ConversationsApi, AuditsApi];

const operationsOf = (area: { prototype: object }) =>
  Object.getOwnPropertyNames(area.prototype).filter((name) => name !== "constructor");

describe("GenesysCloudClient façade", () => {
  it("forwards every operation of every area, and nothing else, so callers hold only the client", () => {
    const client = new GenesysCloudClient({
      apiBaseUrl: "http://localhost:1",
      loginBaseUrl: "http://localhost:1",
      clientId: "lifecycle-local",
      readSecret: async () => new Secret("lifecycle-local-secret"),
      shareBudgetInProcess: false,
    });
    const operations = AREAS.flatMap(operationsOf);
    const forwarded = Object.entries(client)
      .filter(([, value]) => typeof value === "function")
      .map(([name]) => name);
    expect(operations.filter((name, i) => operations.indexOf(name) !== i)).toEqual([]);
    expect(forwarded.sort()).toEqual([...operations].sort());
    expect(operations).toEqual(expect.arrayContaining(["createUser", "addRoleGrants", "addUserSkills"]));
  });
});
