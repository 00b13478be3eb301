import type { EventHook, OktaEventHooks } from "../../adapters/okta-event-hooks.ts";
import { LIFECYCLE_EVENT_TYPES } from "../../core/okta/event-types.ts";
import { type CheckResult, guarded, ok, problem } from "./check.ts";

export interface HookCheckTarget {
  hooks: OktaEventHooks;
  name: string;
  /** The deployment's `.../okta/events` URL, when known: the hook must point at it. */
  expectedUrl?: string;
  /** Answers Okta's verification challenge on `expectedUrl` (GET); `fetch` in the CLI. */
  fetch?: typeof globalThis.fetch;
}

const CHECK = "Okta event hook";

/**
 * The named hook exists, is ACTIVE and VERIFIED, subscribes every lifecycle event type and points at
 * the deployment's endpoint, and that endpoint answers a verification challenge from here.
 */
export function checkHook(target: HookCheckTarget): Promise<CheckResult> {
  const register = `okta-aws-lifecycle okta register-hook --url ${target.expectedUrl ?? "<hookUrl>"} --secret-from env:HOOK_SECRET`;
  return guarded(CHECK, `check the Okta org URL and API token, then: ${register}`, async () => {
    const hook: EventHook | null = await target.hooks.findByName(target.name);
    if (hook === null) return problem(CHECK, `no event hook named "${target.name}" in Okta`, register);
    const wrong: string[] = [];
    if (hook.status !== "ACTIVE") wrong.push(`it is ${hook.status}`);
    if (hook.verificationStatus !== "VERIFIED") wrong.push("it is not verified (Okta delivers nothing yet)");
    const missing = LIFECYCLE_EVENT_TYPES.filter((t) => !hook.events.includes(t));
    if (missing.length > 0)
      wrong.push(`it misses ${missing.length} lifecycle event type(s): ${missing.join(", ")}`);
    if (target.expectedUrl !== undefined && hook.uri !== target.expectedUrl) {
      wrong.push(`it points at ${hook.uri}, not the deployment's ${target.expectedUrl}`);
    }
    if (wrong.length > 0) return problem(CHECK, `hook ${hook.id}: ${wrong.join("; ")}`, `re-run ${register}`);
    if (target.expectedUrl !== undefined && target.fetch !== undefined) {
      const challenge = `doctor-${Date.now()}`;
      const answer = await target.fetch(target.expectedUrl, {
        headers: { "x-okta-verification-challenge": challenge },
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await answer.json().catch(() => null)) as { verification?: string } | null;
      if (!answer.ok || body?.verification !== challenge) {
        return problem(
          CHECK,
          `${target.expectedUrl} did not answer a verification challenge (HTTP ${answer.status})`,
          "check the API Gateway stage and the okta-hook function's logs",
        );
      }
    }
    return ok(
      CHECK,
      `"${hook.name}" (${hook.id}) is ACTIVE and VERIFIED, ${hook.events.length} event types -> ${hook.uri}`,
    );
  });
}
