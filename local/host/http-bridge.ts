/**
 * Converts between Node's HTTP objects and the worker's RPC HTTP shapes, as the Functions host does:
 * text-like bodies (JSON, XML, text, forms) go in as `{ string }`, anything else as `{ bytes }`; the
 * response's status, headers, cookies and body bytes are written back as they came.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RpcHttpData, RpcTypedData } from "./functions-core";

const TEXT_TYPES = /^(text\/|application\/(json|xml|[\w.+-]+\+(json|xml)|x-www-form-urlencoded|javascript))/i;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Builds the RPC HTTP trigger data for a request whose route matched with `params`. */
/** The request's headers as the host passes them on: one string per name. */
export function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

export function toRpcHttpRequest(
  req: IncomingMessage,
  headers: Record<string, string>,
  body: Buffer,
  url: URL,
  params: Record<string, string>,
): RpcHttpData {
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  let rpcBody: RpcTypedData | undefined;
  if (body.length > 0) {
    rpcBody = TEXT_TYPES.test(headers["content-type"] ?? "text/plain")
      ? { string: body.toString("utf8") }
      : { bytes: new Uint8Array(body) };
  }
  return { method: req.method ?? "GET", url: url.href, headers, query, params, body: rpcBody };
}

interface RpcCookie {
  name: string;
  value: string;
  domain?: { value: string };
  path?: { value: string };
  expires?: { value: { seconds: number } };
  secure?: { value: boolean };
  httpOnly?: { value: boolean };
  sameSite?: string;
  maxAge?: { value: number };
}

function cookieHeader(cookie: RpcCookie): string {
  const parts = [`${cookie.name}=${cookie.value}`];
  if (cookie.domain) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path) parts.push(`Path=${cookie.path.value}`);
  if (cookie.expires) parts.push(`Expires=${new Date(cookie.expires.value.seconds * 1000).toUTCString()}`);
  if (cookie.maxAge) parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value) parts.push("Secure");
  if (cookie.httpOnly?.value) parts.push("HttpOnly");
  if (cookie.sameSite === "lax") parts.push("SameSite=Lax");
  else if (cookie.sameSite === "strict") parts.push("SameSite=Strict");
  else if (cookie.sameSite === "explicitNone") parts.push("SameSite=None");
  return parts.join("; ");
}

/** Writes an RPC HTTP response; a function that returned nothing answers 204, as the host does. */
export function writeRpcHttpResponse(res: ServerResponse, http: RpcHttpData | undefined): void {
  if (!http) {
    res.writeHead(204).end();
    return;
  }
  const status = Number(http.statusCode ?? 200);
  for (const [name, value] of Object.entries(http.headers ?? {})) res.setHeader(name, value);
  const cookies = (http.cookies ?? []) as RpcCookie[];
  if (cookies.length > 0) res.setHeader("Set-Cookie", cookies.map(cookieHeader));
  const body = http.body;
  let bytes: Buffer = Buffer.alloc(0);
  if (body?.bytes !== undefined) bytes = Buffer.from(body.bytes);
  else if (body?.string !== undefined) bytes = Buffer.from(body.string, "utf8");
  res.writeHead(status);
  res.end(bytes);
}

/** A JSON answer from the host itself (admin and Durable APIs). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { "Content-Type": "application/json; charset=utf-8" } : {}),
    ...headers,
  });
  res.end(text);
}
