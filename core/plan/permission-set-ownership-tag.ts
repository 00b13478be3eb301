import { RESERVED_TAG_PREFIX } from "../policy/permission-set-content.ts";

/**
 * The tag the tool puts on every permission set it creates (CreatePermissionSet's Tags), so that a set
 * the policy stops declaring can later be told apart from one an administrator or another tool made:
 * only a set carrying it is the tool's to delete (issue 18). It is never the policy's content, so the
 * drift judgement neither reports nor removes it. infra/runtime-contract.ts keeps a copy that IAM
 * conditions use (`aws:ResourceTag`); test/unit/infra-permissions.test.ts proves they are equal.
 */
export const PERMISSION_SET_OWNERSHIP_TAG = { key: "okta-aws-lifecycle:managed", value: "true" } as const;

/** The tags without the control tags (RESERVED_TAG_PREFIX): what the policy's `tags` is compared with. */
export function withoutControlTags(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([key]) => !key.startsWith(RESERVED_TAG_PREFIX)));
}
