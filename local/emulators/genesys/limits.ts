/** The organisation's limits, as Genesys lists them per namespace. */
import { notFound } from "./errors";
import { paginate } from "./paging";
import type { RequestContext, Router } from "./router";

/**
 * `GET /api/v2/organizations/limits/namespaces/{namespaceName}`: "the effective limits in a namespace for an
 * organization" (`LimitsEntityListing` of `{ key, namespace, value }`). The namespaces known here are the one
 * holding the per-token and per-client request limits (`platform.api`) and those set in `namespaceLimits`.
 */
function namespaceLimits(ctx: RequestContext) {
  const namespace = ctx.params.namespaceName;
  const { settings } = ctx.emulator.limiter;
  const limits =
    namespace === "platform.api"
      ? [
          { key: "client.credentials.token.rate.per.minute", namespace, value: settings.perTokenPerMinute },
          { key: "org.app.user.rate.per.minute", namespace, value: settings.perClientPerMinute },
        ]
      : (settings.namespaceLimits ?? [])
          .filter((n) => n.namespace === namespace)
          .map(({ key, value }) => ({ key, namespace, value }));
  if (limits.length === 0) throw notFound("namespace", namespace);
  return {
    status: 200,
    body: paginate(limits, ctx.query, `/api/v2/organizations/limits/namespaces/${namespace}`),
  };
}

export function registerLimitRoutes(router: Router): void {
  router.add("GET", "/api/v2/organizations/limits/namespaces/{namespaceName}", namespaceLimits);
}
