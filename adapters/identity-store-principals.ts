import {
  DescribeGroupCommand,
  DescribeUserCommand,
  type IdentitystoreClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-identitystore";

/**
 * Whether the identity store still holds a user or group, asked by id (identitystore DescribeUser /
 * DescribeGroup): `false` only for ResourceNotFoundException, the one answer that confirms a principal
 * is gone; every other error is thrown.
 */
export class IdentityStorePrincipals {
  private readonly client: IdentitystoreClient;
  private readonly identityStoreId: string;
  constructor(options: { client: IdentitystoreClient; identityStoreId: string }) {
    this.client = options.client;
    this.identityStoreId = options.identityStoreId;
  }

  async exists(principalType: "USER" | "GROUP", principalId: string): Promise<boolean> {
    try {
      const IdentityStoreId = this.identityStoreId;
      if (principalType === "USER")
        await this.client.send(new DescribeUserCommand({ IdentityStoreId, UserId: principalId }));
      else await this.client.send(new DescribeGroupCommand({ IdentityStoreId, GroupId: principalId }));
      return true;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    }
  }
}
