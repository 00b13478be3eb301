/**
 * The service errors Organizations answers with, shaped as the SDK's modeled exceptions so callers
 * see the same `name` (and `Reason`) as against AWS. Messages follow the ones AWS returns.
 */
import { AwsServiceError } from "../aws-json-protocol.ts";

const error = (type: string, message: string, fields: Record<string, unknown> = {}, status = 400) =>
  new AwsServiceError(type, message, status, fields);

/**
 * HTTP status of each Organizations error, as the model defines it (Smithy `httpError` of
 * @aws-sdk/client-organizations; test/fixtures/aws/models/organizations.json). Errors the model gives no
 * status (PolicyChangesInProgressException, EffectivePolicyNotFoundException) answer 400, a client error.
 */
export const ORGANIZATIONS_ERROR_STATUSES: Readonly<Record<string, number>> = {
  InvalidInputException: 400,
  MalformedPolicyDocumentException: 400,
  AccessDeniedException: 403,
  AccessDeniedForDependencyException: 403,
  AWSOrganizationsNotInUseException: 404,
  AccountNotFoundException: 404,
  ChildNotFoundException: 404,
  CreateAccountStatusNotFoundException: 404,
  DestinationParentNotFoundException: 404,
  OrganizationalUnitNotFoundException: 404,
  ParentNotFoundException: 404,
  PolicyNotFoundException: 404,
  RootNotFoundException: 404,
  SourceParentNotFoundException: 404,
  TargetNotFoundException: 404,
  ConcurrentModificationException: 409,
  ConstraintViolationException: 409,
  DuplicateAccountException: 409,
  DuplicateOrganizationalUnitException: 409,
  DuplicatePolicyAttachmentException: 409,
  DuplicatePolicyException: 409,
  OrganizationalUnitNotEmptyException: 409,
  PolicyInUseException: 409,
  PolicyNotAttachedException: 409,
  PolicyTypeAlreadyEnabledException: 409,
  PolicyTypeNotAvailableForOrganizationException: 409,
  PolicyTypeNotEnabledException: 409,
  TooManyRequestsException: 429,
  ServiceException: 500,
};

/**
 * Organizations' throttle: HTTP 429 per the model. In 2018 Organizations answered it with 400
 * (boto/botocore pull request 1498); SDKs retry it by its code either way.
 */
export const tooManyRequests = () =>
  error(
    "TooManyRequestsException",
    "You have sent too many requests in too short a period of time. Try again later.",
  );

/** An injected server fault (HTTP 500). */
export const serviceError = () =>
  error(
    "ServiceException",
    "AWS Organizations can't complete your request because of an internal service error. Try again later.",
    {},
    500,
  );

/** Bad input; `reason` is an InvalidInputExceptionReason such as INPUT_REQUIRED or INVALID_NEXT_TOKEN. */
export const invalidInput = (reason: string, message: string) =>
  error("InvalidInputException", message, { Reason: reason });

/** A limit would be violated; `reason` is a ConstraintViolationExceptionReason. */
export const constraintViolation = (reason: string, message: string) =>
  error("ConstraintViolationException", message, { Reason: reason });

export const policyContentTooLarge = () =>
  constraintViolation("POLICY_CONTENT_LIMIT_EXCEEDED", "You have exceeded the maximum policy size.");

export const tooManyPoliciesOnTarget = () =>
  constraintViolation(
    "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
    "You have attached the maximum number of policies to the specified target.",
  );

export const lastPolicyOnTarget = () =>
  constraintViolation(
    "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
    "You can't detach the last policy of this type from the specified target. Attach another policy first.",
  );

export const tooManyTags = () =>
  constraintViolation(
    "MAX_TAG_LIMIT_EXCEEDED",
    "You have exceeded the number of tags allowed on this resource.",
  );

export const createAccountStatusNotFound = () =>
  error(
    "CreateAccountStatusNotFoundException",
    "We can't find a create account request with the CreateAccountRequestId that you specified.",
  );

export const accountNotFound = () =>
  error("AccountNotFoundException", "You specified an account that doesn't exist.");

export const parentNotFound = () =>
  error("ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.");

export const childNotFound = () =>
  error(
    "ChildNotFoundException",
    "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
  );

export const organizationalUnitNotFound = () =>
  error(
    "OrganizationalUnitNotFoundException",
    "We can't find an OU with the OrganizationalUnitId that you specified.",
  );

export const targetNotFound = () =>
  error(
    "TargetNotFoundException",
    "We can't find a root, OU, account, or policy with the TargetId that you specified.",
  );

export const sourceParentNotFound = () =>
  error(
    "SourceParentNotFoundException",
    "We can't find a source root or OU with the ParentId that you specified.",
  );

export const destinationParentNotFound = () =>
  error(
    "DestinationParentNotFoundException",
    "We can't find the destination container (a root or OU) with the ParentId that you specified.",
  );

export const duplicateAccount = () =>
  error("DuplicateAccountException", "That account is already present in the specified destination.");

export const duplicateOrganizationalUnit = () =>
  error("DuplicateOrganizationalUnitException", "An OU with the same name already exists.");

export const policyNotFound = () =>
  error("PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified.");

export const duplicatePolicy = () =>
  error("DuplicatePolicyException", "A policy with the same name already exists.");

export const duplicatePolicyAttachment = () =>
  error(
    "DuplicatePolicyAttachmentException",
    "The selected policy is already attached to the specified target.",
  );

export const policyNotAttached = () =>
  error(
    "PolicyNotAttachedException",
    "The policy isn't attached to the specified target in the specified root.",
  );

export const policyInUse = () =>
  error(
    "PolicyInUseException",
    "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts " +
      "before performing this operation.",
  );

export const malformedPolicy = (detail: string) =>
  error(
    "MalformedPolicyDocumentException",
    `The provided policy document doesn't meet the requirements of the specified policy type: ${detail}`,
  );

/** Emulator choice: AWS managed policies (FullAWSAccess) cannot be changed or deleted. */
export const awsManagedPolicy = () =>
  error("AccessDeniedException", "You don't have permissions to modify or delete an AWS managed policy.");

/** Organizations API reference, PolicyTypeNotEnabledException. */
export const policyTypeNotEnabled = () =>
  error(
    "PolicyTypeNotEnabledException",
    "The specified policy type isn't currently enabled in this root. You can't attach policies of the " +
      "specified type to entities in a root until you enable that type in the root.",
  );

/** Organizations API reference, PolicyTypeAlreadyEnabledException. */
export const policyTypeAlreadyEnabled = () =>
  error(
    "PolicyTypeAlreadyEnabledException",
    "The specified policy type is already enabled in the specified root.",
  );

/** Organizations API reference, RootNotFoundException. */
export const rootNotFound = () =>
  error("RootNotFoundException", "We can't find a root with the RootId that you specified.");
