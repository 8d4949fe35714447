import { Secret } from "../../../src/config/secret";
import { deriveBaseUrls, GENESYS_REGIONS } from "../../../src/config/genesys-regions";
import { loadSettings } from "../../../src/config/settings";
import { GenesysCloudClient } from "../../../src/genesys/client";

const REGIONS = Object.entries(GENESYS_REGIONS);

describe("deriveBaseUrls", () => {
  it.each(REGIONS)(
    "derives the api. and login. hosts of %s (%s) from its key or its domain",
    (key, domain) => {
      const urls = { apiBaseUrl: `https://api.${domain}`, loginBaseUrl: `https://login.${domain}` };
      expect(deriveBaseUrls({ region: key })).toEqual({ urls });
      expect(deriveBaseUrls({ region: domain })).toEqual({ urls });
    },
  );

  it("reads a region key in any case, with spaces around it", () => {
    expect(deriveBaseUrls({ region: " EU_WEST_1 " })).toEqual({
      urls: { apiBaseUrl: "https://api.mypurecloud.ie", loginBaseUrl: "https://login.mypurecloud.ie" },
    });
  });

  it("lets each explicit URL win over the region's, without its trailing slashes", () => {
    expect(deriveBaseUrls({ region: "apne2.pure.cloud", apiBaseUrl: "http://proxy.local//" })).toEqual({
      urls: { apiBaseUrl: "http://proxy.local", loginBaseUrl: "https://login.apne2.pure.cloud" },
    });
    expect(
      deriveBaseUrls({ apiBaseUrl: "http://localhost:8085/", loginBaseUrl: "http://localhost:8085" }),
    ).toEqual({ urls: { apiBaseUrl: "http://localhost:8085", loginBaseUrl: "http://localhost:8085" } });
  });

  it("refuses a region Genesys Cloud does not run in, even when both URLs are explicit", () => {
    expect(deriveBaseUrls({ region: "mars_north_1" })).toEqual({ problem: "unknown-region" });
    expect(
      deriveBaseUrls({ region: "mypurecloud.fr", apiBaseUrl: "http://a", loginBaseUrl: "http://b" }),
    ).toEqual({ problem: "unknown-region" });
  });

  it("needs a region unless both URLs are explicit", () => {
    expect(deriveBaseUrls({})).toEqual({ problem: "no-region" });
    expect(deriveBaseUrls({ apiBaseUrl: "http://a" })).toEqual({ problem: "no-region" });
    expect(deriveBaseUrls({ loginBaseUrl: "http://b" })).toEqual({ problem: "no-region" });
  });

  it.each(REGIONS)("gives the settings and the client the same URLs for %s", (region) => {
    const settings = loadSettings({
      TABLES_CONNECTION: "UseDevelopmentStorage=true",
      GENESYS_REGION: region,
      GENESYS_CLIENT_ID: "lifecycle-local",
      GENESYS_CLIENT_SECRET: "lifecycle-local-secret",
    });
    const client = new GenesysCloudClient({
      region,
      clientId: "lifecycle-local",
      readSecret: async () => new Secret("lifecycle-local-secret"),
      shareBudgetInProcess: false,
    });
    expect({ apiBaseUrl: client.apiBaseUrl, loginBaseUrl: client.loginBaseUrl }).toEqual({
      apiBaseUrl: settings.genesys.apiBaseUrl,
      loginBaseUrl: settings.genesys.loginBaseUrl,
    });
  });
});
