import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { getSecret } from "@aws-lambda-powertools/parameters/secrets";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { KMSClient } from "@aws-sdk/client-kms";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { S3Client } from "@aws-sdk/client-s3";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { STSClient } from "@aws-sdk/client-sts";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { OktaAdapter } from "../../adapters/okta.ts";
import { oktaAdapterSource, oktaAuthEnvSchema } from "../shared/okta-auth.ts";
import { readPolicy } from "../shared/policy-location.ts";
import { readConfig } from "../shared/read-config.ts";
import { userReconcileConfigSchema } from "./config.ts";
import { createUserReconcileHandlers, type UserReconcileClients } from "./create-task-handlers.ts";

const config = readConfig(userReconcileConfigSchema);
const oktaAuth = readConfig(oktaAuthEnvSchema);
const oktaSources = new Map<string, () => Promise<OktaAdapter>>();

// sso-admin shares ~20 TPS across the instance: let the SDK back off before the workflow does, and
// (adaptive mode) slow this instance's sends after a throttle rather than spend the budget on retries.
const retries = { maxAttempts: 5, retryMode: "adaptive" };
let clients: UserReconcileClients | undefined;
const awsClients = () => {
  clients ??= {
    ssoAdmin: new SSOAdminClient(retries),
    identityStore: new IdentitystoreClient(retries),
    organizations: new OrganizationsClient(retries),
    doc: DynamoDBDocumentClient.from(new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    s3: new S3Client({}),
    kms: new KMSClient({}),
    sts: new STSClient(retries),
  };
  return clients;
};

const handlers = createUserReconcileHandlers({
  config,
  clients: awsClients,
  // The secret is cached for 5 minutes by Powertools Parameters: a rotated token or key is picked up
  // without a deploy. One adapter per scope set (a service app asks for only what the task uses).
  oktaAdapter: (scopes) => {
    const key = scopes.join(" ");
    let source = oktaSources.get(key);
    if (source === undefined) {
      source = oktaAdapterSource({
        auth: oktaAuth,
        orgUrl: config.OKTA_ORG_URL,
        scopes,
        readSecret: (id) => getSecret<string>(id, { maxAge: 300 }),
      });
      oktaSources.set(key, source);
    }
    return source();
  },
  policy: () => readPolicy(config.POLICY_LOCATION, { s3: () => awsClients().s3 }),
  logger: new Logger({ serviceName: "user-reconcile" }),
  metrics: new Metrics({ namespace: "OktaAwsLifecycle", serviceName: "user-reconcile" }),
});

/** Lambda entries of the user-reconcile Task states (workflows/user-reconcile.ts), one function each. */
export const {
  readUserTruth,
  planUserRun,
  applyDenies,
  revokeCredentials,
  loadAssignmentDeletions,
  recordAssignmentDeletions,
  clearOktaSessions,
  verifyUserRun,
  writeUserEvidence,
  liftDenies,
  liftCredentialDenies,
} = handlers;
