// `npm start`: boots the whole pipeline on loopback with the demo estate (or --estate FILE), prints
// every URL and credential, and writes them to .local/endpoints.json for scripts.
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { z } from "zod";
import { TOPOLOGIES } from "../core/topology.ts";
import { parseAwsBehaviour } from "./emulators/aws-behaviour-switches.ts";
import { demoPolicyYaml } from "./estate/demo-estate.ts";
import { loadEstateFile } from "./estate/load-estate-file.ts";
import { renderStatePage } from "./estate/state-page.ts";
import { randomHookSecret } from "./local-secrets.ts";
import { startLocalStack } from "./stack/local-stack.ts";
import { localStateSnapshot } from "./stack/local-state-snapshot.ts";
import type { LocalTopology } from "./stack/local-topology.ts";
import { watchPolicyFile } from "./stack/policy-file-watch.ts";

const POLICY_FILE = ".local/policy.yaml";
const ENDPOINTS_FILE = ".local/endpoints.json";

const HELP = `Usage: npm start -- [options]

Runs okta-aws-lifecycle locally: Okta, IAM Identity Center and Organizations emulators, the event
hook endpoint, the lifecycle bus, the user-reconcile workflow, and the evidence bucket.

Options:
  --port N            gateway port (also PORT); S3 uses N+1 and DynamoDB N+2 (default 8787)
  --estate FILE       load another estate (format: docs/estate.schema.json) instead of the demo
  --hold-seconds N    how long a leaver's Deny is held locally before it is lifted (default 60;
                      in AWS the policy's hold applies, 12 h by default)
  --latency fast|aws  emulator speed: fast (default) or AWS-like latency and rate limits
  --reconcile-every M run the estate-reconcile workflow every M minutes (default 60, 0 = never)
  --okta-auth ssws|oauth
                      how the functions authenticate to the Okta emulator: ssws (an API token,
                      default) or oauth (an API Services app with a key pair generated at start,
                      private_key_jwt, DPoP-bound tokens, the scopes each function needs); the
                      app's client id and private JWK go to .local/endpoints.json
  --aws-behaviour NAME=VALUE
                      an answer AWS does not document, as your org gives it (repeatable; every
                      switch and its source: docs/aws-behaviour.md; \`npx okta-aws-lifecycle probe\`
                      tells your org's answers)
  --topology management|delegated-admin
                      where the stack runs: the management account (default) or Identity Center's
                      delegated administrator account, whose changes in the management account are
                      refused; the Deny tasks then assume the management component (docs/deploy.md,
                      "Topologies"; local/stack/local-topology.ts)
  --without-management-component
                      delegated-admin: the management component is not installed (runs skip the
                      management-account Deny with a finding and the DenyPlacementsSkipped alarm)
  -h, --help          this help

Environment: OKTA_HOOK_SECRET sets the Authorization value the hook expects (default: made at start,
printed and written to .local/endpoints.json).`;

const Args = z.object({
  port: z.coerce.number().int().min(1, "--port must be 1-65533").max(65533, "--port must be 1-65533"),
  holdSeconds: z.coerce.number().int().min(0, "--hold-seconds must be 0 or more"),
  latency: z.enum(["fast", "aws"], "--latency is fast or aws"),
  hookSecret: z.string().min(8, "OKTA_HOOK_SECRET must be at least 8 characters"),
  reconcileEvery: z.coerce.number().min(0, "--reconcile-every is minutes, 0 or more"),
  oktaAuth: z.enum(["ssws", "oauth"], "--okta-auth is ssws or oauth"),
  topology: z.enum(TOPOLOGIES, "--topology is management or delegated-admin"),
  withoutManagementComponent: z.boolean(),
});

function topologyLine(t: LocalTopology): string {
  if (t.topology === "management")
    return "management account (the stack signs as its root: access key local)";
  const component = t.component?.installed
    ? `management component ${t.component.roleArn} (external id ${t.component.externalId})`
    : "no management component installed";
  return `delegated administrator ${t.accountId} (access key ${t.credentials.accessKeyId}); ${component}`;
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      options: {
        port: { type: "string" },
        estate: { type: "string" },
        "hold-seconds": { type: "string" },
        latency: { type: "string" },
        "reconcile-every": { type: "string" },
        "okta-auth": { type: "string" },
        "aws-behaviour": { type: "string", multiple: true },
        topology: { type: "string" },
        "without-management-component": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    return 1;
  }
  const v = parsed.values;
  if (v.help) {
    console.log(HELP);
    return 0;
  }
  const args = Args.safeParse({
    port: v.port ?? process.env.PORT ?? 8787,
    holdSeconds: v["hold-seconds"] ?? 60,
    latency: v.latency ?? "fast",
    hookSecret: process.env.OKTA_HOOK_SECRET ?? randomHookSecret(),
    reconcileEvery: v["reconcile-every"] ?? 60,
    oktaAuth: v["okta-auth"] ?? "ssws",
    topology: v.topology ?? "management",
    withoutManagementComponent: v["without-management-component"] ?? false,
  });
  if (!args.success) {
    console.error(args.error.issues.map((i) => i.message).join("\n"));
    return 1;
  }
  if (args.data.withoutManagementComponent && args.data.topology !== "delegated-admin") {
    console.error(
      "--without-management-component needs --topology delegated-admin (the component lives there only)",
    );
    return 1;
  }
  const awsBehaviour = parseAwsBehaviour((v["aws-behaviour"] as string[] | undefined) ?? []);
  if (!awsBehaviour.ok) {
    console.error(awsBehaviour.error);
    return 1;
  }
  let estate: Parameters<typeof startLocalStack>[0]["estate"];
  let policyYaml: string | undefined;
  if (typeof v.estate === "string") {
    const loaded = await loadEstateFile(v.estate);
    if (!loaded.ok) {
      console.error(loaded.error.message);
      return 1;
    }
    estate = loaded.estate;
    if (loaded.policyPath) policyYaml = await readFile(loaded.policyPath, "utf8");
  }
  const stack = await startLocalStack({
    port: args.data.port,
    hookSecret: args.data.hookSecret,
    holdSeconds: args.data.holdSeconds,
    latency: args.data.latency,
    oktaAuth: args.data.oktaAuth,
    awsBehaviour: awsBehaviour.behaviour,
    topology: args.data.topology,
    managementComponent: !args.data.withoutManagementComponent,
    ...(estate ? { estate } : {}),
    ...(policyYaml ? { policyYaml } : {}),
    log: (line) => console.log(`  ${new Date().toISOString().slice(11, 23)} ${line}`),
  });
  stack.setPages(
    () => localStateSnapshot(stack),
    async () => renderStatePage(await localStateSnapshot(stack)),
  );
  const e = stack.endpoints;
  await mkdir(".local", { recursive: true });
  // It holds the local signing key, the hook secret and the API token: the owner's only. `mode` applies
  // only when the file is created, so an existing file is narrowed first.
  await chmod(ENDPOINTS_FILE, 0o600).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
  await writeFile(ENDPOINTS_FILE, `${JSON.stringify(e, null, 2)}\n`, { mode: 0o600 });
  const startPolicy =
    policyYaml ?? demoPolicyYaml({ identityCenterApp: stack.estate.okta.identityCenterApp });
  await writeFile(POLICY_FILE, startPolicy);
  const s = stack.emulators;
  console.log(`
okta-aws-lifecycle is running locally (${stack.estate.organization.accounts.length} accounts, ${stack.estate.okta.users.length} Okta users, ${stack.estate.okta.groups.length} groups)

  State page        ${e.state.url.replace("/local/state", "/")}   (JSON: ${e.state.url})
  Event hook        ${e.hook.url}
  Hook secret       Authorization: ${e.hook.secret}   (${process.env.OKTA_HOOK_SECRET ? "OKTA_HOOK_SECRET" : "made at start"})
  Okta org          ${e.okta.orgUrl}   (Authorization: SSWS ${e.okta.apiToken}, made at start)${
    e.okta.serviceApp
      ? `\n  Okta service app  client id ${e.okta.serviceApp.clientId} (the functions use OAuth with DPoP; private key in ${ENDPOINTS_FILE})`
      : ""
  }
  AWS endpoint      ${e.aws.endpoint}   (region ${e.aws.region}; sso-admin, identitystore, organizations, events, states, iam, sts)
  Topology          ${topologyLine(stack.topology)}
  Evidence bucket   s3://${e.evidence.bucket} at ${e.evidence.endpoint} (access key ${e.evidence.accessKeyId})
  Endpoints file    .local/endpoints.json
  Access policy     ${POLICY_FILE}   (try: npx okta-aws-lifecycle plan --policy ${POLICY_FILE})

Save a change to ${POLICY_FILE} and the estate is reconciled to it at once (a policy-change run);
an account created, moved or tagged in the Organizations emulator is reconciled too.

Try a leaver: in another terminal run
  npx okta-aws-lifecycle demo
or deactivate anyone yourself:
  curl -s -X POST -H "Authorization: SSWS ${s.okta.apiToken}" ${e.okta.orgUrl}/api/v1/users/jane.doe@example.com/lifecycle/deactivate

Press Ctrl+C to stop.
`);
  // The schedule that triggers estate-reconcile in AWS (EventBridge Scheduler), locally.
  const schedule =
    args.data.reconcileEvery > 0
      ? setInterval(() => void stack.runEstateReconcile().catch(() => {}), args.data.reconcileEvery * 60_000)
      : undefined;
  // A policy edit starts a policy-change run, as a new version of the policy object does in AWS.
  const policyWatch = watchPolicyFile(POLICY_FILE, {
    initial: startPolicy,
    onChange: async (yaml) => {
      try {
        const run = await stack.setPolicy(yaml, POLICY_FILE);
        console.log(`  ${POLICY_FILE} revision ${run.revision}: estate run ${run.runId} started`);
      } catch (error) {
        console.error(`  ${(error as Error).message}`);
      }
    },
    onError: (error) => console.error(`  ${POLICY_FILE}: ${error.message}`),
  });
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  clearInterval(schedule);
  policyWatch.close();
  console.log("stopping...");
  await stack.stop();
  return 0;
}

process.exitCode = await main();
