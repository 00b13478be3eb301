import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DescribePolicyCommand,
  OrganizationsClient,
  paginateListTargetsForPolicy,
} from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CredentialsGuardrailSlot,
  GUARDRAIL_SLOT_MARKER,
  GUARDRAIL_SLOT_PLACEHOLDER,
} from "../../adapters/organizations/credentials-guardrail-slot.ts";
import { MANAGED_BY_TAG } from "../../adapters/organizations/revocation-scps.ts";
import { type EvidenceDraft, evidenceRecordSchema } from "../../core/evidence/record.ts";
import type { Policy } from "../../core/policy/schema.ts";
import { RUNTIME_CONTRACT } from "../../infra/runtime-contract.ts";
import {
  localClientConfig,
  type RunningServer,
  startAwsJsonServer,
} from "../../local/emulators/aws-json-server.ts";
import { createOrganizationsEmulator } from "../../local/emulators/organizations/index.ts";
import {
  type CredentialSweepDeps,
  sweepEstateCredentials,
} from "../../usecases/reconcile-estate/credential-sweep.ts";
import { credentialsPolicy } from "../unit/credentials/credential-builders.ts";

/**
 * The deployed estate run's guardrail (OAL_CREDENTIALS_GUARDRAIL=on) against the Organizations emulator
 * through the real SDK client: the slot is made as infra/credentials-guardrail-slot.ts makes it (placeholder,
 * marker, tag, on the root); the run writes the guardrail into it with UpdatePolicy only, does nothing when
 * it is already there, writes the placeholder back when the policy turns it off, records both contents,
 * and never calls anything on another SCP.
 */

const ROOT = "r-ab12";
const NOW = "2026-06-01T12:00:00.000Z";
let server: RunningServer;
let organizations: OrganizationsClient;
let slotId: string;
let customerId: string;
const CUSTOMER_CONTENT = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Deny",
      Action: "ec2:*",
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": "ap-east-1" } },
    },
  ],
});

/** Every Organizations call the adapter makes: the operation and the policy it named. */
const calls: { operation: string; policyId: string | undefined }[] = [];
const recording = () =>
  ({
    send: (command: { constructor: { name: string }; input: { PolicyId?: string } }) => {
      calls.push({
        operation: command.constructor.name.replace(/Command$/, ""),
        policyId: command.input.PolicyId,
      });
      return organizations.send(command as never);
    },
  }) as unknown as OrganizationsClient;

function deps(guardrail: boolean, drafts: EvidenceDraft[], runId: string): CredentialSweepDeps {
  return {
    policy: {
      credentials: credentialsPolicy({
        guardrail,
        breakGlass: ["222222222222:break-glass"],
        automationPrincipals: ["arn:aws:iam::*:role/terraform-*"],
      }),
      revocation: { hold: "PT12H" } as Policy["revocation"],
    },
    okta: { listUsers: async () => [] },
    discovery: { discover: async () => ({ accounts: [], problems: [] }) },
    revocation: { apply: async () => [], liftRoleDeny: async () => [] } as never,
    guardrail: new CredentialsGuardrailSlot({ client: recording(), slotId }),
    evidence: {
      append: async (draft) => {
        drafts.push(draft);
        return { key: `v1/records/${draft.recordId}.json`, record: draft } as never;
      },
    },
    now: () => NOW,
    runId,
  };
}

const sweep = (d: CredentialSweepDeps) =>
  sweepEstateCredentials(d, { organization: { accounts: [] }, apply: true, trigger: { type: "schedule" } });
const contentOf = async (id: string) =>
  (await organizations.send(new DescribePolicyCommand({ PolicyId: id }))).Policy?.Content;

beforeAll(async () => {
  const org = createOrganizationsEmulator({
    rootId: ROOT,
    managementAccount: { id: "111111111111", name: "management", email: "aws@example.com" },
  });
  server = await startAwsJsonServer([org.service]);
  organizations = new OrganizationsClient(localClientConfig(server.endpoint));
  // What the deploy creates (infra/credentials-guardrail-slot.ts), and a customer's SCP beside it.
  const slot = await organizations.send(
    new CreatePolicyCommand({
      Name: "okta-aws-lifecycle-test-credentials-guardrail",
      Description: RUNTIME_CONTRACT.guardrailScpSlot.description,
      Type: "SERVICE_CONTROL_POLICY",
      Content: RUNTIME_CONTRACT.guardrailScpSlot.placeholder,
      Tags: [MANAGED_BY_TAG],
    }),
  );
  slotId = slot.Policy?.PolicySummary?.Id ?? "";
  const customer = await organizations.send(
    new CreatePolicyCommand({
      Name: "acme-deny-regions",
      Description: "Acme",
      Type: "SERVICE_CONTROL_POLICY",
      Content: CUSTOMER_CONTENT,
    }),
  );
  customerId = customer.Policy?.PolicySummary?.Id ?? "";
  for (const id of [slotId, customerId]) {
    await organizations.send(new AttachPolicyCommand({ PolicyId: id, TargetId: ROOT }));
  }
});

afterAll(async () => {
  await server?.close();
});

describe("the credentials guardrail in the deploy's slot (issue 16, OAL_CREDENTIALS_GUARDRAIL=on)", () => {
  it("agrees with the deploy on the slot's marker and placeholder", () => {
    expect(GUARDRAIL_SLOT_MARKER).toBe(RUNTIME_CONTRACT.guardrailScpSlot.description);
    expect(GUARDRAIL_SLOT_PLACEHOLDER).toBe(RUNTIME_CONTRACT.guardrailScpSlot.placeholder);
  });

  it("writes the guardrail into the slot, shown in the plan first, with the content before and after in evidence", async () => {
    // Prepare
    calls.length = 0;
    const drafts: EvidenceDraft[] = [];

    // Act
    const run = await sweep(deps(true, drafts, "run-on"));

    // Assess
    expect(run?.guardrail.step).toBe("attach");
    expect(run?.outcomes.find((o) => o.kind === "guardrail-scp.attach")).toMatchObject({
      status: "SUCCEEDED",
      target: { policyId: slotId },
    });
    const written = await contentOf(slotId);
    expect(written).toBe(run?.guardrail.scp?.content);
    expect(JSON.parse(written ?? "{}").Statement[0].Action).toContain("iam:CreateAccessKey");
    const record = evidenceRecordSchema.parse({ ...drafts[0], sequence: 0, previousHash: null });
    const body = record.body as unknown as {
      truth: { organization: { credentials: { guardrail: { step: string; storedContent: string } } } };
      plan: { actions: { kind: string }[] };
      verification: { passed: boolean; details: Record<string, unknown>[] };
    };
    expect(body.truth.organization.credentials.guardrail).toMatchObject({
      step: "attach",
      storedContent: GUARDRAIL_SLOT_PLACEHOLDER,
    });
    expect(body.plan.actions.map((a) => a.kind)).toContain("guardrail-scp.attach");
    expect(body.verification.details.find((d) => d.check === "guardrail-slot-content")).toMatchObject({
      passed: true,
      before: GUARDRAIL_SLOT_PLACEHOLDER,
      after: written,
    });
    expect(new Set(calls.map((c) => c.operation))).toEqual(new Set(["DescribePolicy", "UpdatePolicy"]));
    expect(calls.every((c) => c.policyId === slotId)).toBe(true);
  });

  it("compares first: a slot already holding the guardrail gets no write", async () => {
    // Prepare
    calls.length = 0;

    // Act
    const run = await sweep(deps(true, [], "run-again"));

    // Assess
    expect(run?.guardrail.step).toBe("in-force");
    expect(run?.outcomes).toEqual([]);
    expect(calls.map((c) => c.operation)).toEqual(["DescribePolicy"]);
  });

  it("lifts it when the policy turns it off: the placeholder written back, recorded, the slot still on the root", async () => {
    // Prepare
    calls.length = 0;
    const drafts: EvidenceDraft[] = [];
    const guardrailContent = await contentOf(slotId);

    // Act
    const run = await sweep(deps(false, drafts, "run-off"));
    const again = await sweep(deps(false, [], "run-off-again"));

    // Assess
    expect(run?.guardrail.step).toBe("lift");
    expect(run?.outcomes.find((o) => o.kind === "guardrail-scp.lift")?.status).toBe("SUCCEEDED");
    expect(run?.findings.map((f) => f.kind)).toContain("guardrail-scp-lifted");
    expect(await contentOf(slotId)).toBe(GUARDRAIL_SLOT_PLACEHOLDER);
    const verification = (drafts[0]?.body as { verification?: { details: Record<string, unknown>[] } })
      ?.verification;
    expect(verification?.details.find((d) => d.check === "guardrail-slot-content")).toMatchObject({
      passed: true,
      before: guardrailContent,
      after: GUARDRAIL_SLOT_PLACEHOLDER,
    });
    // Once lifted, an off guardrail is shown only: no write, and no "attached while off" finding.
    expect(again?.guardrail.step).toBe("off");
    expect(again?.outcomes).toEqual([]);
    expect(again?.findings.map((f) => f.kind)).toEqual(["guardrail-scp-off"]);
    // The slot keeps its place on the root; the customer's SCP is untouched and was never named.
    const targets: string[] = [];
    for await (const page of paginateListTargetsForPolicy({ client: organizations }, { PolicyId: slotId })) {
      targets.push(...(page.Targets ?? []).map((t) => t.TargetId ?? ""));
    }
    expect(targets).toEqual([ROOT]);
    expect(await contentOf(customerId)).toBe(CUSTOMER_CONTENT);
    expect(calls.every((c) => c.policyId === slotId)).toBe(true);
  });

  it("refuses a slot id that names another SCP: nothing written, a finding, the rest of the sweep completes", async () => {
    // Prepare
    calls.length = 0;
    const d = {
      ...deps(true, [], "run-wrong"),
      guardrail: new CredentialsGuardrailSlot({ client: recording(), slotId: customerId }),
    };

    // Act
    const run = await sweep(d);

    // Assess
    expect(run?.guardrail.step).toBe("unreadable");
    expect(run?.guardrail.error).toMatch(/^GuardrailSlotError: .* is not the credentials guardrail slot/);
    expect(run?.findings.find((f) => f.kind === "guardrail-scp-unreadable")?.fix).toMatch(/GUARDRAIL_SCP_ID/);
    expect(run?.outcomes).toEqual([]);
    expect(run?.sweep.status).toBe("ready");
    expect(calls.map((c) => c.operation)).toEqual(["DescribePolicy"]);
    expect(await contentOf(customerId)).toBe(CUSTOMER_CONTENT);
  });
});
