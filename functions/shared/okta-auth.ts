import { z } from "zod";
import { OktaAdapter } from "../../adapters/okta.ts";
import { lambdaDeadline } from "./invocation-deadline.ts";
import { ConfigError } from "./read-config.ts";

/**
 * How a function authenticates to Okta, from its environment (set by infra/): an SSWS API token, or an
 * API Services app (OAuth 2.0, `private_key_jwt`, DPoP). Exactly one: the token's secret, or the app's
 * client id and its private key's secret.
 */
export type OktaAuthConfig =
  | { kind: "ssws"; tokenSecretId: string }
  | { kind: "oauth"; clientId: string; privateKeySecretId: string };

const SET =
  "set OKTA_API_TOKEN_SECRET_ID (an SSWS token's secret) or OKTA_CLIENT_ID and OKTA_PRIVATE_KEY_SECRET_ID (a service app), not both";

export const oktaAuthEnvSchema = z
  .object({
    OKTA_API_TOKEN_SECRET_ID: z.string().min(1, "the Secrets Manager id of the Okta API token").optional(),
    OKTA_CLIENT_ID: z.string().regex(/^\w+$/, "the service app's client id (0oa...)").optional(),
    OKTA_PRIVATE_KEY_SECRET_ID: z
      .string()
      .min(1, "the Secrets Manager id of the service app's private key (JWK or PKCS#8 PEM)")
      .optional(),
  })
  .superRefine((env, ctx) => {
    const ssws = env.OKTA_API_TOKEN_SECRET_ID !== undefined;
    const oauth = env.OKTA_CLIENT_ID !== undefined || env.OKTA_PRIVATE_KEY_SECRET_ID !== undefined;
    if (ssws === oauth) ctx.addIssue({ code: "custom", path: ["OKTA_API_TOKEN_SECRET_ID"], message: SET });
    else if (oauth && env.OKTA_CLIENT_ID === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["OKTA_CLIENT_ID"],
        message: "the service app's client id (with OKTA_PRIVATE_KEY_SECRET_ID)",
      });
    else if (oauth && env.OKTA_PRIVATE_KEY_SECRET_ID === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["OKTA_PRIVATE_KEY_SECRET_ID"],
        message: "the Secrets Manager id of the service app's private key (with OKTA_CLIENT_ID)",
      });
  })
  .transform(
    (env): OktaAuthConfig =>
      env.OKTA_API_TOKEN_SECRET_ID !== undefined
        ? { kind: "ssws", tokenSecretId: env.OKTA_API_TOKEN_SECRET_ID }
        : {
            kind: "oauth",
            clientId: env.OKTA_CLIENT_ID ?? "",
            privateKeySecretId: env.OKTA_PRIVATE_KEY_SECRET_ID ?? "",
          },
  );

/**
 * An Okta adapter for `scopes` (only what the caller uses), built on first use and rebuilt when the
 * secret changes (a rotated token or key is picked up without a deploy). With a service app the
 * adapter caches its access token for the token's life; SSWS ignores `scopes`.
 */
export function oktaAdapterSource(options: {
  auth: OktaAuthConfig;
  orgUrl: string;
  scopes: readonly string[];
  /** Reads a secret's text (Powertools Parameters, cached, in AWS). */
  readSecret: (id: string) => Promise<unknown>;
  /** What the invocation has left for a rate-limit wait. @default lambdaDeadline (invocation-deadline.ts) */
  remainingTimeMs?: () => number;
}): () => Promise<OktaAdapter> {
  const { auth, orgUrl, scopes } = options;
  const remainingTimeMs = options.remainingTimeMs ?? lambdaDeadline.remainingTimeMs;
  let built: { secret: string; adapter: OktaAdapter } | undefined;
  return async () => {
    const id = auth.kind === "ssws" ? auth.tokenSecretId : auth.privateKeySecretId;
    const secret = await options.readSecret(id);
    if (typeof secret !== "string" || secret === "")
      throw new ConfigError(
        auth.kind === "ssws"
          ? `the Okta API token secret ${id} is empty`
          : `the Okta service app's private key secret ${id} is empty: store the private JWK or PKCS#8 PEM there`,
      );
    if (built?.secret !== secret)
      built = {
        secret,
        adapter: new OktaAdapter(
          auth.kind === "ssws"
            ? { orgUrl, token: secret, remainingTimeMs }
            : {
                orgUrl,
                serviceApp: { clientId: auth.clientId, privateKey: secret, scopes },
                remainingTimeMs,
              },
        ),
      };
    return built.adapter;
  };
}
