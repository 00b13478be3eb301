import { type LocalStackOptions, startLocalStack } from "../../local/stack/local-stack.ts";

/**
 * The local stack as the end-to-end tests run it: free ports, a long local hold (so a leaver's run is
 * still holding its Deny when a test reads the world) and fast status polls.
 */
export function startTestStack(
  hookSecret: string,
  options: Omit<Partial<LocalStackOptions>, "hookSecret"> = {},
) {
  return startLocalStack({ port: 0, hookSecret, holdSeconds: 600, pollMs: 20, ...options });
}
