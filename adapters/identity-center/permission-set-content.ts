import {
  AttachCustomerManagedPolicyReferenceToPermissionSetCommand,
  AttachManagedPolicyToPermissionSetCommand,
  CreatePermissionSetCommand,
  DeleteInlinePolicyFromPermissionSetCommand,
  DeletePermissionSetCommand,
  DescribePermissionSetCommand,
  DetachCustomerManagedPolicyReferenceFromPermissionSetCommand,
  DetachManagedPolicyFromPermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListCustomerManagedPolicyReferencesInPermissionSetCommand,
  ListManagedPoliciesInPermissionSetCommand,
  ListTagsForResourceCommand,
  PutInlinePolicyToPermissionSetCommand,
  PutPermissionsBoundaryToPermissionSetCommand,
  type SSOAdminClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdatePermissionSetCommand,
} from "@aws-sdk/client-sso-admin";
import { z } from "zod";
import type { PermissionSetRepair } from "../../core/plan/judge-permission-set-drift.ts";
import type { Boundary, ObservedPermissionSetContent } from "../../core/plan/permission-set-content.ts";
import { collectPages } from "./collect-pages.ts";
import { parseResponse } from "./unexpected-response-error.ts";

const reference = z.object({ Name: z.string().min(1), Path: z.string().min(1).default("/") });
const nextToken = z
  .string()
  .optional()
  .transform((token) => (token === "" ? undefined : token));
const describeSchema = z.object({
  PermissionSet: z.object({
    PermissionSetArn: z.string().min(1),
    Name: z.string().min(1),
    Description: z.string().optional(),
    SessionDuration: z.string().min(1).default("PT1H"),
    RelayState: z.string().optional(),
  }),
});
const managedPage = z.object({
  AttachedManagedPolicies: z.array(z.object({ Arn: z.string().min(1) })).default([]),
  NextToken: nextToken,
});
const customerPage = z.object({
  CustomerManagedPolicyReferences: z.array(reference).default([]),
  NextToken: nextToken,
});
const tagsPage = z.object({
  Tags: z.array(z.object({ Key: z.string().min(1), Value: z.string() })).default([]),
  NextToken: nextToken,
});
// The model's note on InlinePolicy: an empty one may be returned for a set without one.
const inlineSchema = z.object({ InlinePolicy: z.string().optional() });
const boundarySchema = z.object({
  PermissionsBoundary: z
    .object({
      ManagedPolicyArn: z.string().min(1).optional(),
      CustomerManagedPolicyReference: reference.optional(),
    })
    .optional(),
});

/** What a new permission set is created with (CreatePermissionSet), before its policies are attached. */
export interface PermissionSetAttributes {
  name: string;
  sessionDuration: string;
  description?: string;
  relayState?: string;
  tags?: Record<string, string>;
}

/**
 * sso-admin calls that read and write what a permission set *is* (its policies, boundary, attributes
 * and tags), for permission sets declared in the policy (core/plan/judge-permission-set-drift.ts).
 * Every write but tagging needs a ProvisionPermissionSet to reach the accounts (the caller's).
 */
export class PermissionSetContentAdapter {
  private readonly options: {
    ssoAdmin: SSOAdminClient;
    instanceArn: string;
    /** MaxResults of list calls (1..100). @default the service's */
    pageSize?: number;
  };

  constructor(options: PermissionSetContentAdapter["options"]) {
    this.options = options;
  }

  private target(permissionSetArn: string) {
    return { InstanceArn: this.options.instanceArn, PermissionSetArn: permissionSetArn };
  }

  private send(command: unknown): Promise<unknown> {
    return this.options.ssoAdmin.send(command as never);
  }

  /**
   * Everything the drift judge compares, in six reads (plus pages). A boundary read as
   * ResourceNotFoundException or as an empty answer is "no boundary" (switch permissionsBoundaryAbsent,
   * docs/aws-behaviour.md); an empty inline policy is none.
   */
  async read(permissionSetArn: string): Promise<ObservedPermissionSetContent> {
    const target = this.target(permissionSetArn);
    const { PermissionSet: set } = parseResponse(
      "DescribePermissionSet",
      describeSchema,
      await this.send(new DescribePermissionSetCommand(target)),
    );
    const page = { ...target, MaxResults: this.options.pageSize };
    const managed = await collectPages("ListManagedPoliciesInPermissionSet", async (NextToken) => {
      const out = parseResponse(
        "ListManagedPoliciesInPermissionSet",
        managedPage,
        await this.send(new ListManagedPoliciesInPermissionSetCommand({ ...page, NextToken })),
      );
      return { items: out.AttachedManagedPolicies.map((p) => p.Arn), nextToken: out.NextToken };
    });
    const customer = await collectPages(
      "ListCustomerManagedPolicyReferencesInPermissionSet",
      async (NextToken) => {
        const out = parseResponse(
          "ListCustomerManagedPolicyReferencesInPermissionSet",
          customerPage,
          await this.send(
            new ListCustomerManagedPolicyReferencesInPermissionSetCommand({ ...page, NextToken }),
          ),
        );
        return { items: out.CustomerManagedPolicyReferences, nextToken: out.NextToken };
      },
    );
    const { InlinePolicy } = parseResponse(
      "GetInlinePolicyForPermissionSet",
      inlineSchema,
      await this.send(new GetInlinePolicyForPermissionSetCommand(target)),
    );
    const tags = await collectPages("ListTagsForResource", async (NextToken) => {
      const out = parseResponse(
        "ListTagsForResource",
        tagsPage,
        await this.send(
          new ListTagsForResourceCommand({
            InstanceArn: this.options.instanceArn,
            ResourceArn: permissionSetArn,
            NextToken,
          }),
        ),
      );
      return { items: out.Tags, nextToken: out.NextToken };
    });
    return {
      description: set.Description ?? null,
      sessionDuration: set.SessionDuration,
      relayState: set.RelayState ?? null,
      managedPolicyArns: managed.sort(),
      customerManagedPolicies: customer.map((r) => ({ name: r.Name, path: r.Path })),
      inlinePolicy: InlinePolicy === undefined || InlinePolicy.trim() === "" ? null : InlinePolicy,
      permissionsBoundary: await this.readBoundary(permissionSetArn),
      tags: Object.fromEntries(tags.map((t) => [t.Key, t.Value])),
    };
  }

  private async readBoundary(permissionSetArn: string): Promise<Boundary | null> {
    let output: unknown;
    try {
      output = await this.send(
        new GetPermissionsBoundaryForPermissionSetCommand(this.target(permissionSetArn)),
      );
    } catch (error) {
      if ((error as Error).name === "ResourceNotFoundException") return null;
      throw error;
    }
    const { PermissionsBoundary: boundary } = parseResponse(
      "GetPermissionsBoundaryForPermissionSet",
      boundarySchema,
      output,
    );
    if (boundary?.ManagedPolicyArn !== undefined) return { managedPolicyArn: boundary.ManagedPolicyArn };
    if (boundary?.CustomerManagedPolicyReference !== undefined) {
      const ref = boundary.CustomerManagedPolicyReference;
      return { customerManagedPolicy: { name: ref.Name, path: ref.Path } };
    }
    return null;
  }

  /** Creates a permission set with its attributes and tags; its policies come with {@link apply}. */
  async create(attributes: PermissionSetAttributes): Promise<string> {
    const output = await this.send(
      new CreatePermissionSetCommand({
        InstanceArn: this.options.instanceArn,
        Name: attributes.name,
        SessionDuration: attributes.sessionDuration,
        ...(attributes.description === undefined ? {} : { Description: attributes.description }),
        ...(attributes.relayState === undefined ? {} : { RelayState: attributes.relayState }),
        ...(attributes.tags === undefined
          ? {}
          : { Tags: Object.entries(attributes.tags).map(([Key, Value]) => ({ Key, Value })) }),
      }),
    );
    return parseResponse("CreatePermissionSet", describeSchema, output).PermissionSet.PermissionSetArn;
  }

  /**
   * Performs a repair's writes: detaches first (the managed-policy quota counts what is attached), then
   * attaches, the inline policy, the boundary, the attributes and the tags. Each call is idempotent in
   * effect, so a repair interrupted half-way is completed by the next judgement.
   */
  async apply(permissionSetArn: string, repair: PermissionSetRepair): Promise<void> {
    const target = this.target(permissionSetArn);
    for (const arn of repair.detachManagedPolicies) {
      await this.send(new DetachManagedPolicyFromPermissionSetCommand({ ...target, ManagedPolicyArn: arn }));
    }
    for (const ref of repair.detachCustomerManagedPolicies) {
      await this.send(
        new DetachCustomerManagedPolicyReferenceFromPermissionSetCommand({
          ...target,
          CustomerManagedPolicyReference: { Name: ref.name, Path: ref.path },
        }),
      );
    }
    for (const arn of repair.attachManagedPolicies) {
      await this.send(new AttachManagedPolicyToPermissionSetCommand({ ...target, ManagedPolicyArn: arn }));
    }
    for (const ref of repair.attachCustomerManagedPolicies) {
      await this.send(
        new AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
          ...target,
          CustomerManagedPolicyReference: { Name: ref.name, Path: ref.path },
        }),
      );
    }
    if (repair.inlinePolicy !== undefined) {
      await this.send(
        "put" in repair.inlinePolicy
          ? new PutInlinePolicyToPermissionSetCommand({ ...target, InlinePolicy: repair.inlinePolicy.put })
          : new DeleteInlinePolicyFromPermissionSetCommand(target),
      );
    }
    if (repair.permissionsBoundary !== undefined) {
      const boundary = repair.permissionsBoundary.put;
      await this.send(
        new PutPermissionsBoundaryToPermissionSetCommand({
          ...target,
          PermissionsBoundary:
            "managedPolicyArn" in boundary
              ? { ManagedPolicyArn: boundary.managedPolicyArn }
              : {
                  CustomerManagedPolicyReference: {
                    Name: boundary.customerManagedPolicy.name,
                    Path: boundary.customerManagedPolicy.path,
                  },
                },
        }),
      );
    }
    if (repair.update !== undefined) {
      await this.send(
        new UpdatePermissionSetCommand({
          ...target,
          SessionDuration: repair.update.sessionDuration,
          ...(repair.update.description === undefined ? {} : { Description: repair.update.description }),
          ...(repair.update.relayState === undefined ? {} : { RelayState: repair.update.relayState }),
        }),
      );
    }
    if (repair.tags !== undefined) {
      const resource = { InstanceArn: this.options.instanceArn, ResourceArn: permissionSetArn };
      const set = Object.entries(repair.tags.set).map(([Key, Value]) => ({ Key, Value }));
      if (set.length > 0) await this.send(new TagResourceCommand({ ...resource, Tags: set }));
      if (repair.tags.remove.length > 0) {
        await this.send(new UntagResourceCommand({ ...resource, TagKeys: repair.tags.remove }));
      }
    }
  }

  /**
   * Deletes a permission set. AWS refuses while it is provisioned to an account or being changed
   * (ConflictException): its assignments must be deleted, and the set deprovisioned, first.
   */
  async delete(permissionSetArn: string): Promise<void> {
    await this.send(new DeletePermissionSetCommand(this.target(permissionSetArn)));
  }
}
