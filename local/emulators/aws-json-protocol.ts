/**
 * The AWS JSON protocol (1.0 and 1.1) as the SDK v3 clients speak it: `POST /` with an `X-Amz-Target:
 * <TargetPrefix>.<Operation>` header and a JSON body; errors are a JSON body with `__type` plus the
 * `x-amzn-ErrorType` header. Every emulator service plugs in here, so the real SDK clients talk to it.
 * Every answer carries an `x-amzn-RequestId` and the content type of the service's JSON version; an
 * error's HTTP status is the one the service's model gives its type (Smithy `httpError`, see
 * test/fixtures/aws/models), checked by test/integration/aws-conformance.test.ts.
 */
import { randomUUID } from "node:crypto";

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

/** Who sent a request: the access key id of its SigV4 signature (sigv4-credential.ts), when signed. */
export interface AwsJsonRequestContext {
  accessKeyId?: string | undefined;
}

/** An operation takes the parsed request body (and who sent it) and returns the response body. */
// biome-ignore lint/suspicious/noExplicitAny: request shapes are validated per operation
export type AwsOperation = (input: any, request?: AwsJsonRequestContext) => unknown;

export interface AwsJsonService {
  /** e.g. `SWBExternalService` (sso-admin), `AWSIdentityStore`, `AWSOrganizationsV20161128`. */
  targetPrefix: string;
  operations: Record<string, AwsOperation>;
  /** Runs before every operation: throttling and fault injection throw from here. */
  beforeOperation?: (operation: string) => void;
  /**
   * The model's `jsonVersion` (botocore metadata): the content type of every answer.
   * @default "1.1"
   */
  jsonVersion?: "1.0" | "1.1";
  /**
   * HTTP status of each error type as the service's model defines it (Smithy `httpError`); it wins over
   * the status an {@link AwsServiceError} was made with. Types it does not list keep theirs.
   */
  errorStatuses?: Readonly<Record<string, number>>;
  /** The model's error shapes carry a `RequestId` member (identitystore): errors repeat the request id. */
  requestIdInErrors?: boolean;
}

export interface AwsJsonResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The headers of every answer: AWS sends `x-amzn-RequestId` on each (AWS JSON protocol). */
const headersOf = (service: AwsJsonService | undefined, requestId: string): Record<string, string> => ({
  "content-type": `application/x-amz-json-${service?.jsonVersion ?? "1.1"}`,
  "x-amzn-requestid": requestId,
});

function errorResponse(
  service: AwsJsonService | undefined,
  requestId: string,
  error: AwsServiceError,
): AwsJsonResponse {
  const status = service?.errorStatuses?.[error.type] ?? error.status;
  const requestIdField = service?.requestIdInErrors === true ? { RequestId: requestId } : {};
  return {
    status,
    headers: { ...headersOf(service, requestId), "x-amzn-errortype": error.type },
    body: JSON.stringify({ ...requestIdField, ...error.fields, __type: error.type, message: error.message }),
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
  request: AwsJsonRequestContext = {},
): Promise<AwsJsonResponse> {
  const [prefix, operation] = (target ?? "").split(".");
  const service = services.find((s) => s.targetPrefix === prefix);
  const handler = operation === undefined ? undefined : service?.operations[operation];
  const requestId = randomUUID();
  if (!service || !handler || operation === undefined || !Object.hasOwn(service.operations, operation)) {
    const unknown = `Unknown operation ${target ?? "(no X-Amz-Target)"}`;
    return errorResponse(service, requestId, new AwsServiceError("UnknownOperationException", unknown));
  }
  let input: unknown;
  try {
    input = bodyText.trim() === "" ? {} : JSON.parse(bodyText);
  } catch {
    const serialization = new AwsServiceError("SerializationException", "Request body is not valid JSON");
    return errorResponse(service, requestId, serialization);
  }
  try {
    service.beforeOperation?.(operation);
    const output = await handler(input, request);
    return { status: 200, headers: headersOf(service, requestId), body: JSON.stringify(output ?? {}) };
  } catch (error) {
    if (error instanceof AwsServiceError) return errorResponse(service, requestId, error);
    // An emulator bug answers as AWS's own failures do: the generic 500 every service may return.
    const message = error instanceof Error ? error.message : String(error);
    return errorResponse(service, requestId, new AwsServiceError("InternalFailure", message, 500));
  }
}
