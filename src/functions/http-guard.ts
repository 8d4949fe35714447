import {
  HttpRequest,
  type HttpFunctionOptions,
  type HttpHandler,
  type HttpResponseInit,
} from "@azure/functions";

/**
 * What every HTTP route goes through before its handler runs: the body is read within a byte cap (413 naming
 * the limit, decided on the declared length when there is one, so nothing oversized is read or parsed), and
 * the platform's identity headers are dropped unless App Service authentication vouches for them.
 */
export interface HttpGuardOptions {
  /** The largest request body any route accepts, in bytes. */
  maxBodyBytes: number;
  /**
   * Whether `x-ms-client-principal*` headers come from App Service authentication (or the local host that
   * stands in for it), which removes any a caller sends. Without it they are forged by definition.
   */
  trustPlatformPrincipal: boolean;
}

/** Largest request body, in bytes, on every route: well above any HR message, mapping or batch the app takes. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

export const PLATFORM_IDENTITY_HEADER = /^x-ms-client-principal/i;

export function tooLarge(maxBytes: number, what = "the request body"): HttpResponseInit {
  return {
    status: 413,
    jsonBody: { error: "too_large", message: `${what} is larger than the limit of ${maxBytes} bytes` },
  };
}

/** Wraps one handler with the guard. */
export function guardHandler(handler: HttpHandler, options: HttpGuardOptions): HttpHandler {
  return async (request, context) => {
    const length = request.headers.get("content-length");
    const declared = length === null ? undefined : Number(length);
    if (declared !== undefined && !(declared <= options.maxBodyBytes)) return tooLarge(options.maxBodyBytes);
    let forged = false;
    if (!options.trustPlatformPrincipal)
      request.headers.forEach((_value, name) => (forged ||= PLATFORM_IDENTITY_HEADER.test(name)));
    // The usual case costs nothing: a declared length within the cap (HTTP framing holds the body to it) and
    // no identity header to drop. Otherwise the body is read once, checked, and handed on in a copy.
    if (declared !== undefined && !forged) return handler(request, context);
    const hasBody = !["GET", "HEAD"].includes(request.method.toUpperCase());
    const body = hasBody ? new Uint8Array(await request.arrayBuffer()) : undefined;
    if (body && body.byteLength > options.maxBodyBytes) return tooLarge(options.maxBodyBytes);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      if (options.trustPlatformPrincipal || !PLATFORM_IDENTITY_HEADER.test(name)) headers[name] = value;
    });
    // The handler gets the same request with its body already read and checked, so it can read it again.
    const checked = new HttpRequest({
      method: request.method,
      url: request.url,
      headers,
      params: request.params,
      ...(body && body.byteLength > 0 ? { body: { bytes: body } } : {}),
    });
    return handler(checked, context);
  };
}

type HttpApp = { http(name: string, options: HttpFunctionOptions): void };

/** Registers every HTTP function through the guard; `registerFunctions` hands this to all registrations. */
export function guardHttp(app: HttpApp, options: HttpGuardOptions): HttpApp {
  return {
    http(name, functionOptions) {
      app.http(name, { ...functionOptions, handler: guardHandler(functionOptions.handler, options) });
    },
  };
}
