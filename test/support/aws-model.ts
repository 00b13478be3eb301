import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";

/**
 * An AWS service model as vendored by scripts/vendor-aws-models.ts (botocore's JSON format, in
 * test/fixtures/aws/models): checks that an AWS JSON answer is one the model allows for its operation.
 * Each botocore shape becomes a JSON Schema that ajv validates (required members, member names, types,
 * enums, string patterns and lengths, list and map sizes, numeric ranges, unions, epoch-second
 * timestamps); errors are checked for their code (listed for the operation), their HTTP status (the
 * error shape's `error.httpStatusCode`) and their members. Never reads botocore.
 */

export type AwsModelService =
  | "sso-admin"
  | "identitystore"
  | "organizations"
  | "stepfunctions"
  | "events"
  // AWS Query services: their XML answers are checked by aws-query-model.ts through validate().
  | "iam"
  | "sts";

/** One HTTP answer as the client received it. */
export interface AwsAnswer {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The raw body ("" when none). */
  text: string;
}

type JsonObject = Record<string, unknown>;

interface Shape {
  type: string;
  members?: Record<string, { shape: string; locationName?: string }>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  enum?: string[];
  pattern?: string;
  min?: number;
  max?: number;
  union?: boolean;
  document?: boolean;
  exception?: boolean;
  fault?: boolean;
  error?: { httpStatusCode?: number };
  timestampFormat?: string;
}

interface Operation {
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
}

/**
 * Errors any AWS JSON service may answer to any operation without the model listing them, with their
 * documented HTTP status: the API references' "Common Errors", the AWS JSON protocol's unknown-operation
 * and serialization errors, and ValidationException, the JSON services' spelling of the common
 * ValidationError (EventBridge's PutEvents lists no error for its size limit, yet answers
 * "ValidationException: Total size of the entries in the request is over the limit.":
 * awslabs/aws-service-catalog-puppet issue 563).
 */
export const COMMON_ERRORS: Readonly<Record<string, number>> = {
  AccessDeniedException: 400,
  IncompleteSignature: 400,
  InternalFailure: 500,
  InvalidAction: 400,
  InvalidClientTokenId: 403,
  NotAuthorized: 400,
  RequestExpired: 400,
  ServiceUnavailable: 503,
  ThrottlingException: 400,
  ValidationError: 400,
  ValidationException: 400,
  UnknownOperationException: 400,
  SerializationException: 400,
};

/** Epoch seconds below this are plausible; a millisecond timestamp is far above (year 5138). */
const MAX_EPOCH_SECONDS = 1e11;

/**
 * Botocore patterns are ECMAScript regular expressions, searched (not anchored) like Smithy's; a few
 * escape characters that Unicode mode refuses (`\_`, `\ `): those compile without the `u` flag.
 */
const regExp = Object.assign(
  (pattern: string, flags: string) => {
    try {
      return new RegExp(pattern, flags);
    } catch {
      return new RegExp(pattern, flags.replace("u", ""));
    }
  },
  { code: "new RegExp" },
);

const modelsFolder = new URL("../fixtures/aws/models/", import.meta.url);

export class AwsModel {
  readonly service: AwsModelService;
  readonly targetPrefix: string;
  readonly jsonVersion: string;
  readonly operations: Readonly<Record<string, Operation>>;
  readonly shapes: Readonly<Record<string, Shape>>;
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(service: AwsModelService) {
    const model = JSON.parse(readFileSync(new URL(`${service}.json`, modelsFolder), "utf8")) as {
      metadata: { targetPrefix: string; jsonVersion: string };
      operations: Record<string, Operation>;
      shapes: Record<string, Shape>;
    };
    this.service = service;
    this.targetPrefix = model.metadata.targetPrefix;
    this.jsonVersion = model.metadata.jsonVersion;
    this.operations = model.operations;
    this.shapes = model.shapes;
    this.ajv = new Ajv({ strict: false, allErrors: true, code: { regExp } });
    const definitions = Object.fromEntries(
      Object.entries(model.shapes).map(([name, shape]) => [name, this.schemaOf(shape)]),
    );
    this.ajv.addSchema({ $id: service, definitions });
  }

  /** The operation an `X-Amz-Target` header names, when it names one of this service's. */
  operationOf(target: string | undefined): string | undefined {
    const [prefix, operation] = (target ?? "").split(".");
    return prefix === this.targetPrefix && operation !== undefined && operation in this.operations
      ? operation
      : undefined;
  }

  /** Every way `answer` departs from what the model allows `operation` to answer; [] when it conforms. */
  check(operation: string, answer: AwsAnswer): string[] {
    const definition = this.operations[operation];
    if (definition === undefined) return [`${this.service} has no operation ${operation}`];
    const problems: string[] = [];
    const say = (problem: string) => problems.push(`${operation} ${answer.status}: ${problem}`);
    if (!answer.headers["x-amzn-requestid"]) say("no x-amzn-RequestId header");
    const contentType = `application/x-amz-json-${this.jsonVersion}`;
    if (answer.headers["content-type"] !== contentType) {
      say(`content-type ${answer.headers["content-type"]}, expected ${contentType}`);
    }
    let body: unknown;
    try {
      body = answer.text === "" ? {} : JSON.parse(answer.text);
    } catch {
      say("the body is not JSON");
      return problems;
    }
    if (answer.status === 200) {
      if (definition.output !== undefined) {
        for (const problem of this.validate(definition.output.shape, body)) say(problem);
      } else if (JSON.stringify(body) !== "{}") say("the operation has no output, the body is not {}");
      return problems;
    }
    for (const problem of this.checkError(definition, answer, body)) say(problem);
    return problems;
  }

  /** The problems of `value` as an instance of shape `shape`. */
  validate(shape: string, value: unknown): string[] {
    let validator = this.validators.get(shape);
    if (validator === undefined) {
      validator = this.ajv.getSchema(`${this.service}#/definitions/${shape}`);
      if (validator === undefined) return [`the model has no shape ${shape}`];
      this.validators.set(shape, validator);
    }
    if (validator(value)) return [];
    return (validator.errors ?? []).map((error) => {
      const where = error.instancePath === "" ? shape : `${shape}${error.instancePath}`;
      const detail = error.params.additionalProperty ?? error.params.allowedValues ?? "";
      return `${where} ${error.message}${detail === "" ? "" : ` (${JSON.stringify(detail)})`}`;
    });
  }

  private checkError(definition: Operation, answer: AwsAnswer, body: unknown): string[] {
    if (typeof body !== "object" || body === null || Array.isArray(body))
      return ["the error body is not an object"];
    const { __type: type, ...members } = body as JsonObject;
    if (typeof type !== "string") return ["the error body has no __type"];
    // `__type` may carry a namespace (`aws.protocoltests#Name`) or, in the header, a URI after a colon.
    const code = type.slice(type.indexOf("#") + 1).split(":")[0] as string;
    const header = answer.headers["x-amzn-errortype"];
    const problems: string[] = [];
    if (header !== undefined && header.split(":")[0] !== code) {
      problems.push(`x-amzn-ErrorType ${header} names another error than __type ${type}`);
    }
    const listed = (definition.errors ?? []).some((error) => error.shape === code);
    const shape = listed ? this.shapes[code] : undefined;
    if (shape === undefined) {
      const common = COMMON_ERRORS[code];
      if (common === undefined)
        return [...problems, `${code} is not an error the model lists for the operation`];
      if (answer.status !== common)
        problems.push(`${code} answered with HTTP ${answer.status}, documented ${common}`);
      return problems;
    }
    const status = shape.error?.httpStatusCode ?? (shape.fault === true ? 500 : 400);
    if (answer.status !== status)
      problems.push(`${code} answered with HTTP ${answer.status}, modelled ${status}`);
    // The message member is read case-insensitively by the SDKs (`message` or `Message`).
    const messageMember = Object.keys(shape.members ?? {}).find((name) => name.toLowerCase() === "message");
    const normalized: JsonObject = {};
    for (const [name, value] of Object.entries(members)) {
      if (name.toLowerCase() === "message") {
        if (messageMember !== undefined) normalized[messageMember] = value;
      } else normalized[name] = value;
    }
    return [...problems, ...this.validate(code, normalized)];
  }

  private schemaOf(shape: Shape): JsonObject {
    const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
    switch (shape.type) {
      case "structure": {
        if (shape.document === true) return {};
        const properties: JsonObject = {};
        for (const [name, member] of Object.entries(shape.members ?? {})) {
          properties[member.locationName ?? name] = ref(member.shape);
        }
        return {
          type: "object",
          properties,
          required: shape.required ?? [],
          additionalProperties: false,
          ...(shape.union === true ? { minProperties: 1, maxProperties: 1 } : {}),
        };
      }
      case "list":
        return {
          type: "array",
          items: ref(shape.member?.shape ?? ""),
          ...(shape.min === undefined ? {} : { minItems: shape.min }),
          ...(shape.max === undefined ? {} : { maxItems: shape.max }),
        };
      case "map":
        return {
          type: "object",
          propertyNames: ref(shape.key?.shape ?? ""),
          additionalProperties: ref(shape.value?.shape ?? ""),
          ...(shape.min === undefined ? {} : { minProperties: shape.min }),
          ...(shape.max === undefined ? {} : { maxProperties: shape.max }),
        };
      case "string":
        return {
          type: "string",
          ...(shape.enum === undefined ? {} : { enum: shape.enum }),
          ...(shape.pattern === undefined ? {} : { pattern: shape.pattern }),
          ...(shape.min === undefined ? {} : { minLength: shape.min }),
          ...(shape.max === undefined ? {} : { maxLength: shape.max }),
        };
      case "integer":
      case "long":
        return { type: "integer", ...range(shape) };
      case "float":
      case "double":
        return { type: "number", ...range(shape) };
      case "boolean":
        return { type: "boolean" };
      case "blob":
        return { type: "string", contentEncoding: "base64" };
      case "timestamp":
        // AWS JSON sends timestamps as epoch seconds unless the shape says otherwise.
        return shape.timestampFormat === "iso8601"
          ? { type: "string" }
          : { type: "number", minimum: 0, maximum: MAX_EPOCH_SECONDS };
      default:
        throw new Error(`unsupported shape type ${shape.type}`);
    }
  }
}

function range(shape: Shape): JsonObject {
  return {
    ...(shape.min === undefined ? {} : { minimum: shape.min }),
    ...(shape.max === undefined ? {} : { maximum: shape.max }),
  };
}
