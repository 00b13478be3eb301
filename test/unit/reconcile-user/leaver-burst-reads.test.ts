import { describe, expect, it } from "vitest";
import type { Assignment } from "../../../core/estate.ts";
import { LeaverBurstReads } from "../../../usecases/reconcile-user/leaver-burst-reads.ts";

const assignment = (accountId: string): Assignment => ({
  accountId,
  permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-1/ps-1",
  principalType: "GROUP",
  principalId: "g-1",
});

describe("LeaverBurstReads", () => {
  it("reads a key once per window for every run that asks, concurrent asks included", async () => {
    // Prepare
    const asked: string[] = [];
    let now = 0;
    const shared = new LeaverBurstReads<Assignment[]>(() => now, 60_000);
    const list = (g: string) => async () => {
      asked.push(g);
      return [assignment("111111111111")];
    };
    // Act
    const first = await Promise.all([
      shared.get("g-1", list("g-1")),
      shared.get("g-1", list("g-1")),
      shared.get("g-2", list("g-2")),
    ]);
    now = 59_999;
    await shared.get("g-1", list("g-1"));
    now = 60_000;
    const later = await shared.get("g-1", list("g-1"));
    // Assess
    expect(first[0]).toEqual([assignment("111111111111")]);
    expect(later).toEqual([assignment("111111111111")]);
    expect(asked).toEqual(["g-1", "g-2", "g-1"]);
  });

  it("does not keep a failed read: the next ask reads again", async () => {
    // Prepare
    let calls = 0;
    const shared = new LeaverBurstReads<Assignment[]>(() => 0);
    const list = async () => {
      calls++;
      if (calls === 1) throw new Error("ThrottlingException");
      return [assignment("222222222222")];
    };
    // Act / Assess
    await expect(shared.get("g-1", list)).rejects.toThrow("ThrottlingException");
    await expect(shared.get("g-1", list)).resolves.toEqual([assignment("222222222222")]);
    expect(calls).toBe(2);
  });

  it("serves a read-back only to runs whose change came before the read started", async () => {
    // Prepare
    let now = 1_000;
    let reads = 0;
    const shared = new LeaverBurstReads<number>(() => now);
    const read = async () => ++reads;
    // Act: a read at 1,000 s; a Deny in force at 900 and one at 1,500 ask for it at 2,000
    const first = await shared.get("inline", read, 900);
    now = 2_000;
    const earlierDeny = await shared.get("inline", read, 900);
    const laterDeny = await shared.get("inline", read, 1_500);
    const afterThat = await shared.get("inline", read, 1_500);
    // Assess
    expect([first, earlierDeny, laterDeny, afterThat]).toEqual([1, 1, 2, 2]);
  });
});
