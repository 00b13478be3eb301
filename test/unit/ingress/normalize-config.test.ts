import { describe, expect, it } from "vitest";
import { z } from "zod";
import { normalizeConfigSchema, normalizeOptionsOf } from "../../../functions/shared/normalize-config.ts";

describe("the ingress functions' normalize settings", () => {
  it("reads the provisioning apps and the pipeline's own actors from the environment", () => {
    // Prepare
    const config = z
      .object(normalizeConfigSchema)
      .parse({ PROVISIONING_APP_IDS: "0oa1, 0oa2", PIPELINE_ACTOR_IDS: "0oaApp,,00uAdmin" });
    // Act / Assess
    expect(normalizeOptionsOf(config)).toEqual({
      provisioningAppIds: ["0oa1", "0oa2"],
      pipelineActorIds: ["0oaApp", "00uAdmin"],
    });
    expect(normalizeOptionsOf(z.object(normalizeConfigSchema).parse({}))).toEqual({ provisioningAppIds: [] });
  });
});
