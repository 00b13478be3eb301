/**
 * The Identity Center and Organizations emulators answer short and empty pages with a NextToken under
 * `limits.pageShape`, as AWS may (local/emulators/page-shape.ts): every item comes back once, in order,
 * when a caller follows NextToken to its absence, and no token repeats (an empty page's included).
 */
import { IdentitystoreClient, ListGroupsCommand, ListUsersCommand } from "@aws-sdk/client-identitystore";
import { ListAccountsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { afterEach, describe, expect, it } from "vitest";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import { createIdentityCenterEmulator } from "../../local/emulators/identity-center/index.ts";
import { createOrganizationsEmulator } from "../../local/emulators/organizations/index.ts";
import { type PageShape, slicePage } from "../../local/emulators/page-shape.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Follows NextToken by hand, recording each page's size and every token. */
async function readAll<T>(
  fetch: (token: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>,
) {
  const items: T[] = [];
  const sizes: number[] = [];
  const tokens: string[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    items.push(...(page.items ?? []));
    sizes.push(page.items?.length ?? 0);
    token = page.next;
    if (token !== undefined) tokens.push(token);
  } while (token !== undefined && sizes.length < 100);
  return { items, sizes, tokens };
}

async function identityStoreWith(users: number, pageShape: PageShape) {
  const ic = createIdentityCenterEmulator({ limits: { pageShape, identityStoreTps: 0 } });
  const names = Array.from({ length: users }, (_, n) => `user${String(n).padStart(2, "0")}@example.com`);
  for (const userName of names) ic.seed.user({ userName });
  const server = await startAwsJsonServer(ic.services);
  const client = new IdentitystoreClient(localClientConfig(server.endpoint));
  cleanups.push(async () => {
    client.destroy();
    await server.close();
  });
  const list = (token: string | undefined) =>
    client
      .send(new ListUsersCommand({ IdentityStoreId: ic.identityStoreId, MaxResults: 4, NextToken: token }))
      .then((o) => ({ items: o.Users?.map((u) => u.UserName), next: o.NextToken }));
  return { names, list };
}

describe("Identity Center emulator: page shapes (identitystore ListUsers, MaxResults 4)", () => {
  it.each<{ pageShape: PageShape; sizes: number[] }>([
    { pageShape: "full", sizes: [4, 4, 2] },
    { pageShape: "short", sizes: [2, 2, 2, 2, 2] },
    { pageShape: "empty-first", sizes: [0, 4, 4, 2] },
  ])("answers $pageShape pages of $sizes for 10 users, every user once", async ({ pageShape, sizes }) => {
    // Prepare
    const { names, list } = await identityStoreWith(10, pageShape);
    // Act
    const read = await readAll(list);
    // Assess
    expect(read.sizes).toEqual(sizes);
    expect([...read.items].sort()).toEqual(names);
    expect(new Set(read.tokens).size).toBe(read.tokens.length);
  });

  it("answers an empty list under empty-first with an empty page and a NextToken, then an empty last page", async () => {
    // Prepare
    const { list } = await identityStoreWith(0, "empty-first");
    // Act
    const first = await list(undefined);
    const second = await list(first.next);
    // Assess
    expect(first).toEqual({ items: [], next: expect.any(String) });
    expect(second).toEqual({ items: [], next: undefined });
  });

  it("refuses a token of a page of another list, empty pages' tokens included", async () => {
    // Prepare
    const { list } = await identityStoreWith(3, "empty-first");
    const { next } = await list(undefined);
    const ic = createIdentityCenterEmulator({ limits: { pageShape: "empty-first" } });
    const server = await startAwsJsonServer(ic.services);
    const client = new IdentitystoreClient(localClientConfig(server.endpoint));
    cleanups.push(async () => {
      client.destroy();
      await server.close();
    });
    // Act: the token of one identity store's ListUsers given to ListGroups
    const other = client.send(
      new ListGroupsCommand({
        IdentityStoreId: ic.identityStoreId,
        NextToken: next,
      }),
    );
    // Assess
    await expect(other).rejects.toMatchObject({ name: "ValidationException" });
  });
});

describe("Organizations emulator: page shapes (ListAccounts, pages of 3)", () => {
  it.each<{ pageShape: PageShape; sizes: number[] }>([
    { pageShape: "full", sizes: [3, 3, 1] },
    { pageShape: "short", sizes: [2, 2, 2, 1] },
    { pageShape: "empty-first", sizes: [0, 3, 3, 1] },
  ])(
    "answers $pageShape pages of $sizes for 7 accounts, every account once",
    async ({ pageShape, sizes }) => {
      // Prepare: the management account and 6 more
      const org = createOrganizationsEmulator({ limits: { pageSize: 3, pageShape } });
      const ids = ["111111111111"];
      for (let n = 0; n < 6; n++) ids.push(org.seed.account({ name: `a${n}` }));
      const server = await startAwsJsonServer([org.service]);
      const client = new OrganizationsClient(localClientConfig(server.endpoint));
      cleanups.push(async () => {
        client.destroy();
        await server.close();
      });
      // Act
      const read = await readAll((token) =>
        client
          .send(new ListAccountsCommand({ NextToken: token }))
          .then((o) => ({ items: o.Accounts?.map((a) => a.Id), next: o.NextToken })),
      );
      // Assess
      expect(read.sizes).toEqual(sizes);
      expect([...read.items].sort()).toEqual([...ids].sort());
      expect(new Set(read.tokens).size).toBe(read.tokens.length);
    },
  );
});

describe("slicePage", () => {
  it("never answers a last page while items remain, under every shape and size", () => {
    for (const shape of ["full", "short", "empty-first"] as const)
      for (let total = 0; total <= 12; total++)
        for (let size = 1; size <= 5; size++) {
          let at = { offset: 0, page: 0 };
          const seen: number[] = [];
          for (let calls = 0; calls < 50; calls++) {
            const slice = slicePage(total, at, size, shape);
            for (let i = slice.start; i < slice.end; i++) seen.push(i);
            expect(slice.end - slice.start).toBeLessThanOrEqual(size);
            if (slice.next === undefined) break;
            at = slice.next;
          }
          expect(seen).toEqual(Array.from({ length: total }, (_, i) => i));
        }
  });
});
