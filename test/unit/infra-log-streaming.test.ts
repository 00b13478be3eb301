import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LIFECYCLE_EVENT_TYPES } from "../../core/okta/event-types.ts";
import { logStreamingPattern } from "../../infra/log-streaming-pattern.ts";
import { compileEventPattern } from "../../local/runtime/event-pattern.ts";

const SOURCE = "aws.partner/okta.com/example/okta-lifecycle";
const streamed = JSON.parse(
  readFileSync(
    path.join(import.meta.dirname, "../fixtures/okta/log-streaming-suspend.eventbridge.json"),
    "utf8",
  ),
) as Record<string, unknown> & { detail: Record<string, unknown> };

describe("infra/log-streaming: the partner bus rule", () => {
  it("routes a lifecycle LogEvent whatever detail-type Okta's partner source sets", () => {
    // Prepare
    const matches = compileEventPattern(logStreamingPattern(SOURCE));

    // Act: the fixture as streamed, and the same event under other detail-types, or none
    const detailTypes = ["SystemLog", "Okta Log Event", "okta.system.log", undefined];
    const results = detailTypes.map((detailType) =>
      matches({ ...streamed, source: SOURCE, "detail-type": detailType }),
    );

    // Assess
    expect(results).toEqual([true, true, true, true]);
    expect(JSON.stringify(logStreamingPattern(SOURCE))).not.toContain("detail-type");
  });

  it("matches every lifecycle event type and nothing else, from this source only", () => {
    // Prepare
    const matches = compileEventPattern(logStreamingPattern(SOURCE));
    const withType = (eventType: string, source = SOURCE) => ({
      ...streamed,
      source,
      detail: { ...streamed.detail, eventType },
    });

    // Act
    const lifecycle = LIFECYCLE_EVENT_TYPES.filter((t) => !matches(withType(t)));
    const signIn = matches(withType("user.session.start"));
    const otherSource = matches(withType("user.lifecycle.deactivate", "aws.partner/okta.com/other/stream"));

    // Assess
    expect(lifecycle).toEqual([]);
    expect({ signIn, otherSource }).toEqual({ signIn: false, otherSource: false });
  });
});
