import type { IncomingMessage, ServerResponse } from "node:http";
import { text } from "node:stream/consumers";
import { malformedBody } from "./errors.ts";

/** What a route answers; the router adds the rate-limit headers and serializes the body. */
export interface Reply {
  status: number;
  /** JSON body; omitted for 204. */
  body?: unknown;
  /** Extra headers; an array value becomes several header lines (Okta sends one `link` line per rel). */
  headers?: Record<string, string | string[]>;
}

export const json = (body: unknown, headers?: Record<string, string | string[]>): Reply => ({
  status: 200,
  body,
  ...(headers === undefined ? {} : { headers }),
});

export const noContent = (): Reply => ({ status: 204 });

/** Reads and parses a JSON request body; an empty body is `undefined`, malformed JSON is 400 E0000003. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const raw = await text(req);
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw malformedBody();
  }
}

/** Writes a reply as JSON (`application/json`, as Okta answers). */
export function writeReply(res: ServerResponse, reply: Reply, extraHeaders: Record<string, string>): void {
  const headers: Record<string, string | string[]> = { ...extraHeaders, ...reply.headers };
  if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  res
    .writeHead(reply.status, { ...headers, "Content-Type": "application/json" })
    .end(JSON.stringify(reply.body));
}

/** The org URL links are built on: the configured one, or the scheme and host the client used. */
export function baseUrlOf(req: IncomingMessage, configured: string | undefined): string {
  if (configured !== undefined) return configured.replace(/\/+$/, "");
  const forwarded = req.headers["x-forwarded-proto"];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded) ?? "http";
  return `${proto}://${req.headers.host ?? "127.0.0.1"}`;
}

/** The client IP as Okta logs it (IPv4-mapped IPv6 addresses unwrapped). */
export function clientIp(req: IncomingMessage): string {
  const ip = req.socket.remoteAddress ?? "127.0.0.1";
  return ip.startsWith("::ffff:") ? ip.slice("::ffff:".length) : ip;
}

/** One `link` header value: `<url>; rel="next"`. */
export function linkValue(url: string, rel: "self" | "next"): string {
  return `<${url}>; rel="${rel}"`;
}
