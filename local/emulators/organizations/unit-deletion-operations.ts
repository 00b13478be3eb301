/**
 * DeleteOrganizationalUnit (Organizations API reference): "You must first remove all accounts and
 * child OUs from the OU that you want to delete", else OrganizationalUnitNotEmptyException; an unknown
 * id answers OrganizationalUnitNotFoundException. The OU's policy attachments and tags go with it.
 */
import { type AwsOperation, AwsServiceError } from "../aws-json-protocol.ts";
import type { OperationContext } from "./context.ts";
import { organizationalUnitNotFound } from "./errors.ts";
import { requiredString } from "./request.ts";

/** The model's message for OrganizationalUnitNotEmptyException (HTTP 400, a client error). */
const organizationalUnitNotEmpty = () =>
  new AwsServiceError(
    "OrganizationalUnitNotEmptyException",
    "The specified OU is not empty. Move all accounts to another root or to other OUs, remove all child OUs, and try the operation again.",
  );

export function unitDeletionOperations({ state }: OperationContext): Record<string, AwsOperation> {
  return {
    DeleteOrganizationalUnit: (input) => {
      const unit = state.units.get(requiredString(input, "OrganizationalUnitId", 68));
      if (!unit) throw organizationalUnitNotFound();
      const hasChildren =
        [...state.accounts.values()].some((a) => a.parentId === unit.id) ||
        [...state.units.values()].some((u) => u.parentId === unit.id);
      if (hasChildren) throw organizationalUnitNotEmpty();
      state.units.delete(unit.id);
      state.attachments.delete(unit.id);
      state.tags.delete(unit.id);
      return {};
    },
  };
}
