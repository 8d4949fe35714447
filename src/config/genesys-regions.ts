/**
 * Genesys Cloud regions: SDK region key → domain. API base is `https://api.<domain>`, login is
 * `https://login.<domain>` (purecloud-platform-client-v2 `PureCloudRegionHosts`).
 */
export const GENESYS_REGIONS: Readonly<Record<string, string>> = {
  us_east_1: "mypurecloud.com",
  eu_west_1: "mypurecloud.ie",
  ap_southeast_2: "mypurecloud.com.au",
  ap_northeast_1: "mypurecloud.jp",
  eu_central_1: "mypurecloud.de",
  us_west_2: "usw2.pure.cloud",
  ca_central_1: "cac1.pure.cloud",
  ap_northeast_2: "apne2.pure.cloud",
  eu_west_2: "euw2.pure.cloud",
  ap_south_1: "aps1.pure.cloud",
  us_east_2: "use2.us-gov-pure.cloud",
  sa_east_1: "sae1.pure.cloud",
  me_central_1: "mec1.pure.cloud",
  ap_northeast_3: "apne3.pure.cloud",
  eu_central_2: "euc2.pure.cloud",
  mx_central_1: "mxc1.pure.cloud",
  ap_southeast_1: "apse1.pure.cloud",
  eusc_de_east_1: "edee1.eusc-pure.cloud",
};

/** Accepts a region key (`eu_west_1`) or its domain (`mypurecloud.ie`); returns the domain or undefined. */
export function regionDomain(region: string): string | undefined {
  const key = region.trim().toLowerCase();
  if (GENESYS_REGIONS[key]) return GENESYS_REGIONS[key];
  return Object.values(GENESYS_REGIONS).includes(key) ? key : undefined;
}

/** Where the Platform API and the OAuth login are reached, without trailing slashes. */
export interface GenesysBaseUrls {
  apiBaseUrl: string;
  loginBaseUrl: string;
}

/** What base URLs can be derived from; explicit URLs (an emulator, a proxy) win over the region's. */
export interface GenesysEndpointSettings {
  /** Region key (`eu_west_1`) or domain (`mypurecloud.ie`). */
  region?: string;
  apiBaseUrl?: string;
  loginBaseUrl?: string;
}

/**
 * Why no base URLs could be derived: the region is not one Genesys Cloud runs in (checked even when both URLs
 * are explicit, so a typo never hides), or there is no region and not both URLs.
 */
export type GenesysBaseUrlsProblem = "unknown-region" | "no-region";

/**
 * The one place the base URLs come from: `https://api.<domain>` and `https://login.<domain>` of the region,
 * each replaced by its explicit URL when given. Settings report the problem against the setting; the client
 * throws it.
 */
export function deriveBaseUrls(
  settings: GenesysEndpointSettings,
): { urls: GenesysBaseUrls } | { problem: GenesysBaseUrlsProblem } {
  const domain = settings.region === undefined ? undefined : regionDomain(settings.region);
  if (settings.region !== undefined && domain === undefined) return { problem: "unknown-region" };
  const apiBaseUrl = settings.apiBaseUrl ?? (domain ? `https://api.${domain}` : undefined);
  const loginBaseUrl = settings.loginBaseUrl ?? (domain ? `https://login.${domain}` : undefined);
  if (!apiBaseUrl || !loginBaseUrl) return { problem: "no-region" };
  return {
    urls: { apiBaseUrl: withoutTrailingSlash(apiBaseUrl), loginBaseUrl: withoutTrailingSlash(loginBaseUrl) },
  };
}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, "");
