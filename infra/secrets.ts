/**
 * Secrets, set with `npx sst secret set <Name> <value> --stage <stage>` (docs/deploy.md) and copied into
 * Secrets Manager, where the functions read them through Powertools Parameters (cached 5 minutes):
 * - `HookSecret`: the `Authorization` value Okta sends with every hook call.
 * - `HookSecretNext`: the next hook secret during a rotation. Unset, it holds the current secret, so
 *   the hook always accepts exactly the current secret and, while rotating, the next one too.
 * - `OktaApiToken`: the SSWS API token the functions read Okta with.
 * Both hook secrets must be strong (infra/hook-secret-strength.ts): a weak one fails the deploy.
 */
import { checkHookSecret } from "./hook-secret-strength.ts";
import type { ResourceNames } from "./names.ts";

function storedSecret(id: string, name: string, description: string, value: $util.Input<string>) {
  const secret = new aws.secretsmanager.Secret(id, {
    name,
    description,
    // The source of truth is `sst secret`; a removed stage must be re-deployable under the same name.
    recoveryWindowInDays: 0,
  });
  new aws.secretsmanager.SecretVersion(`${id}Version`, { secretId: secret.id, secretString: value });
  return secret;
}

export function secrets(names: ResourceNames) {
  const hookSecret = new sst.Secret("HookSecret");
  // "" means no rotation in progress (a placeholder, never accepted: see below).
  const hookSecretNext = new sst.Secret("HookSecretNext", "");
  const oktaApiToken = new sst.Secret("OktaApiToken");

  const hookCurrent = storedSecret(
    "HookSecretCurrentStored",
    names.secrets.hookCurrent,
    "Okta event hook Authorization value (current)",
    hookSecret.value.apply((value) => checkHookSecret("HookSecret", value)),
  );
  const hookNext = storedSecret(
    "HookSecretNextStored",
    names.secrets.hookNext,
    "Okta event hook Authorization value (next, during a rotation; otherwise the current one)",
    $resolve([hookSecret.value, hookSecretNext.value]).apply(([current, next]) =>
      next === "" ? current : checkHookSecret("HookSecretNext", next),
    ),
  );
  const oktaToken = storedSecret(
    "OktaApiTokenStored",
    names.secrets.oktaToken,
    "Okta API token (SSWS) the functions read Okta with",
    oktaApiToken.value,
  );
  return {
    /** `HOOK_SECRET_IDS` of the okta-hook function. */
    hookSecretIds: $interpolate`${hookCurrent.arn},${hookNext.arn}`,
    oktaTokenSecretId: oktaToken.arn,
  };
}

export type Secrets = ReturnType<typeof secrets>;
