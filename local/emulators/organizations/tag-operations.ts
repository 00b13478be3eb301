/** Tags on accounts, OUs, the root and policies. */
import type { AwsOperation } from "../aws-json-protocol.ts";
import type { OperationContext } from "./context.ts";
import { invalidInput, targetNotFound, tooManyTags } from "./errors.ts";
import { paginate } from "./pagination.ts";
import { requiredString, tagList } from "./request.ts";

/** Tags per resource (Organizations quotas). */
export const MAX_TAGS = 50;

export function tagOperations({ state, limits }: OperationContext): Record<string, AwsOperation> {
  const resource = (input: unknown) => {
    const id = requiredString(input, "ResourceId", 130);
    if (state.targetType(id) === undefined && !state.policies.has(id)) throw targetNotFound();
    return id;
  };

  return {
    ListTagsForResource: (input) => {
      const id = resource(input);
      const tags = [...state.tagsOf(id)].map(([Key, Value]) => ({ Key, Value }));
      const page = paginate(tags, input, `tags:${id}`, limits);
      return { Tags: page.items, NextToken: page.nextToken };
    },

    TagResource: (input) => {
      const id = resource(input);
      const tags = tagList(input, "Tags", true);
      const current = state.tagsOf(id);
      const keys = new Set([...current.keys(), ...tags.map((t) => t.Key)]);
      if (keys.size > MAX_TAGS) throw tooManyTags();
      for (const t of tags) current.set(t.Key, t.Value);
      return {};
    },

    UntagResource: (input) => {
      const id = resource(input);
      const keys = input?.TagKeys;
      if (!Array.isArray(keys)) throw invalidInput("INPUT_REQUIRED", "You must specify a list for TagKeys.");
      for (const key of keys) state.tagsOf(id).delete(String(key));
      return {};
    },
  };
}
