/**
 * ASP.NET-style route templates as Azure Functions HTTP triggers use them: `users/{id}`, optional
 * parameters (`{id?}`), constraints (`{id:int}`, `{name:alpha}`, `{id:guid}`, others accepted as-is),
 * defaults (`{page=1}`) and catch-all (`{*rest}`). Literal segments match case-insensitively, like the host.
 */

export interface RouteMatcher {
  template: string;
  match(path: string): Record<string, string> | undefined;
}

const CONSTRAINTS: Record<string, string> = {
  int: "-?\\d+",
  long: "-?\\d+",
  bool: "(?:true|false|True|False)",
  alpha: "[A-Za-z]+",
  guid: "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}",
  double: "-?\\d+(?:\\.\\d+)?",
  decimal: "-?\\d+(?:\\.\\d+)?",
  float: "-?\\d+(?:\\.\\d+)?",
};

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Compiles a route template (without the route prefix) into a matcher of decoded paths. */
export function compileRoute(template: string): RouteMatcher {
  const segments = template
    .replace(/^\/+|\/+$/g, "")
    .split("/")
    .filter(Boolean);
  const defaults: Record<string, string> = {};
  let pattern = "";
  for (const segment of segments) {
    const param = /^\{(\*{1,2})?([A-Za-z_][\w]*)((?::[^=?}]+)*)(\?)?(?:=([^}]*))?\}$/.exec(segment);
    if (!param) {
      pattern += "/" + escapeRegex(segment).replace(/\\\{[^}]*\\\}/g, "[^/]+");
      continue;
    }
    const [, catchAll, name, constraintText, optional, defaultValue] = param;
    if (defaultValue !== undefined) defaults[name] = defaultValue;
    const constraints = constraintText.split(":").filter(Boolean);
    const body = catchAll
      ? ".*"
      : (constraints.map((c) => CONSTRAINTS[c.replace(/\(.*$/, "").toLowerCase()]).find(Boolean) ?? "[^/]+");
    const group = `(?<${name}>${body})`;
    pattern += optional || defaultValue !== undefined || catchAll ? `(?:/${group})?` : `/${group}`;
  }
  const regex = new RegExp(`^${pattern}/?$`, "i");
  return {
    template,
    match(path) {
      const found = regex.exec(path === "" ? "/" : path);
      if (!found) return undefined;
      const params: Record<string, string> = {};
      for (const [key, value] of Object.entries(found.groups ?? {})) {
        if (value !== undefined) params[key] = decodeURIComponent(value);
        else if (defaults[key] !== undefined) params[key] = defaults[key];
      }
      return params;
    },
  };
}
