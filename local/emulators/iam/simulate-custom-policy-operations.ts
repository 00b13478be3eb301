/**
 * IAM's policy simulator for policies given in the request (IAM API Reference, SimulateCustomPolicy;
 * shapes from the botocore iam 2010-05-08 model): each action of `ActionNames` is evaluated against
 * each ARN of `ResourceArns` (default `*`, "all resources") under the identity policies of
 * `PolicyInputList`, the boundaries of `PermissionsBoundaryPolicyInputList` and the optional
 * `ResourcePolicy`, with `ContextEntries` as the request's context keys. Each answer is an
 * `EvaluationResult` with `EvalDecision` allowed | explicitDeny | implicitDeny and
 * `MissingContextValues`, "the context keys required by the included input policies but not
 * provided", paged with MaxItems/Marker like every IAM list. The evaluation itself is
 * @cloud-copilot/iam-simulate (AGPL: the emulator is dev/local only, never bundled into a Lambda).
 * Errors the model lists: InvalidInput (here: a policy that does not parse or validate, or a request
 * the simulator rejects) and PolicyEvaluation.
 */
import { loadPolicy } from "@cloud-copilot/iam-policy";
import { findContextKeys, runSimulation } from "@cloud-copilot/iam-simulate";
import type { AwsQueryOperation } from "../aws-query-protocol.ts";
import type { IamContext } from "./context.ts";
import { invalidInput, validationError } from "./errors.ts";
import { QueryFields, RULES } from "./fields.ts";
import { paginate } from "./pagination.ts";

interface ContextEntry {
  ContextKeyName?: string;
  ContextKeyValues?: string[];
  ContextKeyType?: string;
}

/** A required list member (the model's `required`), or the ValidationError AWS gives without it. */
function requiredList(input: Record<string, unknown>, member: string): string[] {
  const value = input[member];
  if (!Array.isArray(value) || value.length === 0) {
    const name = member.charAt(0).toLowerCase() + member.slice(1);
    throw validationError(
      `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value.map(String);
}

const optionalList = (input: Record<string, unknown>, member: string): string[] =>
  Array.isArray(input[member]) ? (input[member] as unknown[]).map(String) : [];

/** Context entries to the simulator's variables: `*List` types keep every value, the others the first. */
function contextVariablesOf(entries: readonly ContextEntry[]): Record<string, string | string[]> {
  const variables: Record<string, string | string[]> = {};
  for (const [i, entry] of entries.entries()) {
    if (entry.ContextKeyName === undefined || entry.ContextKeyType === undefined)
      throw invalidInput(`ContextEntries.member.${i + 1} needs a ContextKeyName and a ContextKeyType.`);
    const values = entry.ContextKeyValues ?? [];
    variables[entry.ContextKeyName] = entry.ContextKeyType.endsWith("List") ? values : (values[0] ?? "");
  }
  return variables;
}

function parsedPolicies(texts: readonly string[], member: string) {
  return texts.map((text, i) => {
    try {
      return loadPolicy(JSON.parse(text));
    } catch (error) {
      throw invalidInput(
        `${member}.member.${i + 1} is not a valid policy document: ${(error as Error).message}`,
      );
    }
  });
}

const DECISIONS = { Allowed: "allowed", ExplicitlyDenied: "explicitDeny", ImplicitlyDenied: "implicitDeny" };

export function simulateCustomPolicyOperations(ctx: IamContext): Record<string, AwsQueryOperation> {
  return {
    async SimulateCustomPolicy(input, request) {
      const members = input as Record<string, unknown>;
      const identity = requiredList(members, "PolicyInputList");
      const actions = requiredList(members, "ActionNames");
      const boundaries = optionalList(members, "PermissionsBoundaryPolicyInputList");
      const resources = optionalList(members, "ResourceArns");
      const entries = (Array.isArray(members.ContextEntries) ? members.ContextEntries : []) as ContextEntry[];
      const fields = new QueryFields(input);
      const resourcePolicy = fields.optionalString("ResourcePolicy", RULES.policyDocument);
      const callerArn = typeof members.CallerArn === "string" ? members.CallerArn : undefined;
      const owner = typeof members.ResourceOwner === "string" ? members.ResourceOwner : undefined;
      const accountId = ctx.caller(request, "iam").accountId;
      const variables = contextVariablesOf(entries);

      const policies = [
        ...parsedPolicies(identity, "PolicyInputList"),
        ...parsedPolicies(boundaries, "PermissionsBoundaryPolicyInputList"),
        ...(resourcePolicy === undefined ? [] : parsedPolicies([resourcePolicy], "ResourcePolicy")),
      ];
      const supplied = new Set(Object.keys(variables).map((k) => k.toLowerCase()));
      const { validKeys } = await findContextKeys(policies);
      const missing = [...new Set(validKeys)].filter((k) => !supplied.has(k.toLowerCase())).sort();
      // The principal the simulator needs: the session's aws:PrincipalArn when given, then CallerArn.
      const principalVariable = variables["aws:PrincipalArn"];
      const principal =
        (typeof principalVariable === "string" ? principalVariable : undefined) ??
        callerArn ??
        `arn:aws:iam::${accountId}:user/policy-simulator-caller`;
      // ResourceOwner: "the owner of any simulated resource that does not identify its owner in the
      // resource ARN" (API reference); without it, the caller's account.
      const ownerAccount = owner?.match(/^arn:aws:iam::(\d{12}):/)?.[1] ?? accountId;
      const accountOf = (resource: string) => resource.split(":")[4]?.match(/^\d{12}$/)?.[0] ?? ownerAccount;

      const results = [];
      for (const action of actions) {
        for (const resource of resources.length > 0 ? resources : ["*"]) {
          const outcome = await runSimulation(
            {
              request: {
                principal,
                action,
                resource: { resource, accountId: accountOf(resource) },
                contextVariables: variables,
              },
              identityPolicies: identity.map((text, i) => ({
                name: `PolicyInput${i + 1}`,
                policy: JSON.parse(text),
              })),
              // No boundary list is no boundary (an empty one would deny everything).
              ...(boundaries.length === 0
                ? {}
                : {
                    permissionBoundaryPolicies: boundaries.map((text, i) => ({
                      name: `PermissionsBoundaryPolicyInput${i + 1}`,
                      policy: JSON.parse(text),
                    })),
                  }),
              ...(resourcePolicy === undefined ? {} : { resourcePolicy: JSON.parse(resourcePolicy) }),
              serviceControlPolicies: [],
              resourceControlPolicies: [],
            } as never,
            {},
          );
          if (outcome.resultType === "error") throw invalidInput(outcome.errors.message);
          results.push({
            EvalActionName: action,
            EvalResourceName: resource,
            EvalDecision: DECISIONS[outcome.overallResult],
            MatchedStatements: [],
            MissingContextValues: missing,
          });
        }
      }
      const page = paginate(fields, results);
      return {
        EvaluationResults: page.items,
        IsTruncated: page.IsTruncated,
        ...(page.Marker === undefined ? {} : { Marker: page.Marker }),
      };
    },
  };
}
