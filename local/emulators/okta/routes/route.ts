import type { IncomingMessage } from "node:http";
import type { OktaAnswerSwitches } from "../answer-switches.ts";
import type { IdFactory } from "../deterministic.ts";
import type { OktaDirectory } from "../directory.ts";
import type { EventHookRegistry } from "../event-hooks.ts";
import type { OktaFaults } from "../faults.ts";
import type { HookDelivery } from "../hook-delivery.ts";
import type { Reply } from "../http.ts";
import type { RequestContext } from "../log-event-factory.ts";
import type { OktaOperations } from "../operations.ts";
import type { SystemLog } from "../system-log.ts";

/** Everything a route can use. */
export interface OktaServices {
  directory: OktaDirectory;
  operations: OktaOperations;
  log: SystemLog;
  hooks: EventHookRegistry;
  delivery: HookDelivery;
  faults: OktaFaults;
  ids: IdFactory;
  /** Epoch milliseconds. */
  clock: () => number;
  /** What the spec leaves open in answers (mutable at runtime). */
  answerSwitches: OktaAnswerSwitches;
}

/** One authenticated request, as a route sees it. */
export interface RouteRequest {
  req: IncomingMessage;
  url: URL;
  /** The org URL links are built on (`https://{yourOktaDomain}` in Okta's docs). */
  baseUrl: string;
  /** Named path parameters. */
  params: Record<string, string>;
  /** The parsed JSON body (`undefined` when empty). */
  body: () => Promise<unknown>;
  /** Who and what to write into the LogEvents this request causes. */
  context: RequestContext;
}

/** A route: method, a path pattern with named groups, and the handler. */
export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  pattern: RegExp;
  handle: (request: RouteRequest) => Promise<Reply> | Reply;
}

/** `/api/v1/users/:id/groups` -> a RegExp with named groups (`[^/]+` per parameter). */
export function path(template: string): RegExp {
  const source = template.replace(/:(\w+)/g, (_match, name: string) => `(?<${name}>[^/]+)`);
  return new RegExp(`^${source}$`);
}
