import { createRequire } from "node:module";
import type { validateIdentityPolicy } from "@cloud-copilot/iam-policy";
import type { InlinePolicyGrammar } from "../core/policy/inline-policy-grammar.ts";

/** Where the CLI says the grammar went unchecked (once per process). */
let warned = false;

/**
 * The parser, or undefined where the package is not installed. @cloud-copilot/iam-policy is
 * AGPL-3.0-or-later, so it is a dev dependency like the simulator: CI, the local stack and a
 * development checkout have it, a production install (`npm install --omit=dev`) does not, and no Lambda
 * bundles it (test/integration/lambda-bundle-licences.test.ts).
 */
function loadValidator(): typeof validateIdentityPolicy | undefined {
  try {
    return createRequire(import.meta.url)("@cloud-copilot/iam-policy").validateIdentityPolicy;
  } catch (error) {
    if ((error as { code?: string }).code !== "MODULE_NOT_FOUND") throw error;
    return undefined;
  }
}

/**
 * IAM's identity-policy grammar through @cloud-copilot/iam-policy (a real parser, not regexes). Without
 * the package it finds nothing and says once, on stderr, that the grammar was not checked: Identity
 * Center still refuses a malformed policy when it is written (a FAILED outcome for that set).
 */
export const iamPolicyGrammar: InlinePolicyGrammar = (document) => {
  const validate = loadValidator();
  if (validate === undefined) {
    if (!warned) {
      warned = true;
      process.stderr.write(
        "note: the IAM grammar of inline policies was not checked: @cloud-copilot/iam-policy (a development dependency) is not installed; run `npm install` without --omit=dev to check it\n",
      );
    }
    return [];
  }
  return validate(document).map((error) => ({ path: error.path, message: error.message }));
};
