import { describe, expect, it } from "vitest";
import { errorText } from "../../core/error-text.ts";

describe("errorText", () => {
  it("names an error and says its message, on one line", () => {
    class AccessDeniedException extends Error {
      override name = "AccessDeniedException";
    }
    expect(errorText(new AccessDeniedException("not authorized"))).toBe(
      "AccessDeniedException: not authorized",
    );
    expect(errorText({ message: "no name" })).toBe("Error: no name");
    expect(errorText("thrown text")).toBe("Error: thrown text");
    expect(errorText(undefined)).toBe("Error: undefined");
  });
});
