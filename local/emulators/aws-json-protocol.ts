/**
 * The AWS JSON 1.1 protocol as the SDK v3 clients speak it: `POST /` with an `X-Amz-Target:
 * <TargetPrefix>.<Operation>` header and a JSON body; errors are a JSON body with `__type` plus the
 * `x-amzn-ErrorType` header. Every emulator service plugs in here, so the real SDK clients talk to it.
 */

/** An error that reaches the client exactly like an AWS service error of that type. */
export class AwsServiceError extends Error {
  override name = "AwsServiceError";
  readonly type: string;
  readonly status: number;
  /** Extra modeled members of the error shape (e.g. Organizations' `Reason`), sent in the body. */
  readonly fields: Readonly<Record<string, unknown>>;
  constructor(type: string, message: string, status = 400, fields: Record<string, unknown> = {}) {
    super(message);
    this.type = type;
    this.status = status;
    this.fields = fields;
  }
}

export const validationError = (message: string) => new AwsServiceError("ValidationException", message);
export const notFound = (message: string) => new AwsServiceError("ResourceNotFoundException", message);

/** An operation takes the parsed request body and returns the response body. */
// biome-ignore lint/suspicious/noExplicitAny: request shapes are validated per operation
export type AwsOperation = (input: any) => unknown;

export interface AwsJsonService {
  /** e.g. `SWBExternalService` (sso-admin), `AWSIdentityStore`, `AWSOrganizationsV20161128`. */
  targetPrefix: string;
  operations: Record<string, AwsOperation>;
  /** Runs before every operation: throttling and fault injection throw from here. */
  beforeOperation?: (operation: string) => void;
}

export interface AwsJsonResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_HEADERS = { "content-type": "application/x-amz-json-1.1" };

function errorResponse(
  type: string,
  message: string,
  status: number,
  fields: Readonly<Record<string, unknown>> = {},
): AwsJsonResponse {
  return {
    status,
    headers: { ...JSON_HEADERS, "x-amzn-errortype": type },
    body: JSON.stringify({ ...fields, __type: type, message }),
  };
}

/**
 * Answers one AWS JSON 1.1 request. Unknown targets and operations answer like AWS does
 * (`UnknownOperationException`), never with a silent success.
 */
export async function handleAwsJson(
  services: readonly AwsJsonService[],
  target: string | undefined,
  bodyText: string,
): Promise<AwsJsonResponse> {
  const [prefix, operation] = (target ?? "").split(".");
  const service = services.find((s) => s.targetPrefix === prefix);
  const handler = operation === undefined ? undefined : service?.operations[operation];
  if (!service || !handler || operation === undefined || !Object.hasOwn(service.operations, operation)) {
    return errorResponse(
      "UnknownOperationException",
      `Unknown operation ${target ?? "(no X-Amz-Target)"}`,
      400,
    );
  }
  let input: unknown;
  try {
    input = bodyText.trim() === "" ? {} : JSON.parse(bodyText);
  } catch {
    return errorResponse("SerializationException", "Request body is not valid JSON", 400);
  }
  try {
    service.beforeOperation?.(operation);
    const output = await handler(input);
    return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(output ?? {}) };
  } catch (error) {
    if (error instanceof AwsServiceError) {
      return errorResponse(error.type, error.message, error.status, error.fields);
    }
    return errorResponse(
      "InternalServerException",
      error instanceof Error ? error.message : String(error),
      500,
    );
  }
}
