import { describe, expect, it } from "vitest";
import { renderPolicy } from "../../../core/revocation/deny-statement.ts";
import { denyStatements } from "../../../core/revocation/deny-statements.ts";
import { orderScpWrites } from "../../../core/revocation/order-scp-writes.ts";
import { leaver } from "./revocation-builders.ts";

/** A document denying every session of these users. */
const doc = (...users: string[]) => renderPolicy(denyStatements(users.map(leaver)));

describe("orderScpWrites", () => {
  it("writes nothing when the documents are unchanged", () => {
    expect(orderScpWrites([doc("a"), doc("b")], [doc("a"), doc("b")])).toEqual({
      creates: [],
      updates: [],
      deletes: [],
    });
  });

  it("creates missing slots first and deletes unneeded ones last", () => {
    // Act
    const plan = orderScpWrites([doc("a"), null, doc("c"), doc("d")], [doc("a"), doc("b"), doc("c")]);
    // Assess
    expect(plan).toEqual({ creates: [1], updates: [], deletes: [3] });
  });

  it("writes the document gaining a Deny before the one losing it (users shifted to a later document)", () => {
    // Prepare: inserting "a0" pushes "b" from the first document into the second
    const current = [doc("a", "b"), doc("c")];
    const next = [doc("a", "a0"), doc("b", "c")];
    // Act / Assess
    expect(orderScpWrites(current, next).updates).toEqual([1, 0]);
  });

  it("keeps index order when Denies move to an earlier document", () => {
    // Prepare: removing "a" pulls "c" into the first document
    const current = [doc("a", "b"), doc("c", "d")];
    const next = [doc("b", "c"), doc("d")];
    // Act / Assess
    expect(orderScpWrites(current, next).updates).toEqual([0, 1]);
  });

  it("counts a created document as holding its Denies", () => {
    // Prepare: "b" moves from the first document to a new second one
    const plan = orderScpWrites([doc("a", "b")], [doc("a"), doc("b")]);
    // Assess
    expect(plan).toEqual({ creates: [1], updates: [0], deletes: [] });
  });

  it("takes the first update when every order would leave a gap (Denies swapping documents)", () => {
    expect(orderScpWrites([doc("a"), doc("b")], [doc("b"), doc("a")]).updates).toEqual([0, 1]);
  });
});
