import type { LocalStack } from "../../local/stack/local-stack.ts";

/** Delivers events to the local stack's hook as an Okta event hook would (envelope, Authorization). */
export async function deliverToHook(
  stack: LocalStack,
  secret: string,
  events: unknown[],
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(stack.endpoints.hook.url, {
    method: "POST",
    headers: { authorization: secret, "content-type": "application/json" },
    body: JSON.stringify({
      eventType: "com.okta.event_hook",
      eventTypeVersion: "1.0",
      cloudEventsVersion: "0.1",
      source: `${stack.url}/api/v1/eventHooks/replay`,
      eventId: crypto.randomUUID(),
      eventTime: new Date().toISOString(),
      contentType: "application/json",
      data: { events },
    }),
  });
  return { status: res.status, body: await res.json() };
}

/** Calls the local Okta org's management API as an administrator would (SSWS token). */
export async function oktaAdmin(
  stack: LocalStack,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      authorization: `SSWS ${stack.emulators.okta.apiToken}`,
      "content-type": "application/json",
      accept: "application/json",
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // A 204, or a 200 the spec declares without content (lifecycle deactivate / suspend / unsuspend), may
  // carry no body at all (the emulator's lifecycleBody switch).
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : JSON.parse(text) };
}
