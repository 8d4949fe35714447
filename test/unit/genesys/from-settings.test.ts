import { Secret } from "../../../src/config/secret";
import { loadSettings } from "../../../src/config/settings";
import { resolveBaseUrls } from "../../../src/genesys/client";
import { genesysClientOptionsFromSettings } from "../../../src/genesys/from-settings";
import { MINIMAL_SETTINGS } from "../../support/settings";

const local = MINIMAL_SETTINGS;

describe("client options from settings", () => {
  it("applies the rate defaults: 3000/min per client, pause below 50 remaining for 60 s, 10 s longest in-activity wait", () => {
    const readSecret = async () => new Secret("s");
    const options = genesysClientOptionsFromSettings(loadSettings(local).genesys, readSecret);
    expect(options).toMatchObject({
      apiBaseUrl: "http://localhost:8085",
      requestsPerMinute: 300,
      tokenPoolSize: 1,
      clientRequestsPerMinute: 3000,
      pauseBelowRemaining: 50,
      remainingPauseInMs: 60_000,
      maxInProcessWaitInMs: 10_000,
    });
  });

  it("takes the knobs from their settings", () => {
    const settings = loadSettings({
      ...local,
      GENESYS_CLIENT_REQUESTS_PER_MINUTE: "900",
      GENESYS_RATE_PAUSE_BELOW_REMAINING: "20",
      GENESYS_RATE_PAUSE_SECONDS: "30",
      GENESYS_MAX_WAIT_IN_ACTIVITY_SECONDS: "5",
    });
    expect(settings.genesys).toMatchObject({
      clientRequestsPerMinute: 900,
      pauseBelowRemaining: 20,
      remainingPauseInMs: 30_000,
      maxInProcessWaitInMs: 5_000,
    });
  });
});

describe("resolveBaseUrls", () => {
  it("derives api. and login. hosts from a region key or domain; explicit URLs win", () => {
    expect(resolveBaseUrls({ region: "eu_central_1" })).toEqual({
      apiBaseUrl: "https://api.mypurecloud.de",
      loginBaseUrl: "https://login.mypurecloud.de",
    });
    expect(resolveBaseUrls({ region: "apne2.pure.cloud", apiBaseUrl: "http://proxy.local/" })).toEqual({
      apiBaseUrl: "http://proxy.local",
      loginBaseUrl: "https://login.apne2.pure.cloud",
    });
    expect(() => resolveBaseUrls({ region: "mars_north_1" })).toThrow(/not a known Genesys Cloud region/);
    expect(() => resolveBaseUrls({ apiBaseUrl: "http://x" })).toThrow(/region, or both/);
  });
});
