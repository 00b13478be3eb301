/**
 * Secrets, set with `npx sst secret set <Name> <value> --stage <stage>` (docs/deploy.md) and copied into
 * Secrets Manager, where the functions read them through Powertools Parameters (cached 5 minutes):
 * - `HookSecret`: the `Authorization` value Okta sends with every hook call.
 * - `HookSecretNext`: the next hook secret during a rotation. Unset, it holds the current secret, so
 *   the hook always accepts exactly the current secret and, while rotating, the next one too.
 * - `OktaApiToken`: the SSWS API token the functions read Okta with, or
 * - `OktaPrivateKey`: with `OAL_OKTA_CLIENT_ID` set, the API Services app's private key (the private JWK
 *   or a PKCS#8 PEM) the functions sign their OAuth client assertions with (DPoP-bound tokens,
 *   functions/shared/okta-auth.ts). Exactly one is needed; a missing one fails the deploy, naming it.
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

/** Fails the deploy when the secret the chosen Okta authentication needs is empty; never shows a value. */
function requireOktaSecret(name: string, value: string, how: string): string {
  if (value.trim() === "")
    throw new Error(`the ${name} secret is not set: ${how} (docs/deploy.md, "Okta credentials")`);
  return value;
}

export function secrets(names: ResourceNames, oktaClientId?: string) {
  const hookSecret = new sst.Secret("HookSecret");
  // "" means no rotation in progress (a placeholder, never accepted: see below).
  const hookSecretNext = new sst.Secret("HookSecretNext", "");
  // "" = not used: only the one the authentication mode needs must be set.
  const oktaApiToken = new sst.Secret("OktaApiToken", "");
  const oktaPrivateKey = new sst.Secret("OktaPrivateKey", "");

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
  const okta =
    oktaClientId === undefined
      ? storedSecret(
          "OktaApiTokenStored",
          names.secrets.oktaToken,
          "Okta API token (SSWS) the functions read Okta with",
          oktaApiToken.value.apply((v) =>
            requireOktaSecret(
              "OktaApiToken",
              v,
              "npx sst secret set OktaApiToken <token>, or set OAL_OKTA_CLIENT_ID and OktaPrivateKey",
            ),
          ),
        )
      : storedSecret(
          "OktaPrivateKeyStored",
          names.secrets.oktaPrivateKey,
          "Okta API Services app private key (JWK or PKCS#8 PEM) for OAuth private_key_jwt",
          oktaPrivateKey.value.apply((v) =>
            requireOktaSecret(
              "OktaPrivateKey",
              v,
              'npx sst secret set OktaPrivateKey "$(cat private-key.json)"',
            ),
          ),
        );
  return {
    /** `HOOK_SECRET_IDS` of the okta-hook function. */
    hookSecretIds: $interpolate`${hookCurrent.arn},${hookNext.arn}`,
    /** The Okta credential variables the functions validate (functions/shared/okta-auth.ts). */
    oktaEnvironment: (oktaClientId === undefined
      ? { OKTA_API_TOKEN_SECRET_ID: okta.arn }
      : { OKTA_CLIENT_ID: oktaClientId, OKTA_PRIVATE_KEY_SECRET_ID: okta.arn }) as Record<
      string,
      $util.Input<string>
    >,
  };
}

export type Secrets = ReturnType<typeof secrets>;
