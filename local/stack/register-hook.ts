import { LIFECYCLE_EVENT_TYPES } from "../../core/okta/event-types.ts";

/** Thrown when Okta did not create or verify the hook. */
export class HookRegistrationError extends Error {
  override name = "HookRegistrationError";
}

/**
 * Creates the event hook through Okta's Event Hooks API and triggers the one-time verification,
 * exactly as an administrator (or `okta-aws-lifecycle okta register-hook`) would against a real org.
 */
export async function registerEventHook(options: {
  orgUrl: string;
  apiToken: string;
  hookUrl: string;
  secret: string;
  name?: string;
}) {
  const headers = {
    authorization: `SSWS ${options.apiToken}`,
    "content-type": "application/json",
    accept: "application/json",
  };
  const created = await fetch(`${options.orgUrl}/api/v1/eventHooks`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      name: options.name ?? "okta-aws-lifecycle",
      events: { type: "EVENT_TYPE", items: [...LIFECYCLE_EVENT_TYPES] },
      channel: {
        type: "HTTP",
        version: "1.0.0",
        config: {
          uri: options.hookUrl,
          headers: [],
          authScheme: { type: "HEADER", key: "Authorization", value: options.secret },
        },
      },
    }),
  });
  if (!created.ok)
    throw new HookRegistrationError(
      `creating the event hook failed: ${created.status} ${await created.text()}`,
    );
  const hook = (await created.json()) as { id: string };
  const verified = await fetch(`${options.orgUrl}/api/v1/eventHooks/${hook.id}/lifecycle/verify`, {
    method: "POST",
    headers,
  });
  const body = (await verified.json()) as { verificationStatus?: string };
  if (!verified.ok || body.verificationStatus !== "VERIFIED") {
    throw new HookRegistrationError(
      `Okta could not verify the hook at ${options.hookUrl}: ${JSON.stringify(body)}`,
    );
  }
  return { id: hook.id, verificationStatus: body.verificationStatus };
}
