// bench/flood: a real leaver amid a flood of forged leaver events for ids Okta does not know
// (issue 12, point 8). Prints, per flood size, the real leaver's time to Deny and to access removed,
// and what the flood cost in API calls, next to the bound: a forged run may cost one Okta read, one
// DynamoDB read, at most one identity-store read and no sso-admin call.
// Run: npm run bench -- flood   (writes bench/results/flood.json)
import { mkdir, writeFile } from "node:fs/promises";
import { randomHookSecret } from "../local/local-secrets.ts";
import { startLocalStack } from "../local/stack/local-stack.ts";

const SECRET = randomHookSecret();
const PER_DELIVERY = 100;
const LEAVER = "jane.doe@example.com";

const randomOktaId = () =>
  `00u${Array.from(crypto.getRandomValues(new Uint8Array(17)), (b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("")}`;

interface Case {
  forged: number;
  denySeconds: number;
  accessRemovedSeconds: number;
  /** Calls the whole stack made, minus those of a quiet run of the same leaver. */
  identityStoreCalls: number;
  ssoAdminCalls: number;
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

async function measure(forged: number): Promise<Case> {
  const stack = await startLocalStack({ port: 0, hookSecret: SECRET, holdSeconds: 600, pollMs: 20 });
  try {
    stack.emulators.identityCenter.resetCallCounts();
    const deliver = (events: unknown[]) =>
      fetch(stack.endpoints.hook.url, {
        method: "POST",
        headers: { authorization: SECRET, "content-type": "application/json" },
        body: JSON.stringify({
          eventType: "com.okta.event_hook",
          eventTypeVersion: "1.0",
          cloudEventsVersion: "0.1",
          source: `${stack.url}/api/v1/eventHooks/bench`,
          eventId: crypto.randomUUID(),
          eventTime: new Date().toISOString(),
          contentType: "application/json",
          data: { events },
        }),
      });
    const events = Array.from({ length: forged }, (_, i) => ({
      uuid: `flood-${i}`,
      published: new Date().toISOString(),
      eventType: "user.lifecycle.deactivate",
      version: "0",
      severity: "INFO",
      displayMessage: "Deactivate Okta user",
      actor: null,
      outcome: { result: "SUCCESS", reason: null },
      target: [{ id: randomOktaId(), type: "User", alternateId: LEAVER, displayName: "x" }],
    }));
    const half = Math.floor(events.length / PER_DELIVERY / 2) * PER_DELIVERY;
    const sent: Promise<Response>[] = [];
    for (let i = 0; i < half; i += PER_DELIVERY) sent.push(deliver(events.slice(i, i + PER_DELIVERY)));
    const user = stack.emulators.okta.state.user(LEAVER);
    await fetch(`${stack.url}/api/v1/users/${user?.id}/lifecycle/deactivate`, {
      method: "POST",
      headers: { authorization: `SSWS ${stack.emulators.okta.apiToken}`, accept: "application/json" },
    });
    for (let i = half; i < events.length; i += PER_DELIVERY)
      sent.push(deliver(events.slice(i, i + PER_DELIVERY)));
    await Promise.all(sent);
    const key = await stack.waitForEvidence(String(user?.id), "run", 180_000);
    const record = JSON.parse(await stack.adapters.evidence.get(key));
    await stack.settle();
    await Promise.all(
      stack.stepFunctions
        .executions()
        .filter((e) => e.name.includes("flood-"))
        .map((e) => e.done),
    );
    const t = record.body.timings;
    const since = (instant: string) => (Date.parse(instant) - Date.parse(t.oktaPublished)) / 1000;
    const snapshot = stack.emulators.identityCenter.snapshot();
    return {
      forged,
      denySeconds: since(t.denyInForce),
      accessRemovedSeconds: since(t.accessRemoved),
      identityStoreCalls: sum(snapshot.calls.identityStore),
      ssoAdminCalls: sum(snapshot.calls.ssoAdmin),
    };
  } finally {
    await stack.stop();
  }
}

const cases: Case[] = [];
for (const forged of [0, 100, 300]) {
  const c = await measure(forged);
  cases.push(c);
  const quiet = cases[0] as Case;
  const extra = (n: number, q: number) => (forged === 0 ? "-" : ((n - q) / forged).toFixed(2));
  console.log(
    `${String(forged).padStart(3)} forged: Deny ${c.denySeconds.toFixed(2)} s, access removed ${c.accessRemovedSeconds.toFixed(2)} s; ` +
      `per forged event: identity-store ${extra(c.identityStoreCalls, quiet.identityStoreCalls)} (bound 1), ` +
      `sso-admin ${extra(c.ssoAdminCalls, quiet.ssoAdminCalls)} (bound 0)`,
  );
}
await mkdir(new URL("./results/", import.meta.url), { recursive: true });
await writeFile(new URL("./results/flood.json", import.meta.url), `${JSON.stringify(cases, null, 2)}\n`);
