import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { XMLParser } from "fast-xml-parser";
import { type AwsAnswer, AwsModel } from "./aws-model.ts";

/**
 * Checks AWS Query answers (IAM, STS: XML, Smithy awsQuery protocol) against the vendored service
 * model (test/fixtures/aws/models, scripts/vendor-aws-models.ts): the XML result is read back into
 * the output shape the way the protocol defines it (`<member>` lists, `<entry>` maps, ISO 8601
 * timestamps as epoch seconds, booleans and numbers from their text) and validated by
 * {@link AwsModel.validate} (required members, unknown members, enums, patterns, lengths); errors are
 * checked for their code (the model's `error.code` of an error listed for the operation, or a common
 * error), HTTP status, `Type` (Sender for a client fault) and request id.
 */

/**
 * Errors any Query service may answer to any operation, with their HTTP status: the IAM and STS API
 * references' Common Errors (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html,
 * MissingAuthenticationToken in its earlier editions), plus the codes IAM and STS send that the page
 * leaves out: AccessDenied, 403 ("An error occurred (AccessDenied) when calling the AssumeRole
 * operation: User: ... is not authorized to perform: sts:AssumeRole", STS API Reference, AssumeRole
 * errors in practice), ExpiredToken, 403 ("The security token included in the request is expired").
 */
export const QUERY_COMMON_ERRORS: Readonly<Record<string, number>> = {
  AccessDenied: 403,
  AccessDeniedException: 400,
  ExpiredToken: 403,
  IncompleteSignature: 400,
  InternalFailure: 500,
  InvalidAction: 400,
  InvalidClientTokenId: 403,
  MissingAuthenticationToken: 403,
  NotAuthorized: 400,
  OptInRequired: 403,
  RequestExpired: 400,
  ServiceUnavailable: 503,
  Throttling: 400,
  ValidationError: 400,
};

interface QueryShape {
  type: string;
  members?: Record<string, { shape: string }>;
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
}

interface QueryOperation {
  output?: { shape: string; resultWrapper?: string };
  errors?: { shape: string }[];
}

type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => name === "member" || name === "entry",
});

export class AwsQueryModel {
  readonly model: AwsModel;
  private readonly xmlNamespace: string;

  constructor(service: "iam" | "sts") {
    this.model = new AwsModel(service);
    const file = new URL(`../fixtures/aws/models/${service}.json`, import.meta.url);
    this.xmlNamespace = (
      JSON.parse(readFileSync(file, "utf8")) as { metadata: { xmlNamespace: string } }
    ).metadata.xmlNamespace;
  }

  private shape(name: string): QueryShape {
    return (this.model.shapes as Record<string, QueryShape>)[name] ?? { type: "missing" };
  }

  /** Every way `answer` departs from what the model allows `operation` to answer; [] when it conforms. */
  check(operation: string, answer: AwsAnswer): string[] {
    const definition = (this.model.operations as Record<string, QueryOperation>)[operation];
    if (definition === undefined) return [`${this.model.service} has no operation ${operation}`];
    const problems: string[] = [];
    const say = (problem: string) => problems.push(`${operation} ${answer.status}: ${problem}`);
    const requestId = answer.headers["x-amzn-requestid"];
    if (!requestId) say("no x-amzn-RequestId header");
    if (!(answer.headers["content-type"] ?? "").startsWith("text/xml"))
      say(`content-type ${answer.headers["content-type"]}`);
    let document: Record<string, XmlNode>;
    try {
      document = parser.parse(answer.text) as Record<string, XmlNode>;
    } catch (error) {
      say(`the body is not XML: ${(error as Error).message}`);
      return problems;
    }
    if (answer.status === 200) {
      const root = document[`${operation}Response`];
      if (typeof root !== "object" || Array.isArray(root)) {
        say(`no <${operation}Response> root`);
        return problems;
      }
      if (root["@_xmlns"] !== this.xmlNamespace)
        say(`xmlns ${String(root["@_xmlns"])}, expected ${this.xmlNamespace}`);
      const metadata = root.ResponseMetadata as Record<string, XmlNode> | undefined;
      if (metadata?.RequestId !== requestId) say("ResponseMetadata.RequestId is not the x-amzn-RequestId");
      if (definition.output !== undefined) {
        const wrapper = definition.output.resultWrapper ?? `${operation}Result`;
        const result = root[wrapper] as XmlNode | undefined;
        if (result === undefined) say(`no <${wrapper}>`);
        else
          for (const problem of this.model.validate(
            definition.output.shape,
            this.read(definition.output.shape, result),
          ))
            say(problem);
      }
      return problems;
    }
    const response = document.ErrorResponse as Record<string, XmlNode> | undefined;
    const error = response?.Error as Record<string, XmlNode> | undefined;
    if (error === undefined || typeof error.Code !== "string") {
      say("no <ErrorResponse><Error><Code>");
      return problems;
    }
    const code = error.Code;
    if (response?.RequestId !== requestId) say("ErrorResponse.RequestId is not the x-amzn-RequestId");
    if (typeof error.Message !== "string") say("the error has no <Message>");
    const listed = (definition.errors ?? [])
      .map((e) => this.shape(e.shape))
      .find((s) => s.error?.code === code);
    const status = listed ? (listed.error?.httpStatusCode ?? 400) : QUERY_COMMON_ERRORS[code];
    if (status === undefined) say(`${code} is not an error the model lists for the operation`);
    else if (answer.status !== status)
      say(`${code} answered with HTTP ${answer.status}, documented ${status}`);
    const type = listed
      ? listed.error?.senderFault === true
        ? "Sender"
        : "Receiver"
      : answer.status >= 500
        ? "Receiver"
        : "Sender";
    if (error.Type !== type) say(`${code} has Type ${String(error.Type)}, expected ${type}`);
    return problems;
  }

  /** An XML element read as a value of `shapeName` (what the SDK would deserialize). */
  private read(shapeName: string, node: XmlNode | XmlNode[]): unknown {
    const shape = this.shape(shapeName);
    switch (shape.type) {
      case "structure": {
        if (typeof node !== "object" || Array.isArray(node)) return node === "" ? {} : node;
        const value: Record<string, unknown> = {};
        for (const [name, child] of Object.entries(node)) {
          if (name.startsWith("@_")) continue;
          const member = shape.members?.[name];
          value[name] = member === undefined ? child : this.read(member.shape, child);
        }
        return value;
      }
      case "list": {
        if (node === "") return [];
        const items = typeof node === "object" && !Array.isArray(node) ? node.member : undefined;
        if (!Array.isArray(items)) return node;
        return items.map((item) => this.read(shape.member?.shape ?? "", item));
      }
      case "map": {
        if (node === "") return {};
        const entries = typeof node === "object" && !Array.isArray(node) ? node.entry : undefined;
        if (!Array.isArray(entries)) return node;
        return Object.fromEntries(
          entries.map((entry) => {
            const { key, value } = entry as Record<string, XmlNode>;
            return [key, this.read(shape.value?.shape ?? "", value as XmlNode)];
          }),
        );
      }
      case "integer":
      case "long":
      case "float":
      case "double":
        return typeof node === "string" && node.trim() !== "" && Number.isFinite(Number(node))
          ? Number(node)
          : node;
      case "boolean":
        return node === "true" ? true : node === "false" ? false : node;
      case "timestamp": {
        // Query answers carry ISO 8601 timestamps; the JSON schema of the shape expects epoch seconds.
        const millis =
          typeof node === "string" && /^\d{4}-\d{2}-\d{2}T/.test(node) ? Date.parse(node) : Number.NaN;
        return Number.isNaN(millis) ? node : millis / 1000;
      }
      default:
        return node;
    }
  }
}

interface QueryHttpHandler {
  handle(
    request: { body?: unknown },
    options?: unknown,
  ): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: unknown } }>;
}

/** One Query answer an SDK client received, checked against its model. */
export interface CheckedQueryAnswer {
  service: "iam" | "sts";
  operation: string;
  status: number;
  problems: string[];
}

/**
 * Makes an SDK v3 Query client (IAMClient, STSClient) record every answer it receives, checked
 * against `model`: wraps its request handler and hands the SDK an identical copy of the body.
 */
export function recordQueryAnswers<C extends { config: { requestHandler: unknown } }>(
  client: C,
  model: AwsQueryModel,
  sink: CheckedQueryAnswer[],
): C {
  const inner = client.config.requestHandler as QueryHttpHandler;
  const recording: QueryHttpHandler = {
    handle: async (request, options) => {
      const { response } = await inner.handle(request, options);
      const bytes = await buffer(response.body as Readable);
      response.body = Readable.from([bytes]);
      const headers = Object.fromEntries(
        Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), value]),
      );
      const operation = new URLSearchParams(String(request.body ?? "")).get("Action") ?? "";
      const answer: AwsAnswer = { status: response.statusCode, headers, text: bytes.toString("utf8") };
      sink.push({
        service: model.model.service as "iam" | "sts",
        operation,
        status: answer.status,
        problems: model.check(operation, answer),
      });
      return { response };
    },
  };
  Object.assign(recording, { updateHttpClientConfig: () => {}, httpHandlerConfigs: () => ({}) });
  client.config.requestHandler = recording;
  return client;
}
