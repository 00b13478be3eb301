import { isToolStatement, TOOL_SID_PREFIX } from "../revocation/deny-statement.ts";
import { INLINE_POLICY_MAX_CHARS } from "../revocation/inline-policy-errors.ts";
import { inlinePolicyLength } from "../revocation/merge-inline-deny.ts";
import type { InlinePolicyGrammar } from "./inline-policy-grammar.ts";
import type { PolicyPath, PolicyProblem } from "./policy-error.ts";
import type { Policy, PolicyPermissionSet } from "./schema.ts";

/**
 * Managed policies (AWS and customer managed together) one permission set may hold by default:
 * IAM Identity Center quotas, https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html
 * ("Managed policies per permission set", 10, the IAM "Managed policies per role" quota that can be
 * raised to 20 through Service Quotas).
 */
export const MANAGED_POLICIES_PER_PERMISSION_SET = 10;

/**
 * What the schema cannot check about declared permission-set content: the inline policy's IAM grammar
 * (through `grammar`, inline-policy-grammar.ts: absent, not checked here), its 10,240 non-whitespace
 * characters (Identity Center quotas, same page, "Inline policy size per permission set"), the
 * managed-policy count, and duplicates AWS would refuse (attaching a policy twice is a ConflictException).
 * Inline policies given as a file are checked when the file is read (resolve-inline-policy-files.ts).
 */
export function validatePermissionSetContent(policy: Policy, grammar?: InlinePolicyGrammar): PolicyProblem[] {
  return Object.entries(policy.permissionSets).flatMap(([name, decl]) => [
    ...(typeof decl.inlinePolicy === "object"
      ? validateInlineDocument(
          decl.inlinePolicy,
          ["permissionSets", name, "inlinePolicy"],
          undefined,
          grammar,
        )
      : []),
    ...tooManyManagedPolicies(name, decl),
    ...duplicates(name, "managedPolicies", decl.managedPolicies ?? [], (arn) => arn),
    ...duplicates(
      name,
      "customerManagedPolicies",
      decl.customerManagedPolicies ?? [],
      (ref) => ref.path + ref.name,
    ),
  ]);
}

/**
 * IAM grammar and size problems of an inline policy document. `file` set: the document came from that
 * file, so every problem points at the `inlinePolicy` entry and names the place inside the file.
 */
export function validateInlineDocument(
  document: Record<string, unknown>,
  base: PolicyPath,
  file?: string,
  checkGrammar?: InlinePolicyGrammar,
): PolicyProblem[] {
  const grammar = (checkGrammar?.(document) ?? []).map((error): PolicyProblem => {
    const { segments, atKey } = parseValidatorPath(error.path);
    const where = segments
      .map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`))
      .join("")
      .replace(/^\./, "");
    if (file !== undefined) {
      return {
        path: base,
        message: `${file}${where === "" ? "" : ` at ${where}`}: ${error.message}`,
        fix: "correct the IAM policy in that file (IAM User Guide, 'IAM JSON policy elements reference')",
      };
    }
    return {
      path: [...base, ...segments],
      message: `inline policy${where === "" ? "" : ` at ${where}`}: ${error.message}`,
      fix: "correct the IAM policy here (IAM User Guide, 'IAM JSON policy elements reference')",
      ...(atKey ? { at: "key" as const } : {}),
    };
  });
  const reserved = statementsOf(document).flatMap((statement, index): PolicyProblem[] =>
    isToolStatement(statement)
      ? [
          {
            path:
              file !== undefined
                ? base
                : Array.isArray(document.Statement)
                  ? [...base, "Statement", index, "Sid"]
                  : [...base, "Statement", "Sid"],
            message:
              `${file === undefined ? "inline policy" : file} at Statement[${index}]: the Sid prefix ` +
              `${TOOL_SID_PREFIX} is reserved for the pipeline's revocation Denies`,
            fix: `rename the Sid so it does not start with ${TOOL_SID_PREFIX}`,
          },
        ]
      : [],
  );
  const size = inlinePolicyLength(JSON.stringify(document));
  const tooLarge: PolicyProblem[] =
    size > INLINE_POLICY_MAX_CHARS
      ? [
          {
            path: base,
            message:
              `the inline policy${file === undefined ? "" : ` in ${file}`} has ${size} non-whitespace characters; ` +
              `a permission set allows ${INLINE_POLICY_MAX_CHARS} (IAM Identity Center quotas)`,
            fix: "move statements into customer managed policies (customerManagedPolicies), or merge statements",
          },
        ]
      : [];
  return [...grammar, ...reserved, ...tooLarge];
}

/** A document's statements as a list (IAM allows one statement object in place of the list). */
function statementsOf(document: Record<string, unknown>): unknown[] {
  const statement = document.Statement;
  return Array.isArray(statement) ? statement : [statement];
}

/**
 * The validator's paths (`Statement[0].Action[1]`, `Statement.#Principal`, `.#Foo`: `#` marks a key
 * that should not be there) as policy path segments.
 */
function parseValidatorPath(path: string): { segments: (string | number)[]; atKey: boolean } {
  const segments: (string | number)[] = [];
  let atKey = false;
  for (const part of path.split(".")) {
    if (part === "") continue;
    // Always matches: an optional `#`, the key, then any list indexes.
    const match = /^(#?)(.*?)((?:\[\d+\])*)$/.exec(part) as RegExpExecArray;
    if (match[1] === "#") atKey = true;
    segments.push(match[2] as string);
    for (const index of (match[3] as string).matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return { segments, atKey };
}

function tooManyManagedPolicies(name: string, decl: PolicyPermissionSet): PolicyProblem[] {
  const count = (decl.managedPolicies?.length ?? 0) + (decl.customerManagedPolicies?.length ?? 0);
  if (count <= MANAGED_POLICIES_PER_PERMISSION_SET) return [];
  return [
    {
      path: [
        "permissionSets",
        name,
        decl.managedPolicies === undefined ? "customerManagedPolicies" : "managedPolicies",
      ],
      message:
        `permission set '${name}' attaches ${count} managed policies (AWS and customer managed); ` +
        `Identity Center allows ${MANAGED_POLICIES_PER_PERMISSION_SET} per permission set by default`,
      fix: "merge policies into fewer customer managed policies or the inline policy, or raise the quota and split the set",
    },
  ];
}

function duplicates<T>(
  name: string,
  key: string,
  items: readonly T[],
  keyOf: (item: T) => string,
): PolicyProblem[] {
  const seen = new Map<string, number>();
  return items.flatMap((item, index) => {
    const k = keyOf(item);
    const first = seen.get(k);
    if (first === undefined) {
      seen.set(k, index);
      return [];
    }
    return [
      {
        path: ["permissionSets", name, key, index],
        message: `${k} is listed twice under ${key} of '${name}' (first at ${key}[${first}])`,
        fix: "remove the repeated entry: AWS refuses to attach a policy twice",
      },
    ];
  });
}
