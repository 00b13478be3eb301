/** Confirming orphans costs one identitystore call per distinct unread principal, within a budget. */
import { describe, expect, it } from "vitest";
import { confirmOrphans } from "../../../usecases/reconcile-estate/confirm-orphans.ts";

const on = (principalType: "USER" | "GROUP", principalId: string) => ({
  accountId: "111111111111",
  permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-1/ps-dev",
  principalType,
  principalId,
});
const ic = {
  users: [{ userId: "u-1", userName: "ana" }],
  groups: [],
  assignments: [on("USER", "u-1"), on("USER", "u-gone"), on("GROUP", "g-held"), on("USER", "u-gone")],
};

describe("confirmOrphans", () => {
  it("asks once per distinct unread principal and sorts the answers", async () => {
    const asked: string[] = [];
    const exists = async (_type: "USER" | "GROUP", id: string) => {
      asked.push(id);
      return id === "g-held";
    };
    const check = await confirmOrphans({ exists }, ic);
    expect(asked).toEqual(["g-held", "u-gone"]);
    expect(check).toEqual({ missing: ["u-gone"], present: ["g-held"], unchecked: [], storeReadEmpty: false });
  });

  it("leaves what exceeds the budget unchecked, and checks nothing without a way to ask", async () => {
    const budgeted = await confirmOrphans({ exists: async () => false }, ic, 1);
    expect(budgeted).toMatchObject({ missing: ["g-held"], unchecked: ["u-gone"] });
    expect(await confirmOrphans(undefined, ic)).toMatchObject({
      missing: [],
      unchecked: ["g-held", "u-gone"],
    });
  });

  it("checks nothing when the read returned no user and no group although assignments exist", async () => {
    const check = await confirmOrphans(
      { exists: async () => false },
      { ...ic, users: [], unnamed: { userIds: [], groupIds: [] } },
    );
    expect(check).toEqual({
      missing: [],
      present: [],
      unchecked: ["g-held", "u-1", "u-gone"],
      storeReadEmpty: true,
    });
  });
});
