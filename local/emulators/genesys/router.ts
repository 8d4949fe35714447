/**
 * Route table for the Platform API surface. Routes are written as the SDK writes them
 * (`/api/v2/users/{userId}`), which also gives the per-endpoint counters their keys.
 */
import type { OAuthClient } from "./state";
import type { Emulator } from "./emulator";

export interface RequestContext {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  client: OAuthClient;
  token: string;
  correlationId: string;
  emulator: Emulator;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler): this {
    const names: string[] = [];
    const source = template
      .split("/")
      .map((segment) => {
        const match = /^\{(\w+)\}$/.exec(segment);
        if (!match) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        names.push(match[1]);
        return "([^/]+)";
      })
      .join("/");
    this.routes.push({ method, template, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  /** Literal routes win over parameterised ones (`/users/search` before `/users/{userId}`). */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
      const literals = route.template.split("/").filter((s) => !s.startsWith("{")).length;
      if (!best || literals > best.literals) best = { route, params, literals };
    }
    return best && { route: best.route, params: best.params };
  }

  /** Whether any method serves this path (to tell 405 from 404). */
  knows(path: string): boolean {
    return this.routes.some((r) => r.pattern.test(path));
  }
}
