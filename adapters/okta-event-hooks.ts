/**
 * Okta's Event Hooks Management API (`/api/v1/eventHooks`): list, create, replace, activate and
 * verify, through the same HTTP client as the rest of the Okta adapter (retries, rate limits, error
 * classes, validated bodies). `registerEventHook` is the idempotent setup `okta register-hook` and
 * the local stack run.
 */
import { z } from "zod";
import { LIFECYCLE_EVENT_TYPES } from "../core/okta/event-types.ts";
import { OktaHttpClient, type OktaHttpOptions } from "./okta/http-client.ts";

/** An event hook as Okta returns it (the secret is never echoed back). */
export interface EventHook {
  id: string;
  name: string;
  status: "ACTIVE" | "INACTIVE";
  verificationStatus: "VERIFIED" | "UNVERIFIED";
  events: string[];
  uri: string;
}

const eventHookSchema = z
  .object({
    id: z.string().min(1),
    name: z.string(),
    status: z.enum(["ACTIVE", "INACTIVE"]),
    verificationStatus: z.enum(["VERIFIED", "UNVERIFIED"]),
    events: z.object({ items: z.array(z.string()) }),
    channel: z.object({ config: z.object({ uri: z.string() }) }),
  })
  .transform(
    (h): EventHook => ({
      id: h.id,
      name: h.name,
      status: h.status,
      verificationStatus: h.verificationStatus,
      events: h.events.items,
      uri: h.channel.config.uri,
    }),
  );

/** What the hook should be. */
export interface EventHookSpec {
  /** Hooks are found by name: one name, one hook. @default "okta-aws-lifecycle" */
  name?: string;
  /** The deployed `.../okta/events` endpoint. */
  uri: string;
  /** The value Okta sends in the `Authorization` header. */
  secret: string;
  /** @default LIFECYCLE_EVENT_TYPES */
  events?: readonly string[];
}

export const DEFAULT_HOOK_NAME = "okta-aws-lifecycle";

/** Thrown when Okta refuses to verify the hook (it could not reach it, or got the wrong answer). */
export class HookVerificationError extends Error {
  override name = "HookVerificationError";
}

/** Thrown when several hooks carry the name: the tool will not guess which one is its own. */
export class AmbiguousHookError extends Error {
  override name = "AmbiguousHookError";
}

export class OktaEventHooks {
  private readonly http: OktaHttpClient;

  constructor(options: OktaHttpOptions) {
    this.http = new OktaHttpClient(options);
  }

  async list(): Promise<EventHook[]> {
    return (await this.http.read("GET", "/api/v1/eventHooks", z.array(eventHookSchema))).body;
  }

  /** The one hook named `name`, or `null`. */
  async findByName(name: string): Promise<EventHook | null> {
    const found = (await this.list()).filter((h) => h.name === name);
    if (found.length > 1) {
      throw new AmbiguousHookError(
        `${found.length} event hooks are named "${name}" (${found.map((h) => h.id).join(", ")}): delete the extra ones in Okta or pass another --name`,
      );
    }
    return found[0] ?? null;
  }

  create(spec: EventHookSpec): Promise<EventHook> {
    return this.write("POST", "/api/v1/eventHooks", spec);
  }

  /** Replaces name, events, URI and secret (`PUT /api/v1/eventHooks/{id}`). */
  replace(id: string, spec: EventHookSpec): Promise<EventHook> {
    return this.write("PUT", `/api/v1/eventHooks/${encodeURIComponent(id)}`, spec);
  }

  async activate(id: string): Promise<EventHook> {
    const path = `/api/v1/eventHooks/${encodeURIComponent(id)}/lifecycle/activate`;
    return (await this.http.read("POST", path, eventHookSchema)).body;
  }

  /**
   * Asks Okta to verify the hook (Okta calls GET on the URI with a challenge the endpoint must echo).
   * @throws HookVerificationError when Okta refuses (its error causes say why).
   */
  async verify(id: string): Promise<EventHook> {
    const path = `/api/v1/eventHooks/${encodeURIComponent(id)}/lifecycle/verify`;
    try {
      return (await this.http.read("POST", path, eventHookSchema)).body;
    } catch (error) {
      const causes = (error as { causes?: string[] }).causes ?? [];
      const status = (error as { status?: number }).status;
      if (status === 400 || status === 403) {
        throw new HookVerificationError(
          `Okta could not verify the hook: ${[(error as Error).message, ...causes].join("; ")}`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  private async write(method: "POST" | "PUT", path: string, spec: EventHookSpec): Promise<EventHook> {
    const body = {
      name: spec.name ?? DEFAULT_HOOK_NAME,
      events: { type: "EVENT_TYPE", items: [...(spec.events ?? LIFECYCLE_EVENT_TYPES)] },
      channel: {
        type: "HTTP",
        version: "1.0.0",
        config: {
          uri: spec.uri,
          headers: [],
          authScheme: { type: "HEADER", key: "Authorization", value: spec.secret },
        },
      },
    };
    return (await this.http.read(method, path, eventHookSchema, body)).body;
  }
}

/** What `registerEventHook` did. */
export interface HookRegistration {
  hook: EventHook;
  /** `created`: no hook had the name; `updated`: the named hook was replaced with the spec. */
  action: "created" | "updated";
  /** Whether the hook was INACTIVE and had to be activated. */
  activated: boolean;
}

/**
 * Makes the named hook exist with exactly the spec (events, URI, secret), active and verified.
 * Idempotent: a second run finds the hook by name and replaces it (Okta never echoes the secret, so
 * an update is the only way to be sure it is the one given) and verifies again.
 */
export async function registerEventHook(
  hooks: OktaEventHooks,
  spec: EventHookSpec,
): Promise<HookRegistration> {
  const name = spec.name ?? DEFAULT_HOOK_NAME;
  const existing = await hooks.findByName(name);
  let hook = existing
    ? await hooks.replace(existing.id, { ...spec, name })
    : await hooks.create({ ...spec, name });
  const activated = hook.status !== "ACTIVE";
  if (activated) hook = await hooks.activate(hook.id);
  hook = await hooks.verify(hook.id);
  return { hook, action: existing ? "updated" : "created", activated };
}
