import {
  composeDependencies,
  composeHrDependencies,
  composeLifecycleDependencies,
  createTableClientFactory,
} from "../../src/compose";
import { loadSettings } from "../../src/config/settings";
import type { TableClientFactory } from "../../src/storage/tables";

// Nothing is reached while composing: clients connect on first use.
const env = {
  TABLES_CONNECTION: "UseDevelopmentStorage=true",
  GENESYS_API_BASE_URL: "http://127.0.0.1:9",
  GENESYS_LOGIN_BASE_URL: "http://127.0.0.1:9",
  GENESYS_CLIENT_ID: "lifecycle-local",
  GENESYS_CLIENT_SECRET: "lifecycle-local-secret",
};
const noIdentity = () => {
  throw new Error("a connection string needs no Azure identity");
};

describe("the composition root", () => {
  it("builds each repository once: one table client per table, one mapping service for routes and activities", () => {
    const settings = loadSettings(env);
    const tables = createTableClientFactory(settings, noIdentity);
    const requested: string[] = [];
    const counting: TableClientFactory = (name) => {
      requested.push(name);
      return tables(name);
    };
    const hr = composeHrDependencies(settings, counting, noIdentity);
    const lifecycle = composeLifecycleDependencies(settings, hr, counting, noIdentity);
    expect(requested.filter((name) => requested.indexOf(name) !== requested.lastIndexOf(name))).toEqual([]);
    expect(lifecycle.mappings).toBe(lifecycle.activities.mappings);
  });

  it("hands the mapping and plan routes the same service, org and state the activities use", () => {
    const deps = composeDependencies(env);
    const activities = deps.lifecycle!.activities;
    expect(deps.mappings!.service).toBe(activities.mappings);
    expect(deps.mappings!.org).toBe(activities.org);
    expect(deps.mappings!.state).toBe(activities.state);
  });
});
