import { ID_PREFIX, type IdFactory } from "./deterministic.ts";

/** A registered event hook (Event Hooks Management API). */
export interface EventHook {
  id: string;
  name: string;
  status: "ACTIVE" | "INACTIVE";
  verificationStatus: "UNVERIFIED" | "VERIFIED";
  /** Subscribed event types (`events.items`). */
  events: string[];
  /** `channel.config.uri`. */
  uri: string;
  /** Extra headers sent with every call (`channel.config.headers`). */
  headers: { key: string; value: string }[];
  /** The secret header (`channel.config.authScheme`, type HEADER), usually `Authorization`. */
  authScheme: { type: "HEADER"; key: string; value: string } | null;
  /** The org URL the hook was registered on (the delivery envelope's `source` starts with it). */
  orgUrl: string;
  created: string;
  lastUpdated: string;
}

/** What `POST /api/v1/eventHooks` supplies. */
export interface NewEventHook {
  name: string;
  events: string[];
  uri: string;
  headers: { key: string; value: string }[];
  authScheme: { type: "HEADER"; key: string; value: string } | null;
}

/**
 * "You can have a maximum of 25 active and verified event hooks set up in your org" (Okta's Event
 * hooks concept page, developer.okta.com/docs/concepts/event-hooks/).
 */
export const MAX_VERIFIED_HOOKS = 25;

/**
 * Event hooks "take the form of HTTPS REST calls to a URL you specify" (Event hooks concept page): a
 * hook URI must be `https:`. With `allowLoopbackHttp` (which the local stack switches on), an
 * `http:` URI on a loopback host (127.0.0.0/8, `localhost`, `[::1]`) is accepted too. Returns the
 * problem in words, or `null` when the URI is acceptable.
 */
export function hookUriProblem(uri: string, allowLoopbackHttp: boolean): string | null {
  const url = URL.parse(uri);
  if (url === null) return "must be an absolute URL";
  if (url.protocol === "https:") return null;
  const loopback =
    url.hostname === "localhost" || url.hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol === "http:" && loopback && allowLoopbackHttp) return null;
  if (url.protocol === "http:" && loopback)
    return "must use https (Okta calls event hooks over HTTPS only); a loopback http URI needs the emulator's hookRegistry.allowLoopbackHttp";
  return "must use https: Okta calls event hooks over HTTPS only";
}

/** The org's event hooks. */
export class EventHookRegistry {
  /** Accept `http:` hook URIs on a loopback host (see `hookUriProblem`). @default false */
  allowLoopbackHttp = false;
  private readonly hooks = new Map<string, EventHook>();
  private readonly ids: IdFactory;
  private readonly now: () => string;

  constructor(ids: IdFactory, now: () => string) {
    this.ids = ids;
    this.now = now;
  }

  /** Registers a hook in ACTIVE status, UNVERIFIED until `POST .../lifecycle/verify` succeeds. */
  create(input: NewEventHook, orgUrl: string): EventHook {
    const at = this.now();
    const hook: EventHook = {
      id: this.ids.objectId(ID_PREFIX.eventHook),
      name: input.name,
      status: "ACTIVE",
      verificationStatus: "UNVERIFIED",
      events: [...input.events],
      uri: input.uri,
      headers: input.headers.map((header) => ({ ...header })),
      authScheme: input.authScheme === null ? null : { ...input.authScheme },
      orgUrl,
      created: at,
      lastUpdated: at,
    };
    this.hooks.set(hook.id, hook);
    return hook;
  }

  get(id: string): EventHook | undefined {
    return this.hooks.get(id);
  }

  list(): EventHook[] {
    return [...this.hooks.values()];
  }

  /**
   * Replaces a hook's name, events and channel (`PUT /api/v1/eventHooks/{id}`). A new URI or secret
   * must be verified again before deliveries resume (the emulator's reading; register-hook verifies
   * after every replace anyway).
   */
  replace(hook: EventHook, input: NewEventHook): void {
    const changed =
      hook.uri !== input.uri || JSON.stringify(hook.authScheme) !== JSON.stringify(input.authScheme);
    hook.name = input.name;
    hook.events = [...input.events];
    hook.uri = input.uri;
    hook.headers = input.headers.map((header) => ({ ...header }));
    hook.authScheme = input.authScheme === null ? null : { ...input.authScheme };
    if (changed) hook.verificationStatus = "UNVERIFIED";
    hook.lastUpdated = this.now();
  }

  /** `POST .../lifecycle/activate` and `.../deactivate`. */
  setStatus(hook: EventHook, status: EventHook["status"]): void {
    hook.status = status;
    hook.lastUpdated = this.now();
  }

  markVerified(hook: EventHook): void {
    hook.verificationStatus = "VERIFIED";
    hook.lastUpdated = this.now();
  }

  /** Only ACTIVE and VERIFIED hooks receive events (Event Hooks Management API, "Verify Event Hook"). */
  subscribers(eventType: string): EventHook[] {
    return this.list().filter(
      (hook) =>
        hook.status === "ACTIVE" && hook.verificationStatus === "VERIFIED" && hook.events.includes(eventType),
    );
  }

  /** How many hooks are active and verified. */
  verifiedCount(): number {
    return this.list().filter((hook) => hook.status === "ACTIVE" && hook.verificationStatus === "VERIFIED")
      .length;
  }
}

/** The Event Hook object as the API returns it: the auth scheme's secret `value` is never echoed. */
export function eventHookResource(hook: EventHook, baseUrl: string): Record<string, unknown> {
  return {
    id: hook.id,
    name: hook.name,
    status: hook.status,
    verificationStatus: hook.verificationStatus,
    events: { type: "EVENT_TYPE", items: [...hook.events], filter: null },
    channel: {
      type: "HTTP",
      version: "1.0.0",
      config: {
        uri: hook.uri,
        method: "POST",
        headers: hook.headers.map((header) => ({ ...header })),
        authScheme:
          hook.authScheme === null ? null : { type: hook.authScheme.type, key: hook.authScheme.key },
      },
    },
    created: hook.created,
    lastUpdated: hook.lastUpdated,
    _links: {
      self: { href: `${baseUrl}/api/v1/eventHooks/${hook.id}` },
      verify: {
        href: `${baseUrl}/api/v1/eventHooks/${hook.id}/lifecycle/verify`,
        hints: { allow: ["POST"] },
      },
    },
  };
}
