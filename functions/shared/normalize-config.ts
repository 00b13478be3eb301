import { z } from "zod";
import type { NormalizeOptions } from "../../core/okta/normalize.ts";

const commaList = (value: string) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * The environment every ingress function (hook, Log Streaming, System Log poller) reads to normalize
 * events alike: the Okta app(s) that provision Identity Center, and the pipeline's own Okta actors
 * (its OAuth service app's client id, or the SSWS token creator's user id), whose `user.session.clear`
 * of a leaver must not start a second run.
 */
export const normalizeConfigSchema = {
  PROVISIONING_APP_IDS: z.string().default(""),
  PIPELINE_ACTOR_IDS: z.string().default(""),
};

export function normalizeOptionsOf(config: {
  PROVISIONING_APP_IDS: string;
  PIPELINE_ACTOR_IDS: string;
}): NormalizeOptions {
  const pipelineActorIds = commaList(config.PIPELINE_ACTOR_IDS);
  return {
    provisioningAppIds: commaList(config.PROVISIONING_APP_IDS),
    ...(pipelineActorIds.length > 0 ? { pipelineActorIds } : {}),
  };
}
