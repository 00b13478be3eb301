/**
 * Checks an inline policy document against IAM's policy grammar. A port, not an import: the real
 * validator (@cloud-copilot/iam-policy, adapters/iam-policy-grammar.ts) is AGPL-3.0-or-later and this
 * product Apache-2.0, so it is given only where it is not bundled into Lambdas (the CLI's `policy
 * validate`, `plan` and `reconcile`, CI, the local stack). Deployed runs go without it and rely on
 * Identity Center's own validation: a write it refuses (ValidationException) is that set's FAILED outcome.
 */
export type InlinePolicyGrammar = (document: Record<string, unknown>) => InlinePolicyGrammarError[];

export interface InlinePolicyGrammarError {
  /** Where in the document, as the validator writes it: `Statement[0].Action[1]`, `Statement.#Foo` (`#`: a key that should not be there). */
  path: string;
  message: string;
}
