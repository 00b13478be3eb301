import { SeededRandom } from "./deterministic.ts";

/**
 * Faults switchable at runtime. Draws come from their own seeded stream, so a given seed and call
 * sequence fail the same requests every run. Faults are decided before a route runs: a faulted request
 * changes nothing, as a throttled or failed Okta request would not.
 */
export class OktaFaults {
  /** Share of requests answered 429 E0000047 whatever the bucket says (0 to 1). @default 0 */
  force429Rate = 0;
  /** Share of requests answered 500 E0000009 (0 to 1). @default 0 */
  serverErrorRate = 0;
  /** Groups whose member listing (`GET /api/v1/groups/{id}/users`) answers 500. */
  readonly failingGroupMemberListings = new Set<string>();
  /**
   * Groups whose member listing ends after this many members with no `next` link: a short read that
   * looks complete (a proxy or an Okta fault cutting a page), which only the group's usersCount betrays.
   */
  readonly truncatedGroupMemberListings = new Map<string, number>();
  private readonly random: SeededRandom;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  /** Makes (or stops making) a group's member listing fail. */
  failGroupMemberListing(groupId: string, failing = true): void {
    if (failing) this.failingGroupMemberListings.add(groupId);
    else this.failingGroupMemberListings.delete(groupId);
  }

  /** Makes a group's member listing stop after `members` members (`undefined`: whole again). */
  truncateGroupMemberListing(groupId: string, members: number | undefined): void {
    if (members === undefined) this.truncatedGroupMemberListings.delete(groupId);
    else this.truncatedGroupMemberListings.set(groupId, members);
  }

  /** Switches every fault off. */
  clear(): void {
    this.force429Rate = 0;
    this.serverErrorRate = 0;
    this.failingGroupMemberListings.clear();
    this.truncatedGroupMemberListings.clear();
  }

  /** Whether this request is throttled by the forced-429 fault. */
  drawThrottle(): boolean {
    return this.force429Rate > 0 && this.random.next() < this.force429Rate;
  }

  /** Whether this request fails with a server error. */
  drawServerError(): boolean {
    return this.serverErrorRate > 0 && this.random.next() < this.serverErrorRate;
  }
}
