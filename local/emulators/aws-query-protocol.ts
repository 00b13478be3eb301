/**
 * The AWS Query protocol as IAM and STS speak it (Smithy `aws.protocols#awsQuery`,
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html): `POST /` with a form-encoded body
 * `Action=<Operation>&Version=<API version>&<members>`; list members flattened as
 * `Name.member.<n>.<Field>` (1-based); answers are XML `<OpResponse xmlns=...><OpResult>...</OpResult>
 * <ResponseMetadata><RequestId/></ResponseMetadata></OpResponse>` with lists as `<member>` children and
 * timestamps in ISO 8601; errors are `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code/>
 * <Message/></Error><RequestId/></ErrorResponse>` with the error's HTTP status (the model's
 * `awsQueryError` trait). Every answer also carries `x-amzn-RequestId`, as AWS's do.
 * Answers are built with fast-xml-parser's XMLBuilder (escaping included), never by string pasting.
 */
import { randomUUID } from "node:crypto";
import { XMLBuilder } from "fast-xml-parser";
import { AwsServiceError } from "./aws-json-protocol.ts";
import { accessKeyIdOf } from "./sigv4-credential.ts";

/** What an operation learns about the request besides its members. */
export interface QueryRequestContext {
  /** The access key id the request was signed with (SigV4 `Credential=`), when signed. */
  accessKeyId: string | undefined;
}

/** An operation takes the decoded members and returns the result members (lists as arrays, Dates). */
// biome-ignore lint/suspicious/noExplicitAny: members are validated per operation
export type AwsQueryOperation = (input: any, request: QueryRequestContext) => unknown;

export interface AwsQueryService {
  /** The `Version` every request of this service carries (IAM `2010-05-08`, STS `2011-06-15`). */
  version: string;
  /** The model's `xmlNamespace` (the `xmlns` of every answer). */
  xmlNamespace: string;
  operations: Record<string, AwsQueryOperation>;
  /** HTTP status of each error code as the model defines it (`awsQueryError`); others keep theirs. */
  errorStatuses?: Readonly<Record<string, number>>;
}

export interface AwsQueryResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type Tree = { [key: string]: Tree | string };

/**
 * Form members to nested values: `Tags.member.2.Key=k` -> `{ Tags: [undefined, { Key: "k" }] }` compacted
 * to `{ Tags: [{ Key: "k" }] }`; a node whose only key is `member` (or `entry`) becomes an array ordered
 * by index. Values stay strings: operations read numbers and booleans themselves.
 */
export function decodeQueryMembers(params: URLSearchParams): Record<string, unknown> {
  const root: Tree = {};
  for (const [key, value] of params) {
    if (key === "Action" || key === "Version") continue;
    const parts = key.split(".");
    let node = root;
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1) node[part] = value;
      else {
        const next = node[part];
        const child: Tree = typeof next === "object" ? next : {};
        node[part] = child;
        node = child;
      }
    }
  }
  return toValue(root) as Record<string, unknown>;
}

function toValue(node: Tree | string): unknown {
  if (typeof node === "string") return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && (keys[0] === "member" || keys[0] === "entry")) {
    const items = node[keys[0]] as Tree | string;
    if (typeof items === "string") return [];
    return Object.keys(items)
      .filter((index) => /^\d+$/.test(index))
      .sort((a, b) => Number(a) - Number(b))
      .map((index) => toValue(items[index] as Tree | string));
  }
  return Object.fromEntries(keys.map((key) => [key, toValue(node[key] as Tree | string)]));
}

/** Result members to the XML value tree: arrays as `<member>` lists, Dates as ISO 8601, no undefined. */
function toXmlValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.length === 0 ? "" : { member: value.map(toXmlValue) };
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, member]) => member !== undefined)
        .map(([key, member]) => [key, toXmlValue(member)]),
    );
  }
  return value;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_" });

const xmlHeaders = (requestId: string) => ({ "content-type": "text/xml", "x-amzn-requestid": requestId });

function errorResponse(
  service: AwsQueryService | undefined,
  requestId: string,
  error: AwsServiceError,
): AwsQueryResponse {
  const status = service?.errorStatuses?.[error.type] ?? error.status;
  const body = builder.build({
    ErrorResponse: {
      ...(service ? { "@_xmlns": service.xmlNamespace } : {}),
      Error: { Type: status >= 500 ? "Receiver" : "Sender", Code: error.type, Message: error.message },
      RequestId: requestId,
    },
  });
  return { status, headers: xmlHeaders(requestId), body };
}

/**
 * Answers one Query request. An unknown Action answers `InvalidAction` and an unknown Version
 * `InvalidAction` too (API references, Common Errors: "The action or operation requested is invalid").
 */
export async function handleAwsQuery(
  services: readonly AwsQueryService[],
  bodyText: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Promise<AwsQueryResponse> {
  const params = new URLSearchParams(bodyText);
  const action = params.get("Action") ?? "";
  const service = services.find((s) => s.version === params.get("Version"));
  const requestId = randomUUID();
  const operation =
    service && Object.hasOwn(service.operations, action) ? service.operations[action] : undefined;
  if (!service || !operation) {
    const message = `Could not find operation ${action || "(no Action)"} for version ${params.get("Version") ?? "(no Version)"}`;
    return errorResponse(service, requestId, new AwsServiceError("InvalidAction", message));
  }
  const authorization = headers.authorization;
  const context: QueryRequestContext = {
    accessKeyId: accessKeyIdOf(Array.isArray(authorization) ? authorization[0] : authorization),
  };
  try {
    const result = await operation(decodeQueryMembers(params), context);
    const body = builder.build({
      [`${action}Response`]: {
        "@_xmlns": service.xmlNamespace,
        ...(result === undefined ? {} : { [`${action}Result`]: toXmlValue(result) }),
        ResponseMetadata: { RequestId: requestId },
      },
    });
    return { status: 200, headers: xmlHeaders(requestId), body };
  } catch (error) {
    if (error instanceof AwsServiceError) return errorResponse(service, requestId, error);
    // An emulator bug answers as AWS's own failures do: the common InternalFailure, a 500.
    const message = error instanceof Error ? error.message : String(error);
    return errorResponse(service, requestId, new AwsServiceError("InternalFailure", message, 500));
  }
}
