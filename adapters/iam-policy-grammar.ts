import { validateIdentityPolicy } from "@cloud-copilot/iam-policy";
import type { InlinePolicyGrammar } from "../core/policy/inline-policy-grammar.ts";

/**
 * IAM's identity-policy grammar through @cloud-copilot/iam-policy (a real parser, not regexes). The
 * package is AGPL-3.0-or-later: give this only to the CLI, CI and the local stack, never to a Lambda
 * entry point (test/integration/lambda-bundle-licences.test.ts keeps it out of the bundles).
 */
export const iamPolicyGrammar: InlinePolicyGrammar = (document) =>
  validateIdentityPolicy(document).map((error) => ({ path: error.path, message: error.message }));
