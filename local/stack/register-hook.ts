import type { OktaHttpOptions } from "../../adapters/okta/http-client.ts";
import { OktaEventHooks, registerEventHook as register } from "../../adapters/okta-event-hooks.ts";

/** Thrown when Okta did not create or verify the hook. */
export class HookRegistrationError extends Error {
  override name = "HookRegistrationError";
}

/**
 * Creates (or updates) the event hook through Okta's Event Hooks API and triggers the one-time
 * verification, exactly as `okta-aws-lifecycle okta register-hook` does against a real org
 * (adapters/okta-event-hooks.ts).
 */
export async function registerEventHook(options: {
  orgUrl: string;
  /** SSWS (`token`) or a service app with the event-hook scopes (`serviceApp`): okta-auth.ts. */
  credentials: Pick<OktaHttpOptions, "token" | "serviceApp">;
  hookUrl: string;
  secret: string;
  name?: string;
}) {
  try {
    const { hook } = await register(new OktaEventHooks({ orgUrl: options.orgUrl, ...options.credentials }), {
      uri: options.hookUrl,
      secret: options.secret,
      ...(options.name ? { name: options.name } : {}),
    });
    return { id: hook.id, verificationStatus: hook.verificationStatus };
  } catch (error) {
    throw new HookRegistrationError(
      `registering the event hook at ${options.hookUrl} failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
