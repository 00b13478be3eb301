import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import type { StateTable } from "./state-table.ts";

const PK = "identity-link";

/** Which Identity Center user an Okta user id was found to be, when Okta's own answer backed it. */
export interface IdentityLink {
  oktaUserId: string;
  identityCenterUserId: string;
  /** The Okta login when the link was made (for evidence; never used to find anyone). */
  oktaLogin: string;
  linkedAt: string;
}

const linkSchema = z.object({
  sk: z.string().min(1),
  identityCenterUserId: z.string().min(1),
  oktaLogin: z.string(),
  linkedAt: z.string(),
});

/**
 * The pipeline's record of Okta user id -> Identity Center user id (state table, `identity-link`
 * partition). Written only by a run that read the user from Okta and found their Identity Center user,
 * so it is the one trustworthy way to find whom a deleted Okta user was: Okta answers 404 for them, and
 * an event's login must never choose whom to revoke (issue 12).
 */
export class IdentityLinks {
  private readonly table: StateTable;
  constructor(table: StateTable) {
    this.table = table;
  }

  async get(oktaUserId: string): Promise<IdentityLink | null> {
    const out = await this.table.doc.send(
      new GetCommand({ TableName: this.table.tableName, Key: { pk: PK, sk: oktaUserId } }),
    );
    if (out.Item === undefined) return null;
    const item = linkSchema.parse(out.Item);
    return {
      oktaUserId: item.sk,
      identityCenterUserId: item.identityCenterUserId,
      oktaLogin: item.oktaLogin,
      linkedAt: item.linkedAt,
    };
  }

  async put(link: IdentityLink): Promise<void> {
    await this.table.doc.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: {
          pk: PK,
          sk: link.oktaUserId,
          identityCenterUserId: link.identityCenterUserId,
          oktaLogin: link.oktaLogin,
          linkedAt: link.linkedAt,
        },
      }),
    );
  }
}
