import { readFile } from "node:fs/promises";
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { S3Client } from "@aws-sdk/client-s3";
import { paginateListInstances, SSOAdminClient } from "@aws-sdk/client-sso-admin";
import type { Command } from "commander";
import { z } from "zod";
import { EvidenceBucket } from "../../adapters/evidence-store.ts";
import { IdentityCenterAdapter } from "../../adapters/identity-center.ts";
import { OktaAdapter } from "../../adapters/okta.ts";
import { credentialsEnded } from "../../core/evidence/long-lived-credentials.ts";
import type { UserRunRecord } from "../../core/evidence/record.ts";
import { timeToRevoke } from "../../core/evidence/time-to-revoke.ts";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { firstItem } from "../aws-pages.ts";

/** The parts of `.local/endpoints.json` (written by `npm start`) the demo uses. */
const Endpoints = z.object({
  okta: z.object({ orgUrl: z.url(), apiToken: z.string().min(1) }),
  aws: z.object({ endpoint: z.url(), region: z.string() }),
  evidence: z.object({
    bucket: z.string(),
    endpoint: z.url(),
    accessKeyId: z.string(),
    secretAccessKey: z.string(),
  }),
});
type Endpoints = z.infer<typeof Endpoints>;

export class DemoError extends Error {
  override name = "DemoError";
}

async function readEndpoints(file: string): Promise<Endpoints> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new DemoError(`no ${file}: start the local stack first with \`npm start\` (in another terminal)`);
  }
  const parsed = Endpoints.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new DemoError(`${file} is not what \`npm start\` writes: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/**
 * `okta-aws-lifecycle demo`: plays a leaver through the running local stack. It deactivates the user
 * through the Okta API, waits for the pipeline (hook -> bus -> user-reconcile) to write its evidence,
 * and prints what happened and where the evidence is.
 */
export async function runDemo(
  options: { user: string; endpoints: string; timeoutSeconds: number },
  out: (line: string) => void,
) {
  const e = await readEndpoints(options.endpoints);
  const okta = new OktaAdapter({ orgUrl: e.okta.orgUrl, token: e.okta.apiToken });
  const aws = localClientConfig(e.aws.endpoint);
  const ssoAdmin = new SSOAdminClient(aws);
  const instance = await firstItem(paginateListInstances({ client: ssoAdmin }, {}), (p) => p.Instances);
  if (!instance?.InstanceArn || !instance.IdentityStoreId)
    throw new DemoError("the local stack has no Identity Center instance");
  const ic = new IdentityCenterAdapter({
    ssoAdmin,
    identityStore: new IdentitystoreClient(aws),
    instanceArn: instance.InstanceArn,
    identityStoreId: instance.IdentityStoreId,
  });
  const s3 = new S3Client({
    ...localClientConfig(e.evidence.endpoint),
    credentials: { accessKeyId: e.evidence.accessKeyId, secretAccessKey: e.evidence.secretAccessKey },
    forcePathStyle: true,
  });
  const evidence = new EvidenceBucket({ s3, bucket: e.evidence.bucket });

  const user = await okta.getUser(options.user);
  if (!user) throw new DemoError(`Okta has no user ${options.user}; try one listed on the state page`);
  if (user.status !== "ACTIVE")
    throw new DemoError(
      `${options.user} is ${user.status} already; pick an ACTIVE user (or restart npm start)`,
    );
  const icUserId = await ic.findUserIdByUserName(user.login);
  if (!icUserId)
    throw new DemoError(`${options.user} is not in Identity Center, so there is no AWS access to end`);
  const memberships = await ic.listUserGroupMemberships(icUserId);
  const groups = await ic.listGroups();
  const accounts = new Set<string>();
  for (const m of memberships)
    for (const a of await ic.listAssignmentsForPrincipal(m.groupId, "GROUP")) accounts.add(a.accountId);
  out(
    `${user.login} (${user.id}) has access to ${accounts.size} AWS accounts through ${memberships.length} groups:`,
  );
  out(
    `  ${memberships.map((m) => groups.find((g) => g.groupId === m.groupId)?.displayName ?? m.groupId).join(", ")}`,
  );

  const before = new Set(await evidence.list("v1/runs/"));
  out(`\nDeactivating ${user.login} in Okta (POST /api/v1/users/${user.id}/lifecycle/deactivate)...`);
  await okta.lifecycle(user.id, "deactivate");
  const started = Date.now();
  let key: string | undefined;
  while (!key) {
    if (Date.now() - started > options.timeoutSeconds * 1000)
      throw new DemoError(`no evidence after ${options.timeoutSeconds} s: check the npm start terminal`);
    await new Promise((r) => setTimeout(r, 250));
    key = (await evidence.list("v1/runs/")).find(
      (k) => !before.has(k) && k.includes(user.id) && k.endsWith(".run.json"),
    );
    const waited = Math.floor((Date.now() - started) / 1000);
    if (waited > 0 && (Date.now() - started) % 1000 < 250) out(`  waiting for the pipeline... ${waited} s`);
  }
  const record = JSON.parse(await evidence.get(key)) as UserRunRecord;
  const t = timeToRevoke(record);
  const left = await ic.listUserGroupMemberships(icUserId);
  // Credentials outside Identity Center (policy `credentials:`): IAM users, keys, passwords, federated sessions.
  const ended = credentialsEnded(record);
  const credentialLines = ended.map(
    (account) =>
      `\n    ${account.accountId === "organization" ? "every member account (SCP)" : account.accountId}: ${account.credentials.join(", ")}`,
  );
  const passed = record.body.verification?.details.filter((d) => d.passed).length ?? 0;
  const checks = record.body.verification?.details.length ?? 0;
  out(`
Done. Okta published the event at ${record.body.timings.oktaPublished}.
  Deny in force (revocation SCP attached)          ${t.toDenyInForceMs ?? "?"} ms after Okta's event
  Every assignment and membership removed           ${t.toAccessRemovedMs ?? "?"} ms after Okta's event
  Memberships left in Identity Center               ${left.length}
  Credentials outside Identity Center ended         ${ended.length === 0 ? "none (no credentials: section, or none held)" : `in ${ended.length} places:${credentialLines.join("")}`}
  Verification                                      ${passed}/${checks} checks passed (policy evaluation per account)
  Evidence record                                   s3://${e.evidence.bucket}/${key}
                                                    ${e.evidence.endpoint}/${e.evidence.bucket}/${key}
The Deny is held, then lifted (a second record, .lift.json); the state page shows it meanwhile.`);
  return 0;
}

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("play a leaver through the running local stack (start it with `npm start`)")
    .option("--user <login>", "the Okta user to deactivate", "jane.doe@example.com")
    .option("--endpoints <file>", "the endpoints file npm start writes", ".local/endpoints.json")
    .option("--timeout <seconds>", "how long to wait for the evidence", "60")
    .action(async (opts: { user: string; endpoints: string; timeout: string }) => {
      try {
        process.exitCode = await runDemo(
          { user: opts.user, endpoints: opts.endpoints, timeoutSeconds: Number(opts.timeout) || 60 },
          (line) => console.log(line),
        );
      } catch (error) {
        console.error(`demo: ${(error as Error).message}`);
        process.exitCode = 1;
      }
    });
}
