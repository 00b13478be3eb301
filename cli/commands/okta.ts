import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { Command } from "commander";
import { z } from "zod";
import { OKTA_SCOPES } from "../../adapters/okta/scopes.ts";
import {
  DEFAULT_HOOK_NAME,
  HookVerificationError,
  OktaEventHooks,
  registerEventHook,
} from "../../adapters/okta-event-hooks.ts";
import { LIFECYCLE_EVENT_TYPES } from "../../core/okta/event-types.ts";
import { envOktaCredentials, LocalOktaEndpoint, localOktaCredentials } from "../okta-credentials.ts";
import { parseSecretSource, readSecret, type SecretReaders } from "../secret-source.ts";

export interface RegisterHookOptions {
  url: string;
  secretFrom: string;
  name: string;
  /** Okta org; without it, the local stack's (`--endpoints`). */
  oktaOrgUrl?: string;
  oktaTokenEnv: string;
  endpoints: string;
}

/** Thrown for input the command refuses before calling Okta. */
export class RegisterHookError extends Error {
  override name = "RegisterHookError";
}

const LocalOkta = z.object({ okta: LocalOktaEndpoint });

async function oktaTarget(options: RegisterHookOptions, env: Record<string, string | undefined>) {
  if (options.oktaOrgUrl) {
    const credentials = await envOktaCredentials(
      env,
      OKTA_SCOPES.registerHook,
      options.oktaTokenEnv,
      "an admin who may manage event hooks (Super or Org Administrator)",
    ).catch((error: Error) => {
      throw new RegisterHookError(error.message);
    });
    return { orgUrl: options.oktaOrgUrl, credentials };
  }
  if (!existsSync(options.endpoints)) {
    throw new RegisterHookError(
      `pass --okta-org-url https://<your-org>.okta.com (or start the local stack: no ${options.endpoints})`,
    );
  }
  const parsed = LocalOkta.safeParse(JSON.parse(await readFile(options.endpoints, "utf8")));
  if (!parsed.success)
    throw new RegisterHookError(`${options.endpoints} has no Okta endpoint; restart npm start`);
  return {
    orgUrl: parsed.data.okta.orgUrl,
    credentials: localOktaCredentials(parsed.data.okta, OKTA_SCOPES.registerHook),
  };
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RegisterHookError(`--url "${url}" is not a URL`);
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname);
  if (parsed.protocol !== "https:" && !loopback) {
    throw new RegisterHookError(`--url must be https (Okta only delivers to HTTPS endpoints): ${url}`);
  }
  if (!parsed.pathname.endsWith("/okta/events")) {
    throw new RegisterHookError(
      `--url should be the deployment's hook endpoint, ending in /okta/events (the hookUrl output of sst deploy): ${url}`,
    );
  }
}

/**
 * `okta-aws-lifecycle okta register-hook`: creates (or updates, by name) the Okta event hook with the
 * lifecycle event types, activates it, has Okta verify it, and reports the result.
 */
export async function runRegisterHook(
  options: RegisterHookOptions,
  readers: SecretReaders,
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  try {
    checkUrl(options.url);
    const secret = await readSecret(parseSecretSource(options.secretFrom), readers);
    const okta = await oktaTarget(options, readers.env);
    const { hook, action, activated } = await registerEventHook(
      new OktaEventHooks({ orgUrl: okta.orgUrl, ...okta.credentials }),
      { name: options.name, uri: options.url, secret },
    );
    const lines = [
      `Event hook "${hook.name}" ${action}${activated ? " and activated" : ""} in ${okta.orgUrl} (id ${hook.id})`,
      `  URL     ${hook.uri}`,
      `  Events  ${hook.events.length} lifecycle event types`,
      `  Status  ${hook.status}, ${hook.verificationStatus}`,
      "Okta now delivers lifecycle events to the hook. Check the whole deployment with: okta-aws-lifecycle doctor",
    ];
    return { stdout: `${lines.join("\n")}\n`, stderr: "", exitCode: 0 };
  } catch (error) {
    const e = error as Error;
    const hint =
      error instanceof HookVerificationError
        ? `\nOkta calls GET ${options.url} with an X-Okta-Verification-Challenge header and expects it echoed back.` +
          `\nCheck it yourself: curl -H 'x-okta-verification-challenge: hello' ${options.url}`
        : "";
    return { stdout: "", stderr: `register-hook: ${e.message}${hint}\n`, exitCode: 1 };
  }
}

export function registerOkta(program: Command): void {
  const okta = program.command("okta").description("Set up the Okta side of the deployment.");
  okta
    .command("register-hook")
    .description(
      `Create or update the Okta event hook (${LIFECYCLE_EVENT_TYPES.length} lifecycle event types), activate and verify it.`,
    )
    .requiredOption(
      "--url <url>",
      "the deployed hook endpoint (hookUrl of `sst deploy`), ending in /okta/events",
    )
    .requiredOption(
      "--secret-from <source>",
      "where the hook secret is: env:NAME, file:PATH, ssm:NAME or secretsmanager:ID (never on the command line)",
    )
    .option("--name <name>", "the hook's name in Okta (found by it, so re-runs update it)", DEFAULT_HOOK_NAME)
    .option(
      "--okta-org-url <url>",
      "your Okta org (https://<org>.okta.com); without it, the local stack's emulator",
    )
    .option("--okta-token-env <name>", "environment variable holding the Okta API token", "OKTA_API_TOKEN")
    .option("--endpoints <file>", "the local stack's endpoints file", ".local/endpoints.json")
    .action(async (options: RegisterHookOptions) => {
      const result = await runRegisterHook(options, {
        env: process.env,
        ssm: () => new SSMClient({}),
        secretsManager: () => new SecretsManagerClient({}),
      });
      process.stdout.write(result.stdout);
      process.stderr.write(result.stderr);
      process.exitCode = result.exitCode;
    });
}
