import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import type { AwsAnswer, AwsModel } from "./aws-model.ts";

/** One answer an SDK client received, checked against its service model. */
export interface CheckedAnswer {
  service: string;
  /** The operation the request's `X-Amz-Target` named ("" when the model has no such operation). */
  operation: string;
  status: number;
  /** The error code (`__type` without namespace), when the answer is an error. */
  errorCode?: string;
  body: unknown;
  problems: string[];
}

interface HttpHandlerLike {
  handle(
    request: { headers: Record<string, string> },
    options?: unknown,
  ): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: unknown } }>;
}

/**
 * Records every answer that SDK v3 clients receive over the wire and checks it against the service's
 * model: it wraps the client's own request handler, reads the body, and hands the SDK an identical copy.
 */
export class AwsAnswerLog {
  readonly answers: CheckedAnswer[] = [];

  /** Makes `client` record its answers, checked against `model`. Call before the client's first send. */
  attach<C extends { config: { requestHandler: unknown } }>(client: C, model: AwsModel): C {
    const inner = client.config.requestHandler as HttpHandlerLike;
    const recording: HttpHandlerLike = {
      handle: async (request, options) => {
        const { response } = await inner.handle(request, options);
        const bytes = await buffer(response.body as Readable);
        response.body = Readable.from([bytes]);
        const headers = Object.fromEntries(
          Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), value]),
        );
        const answer: AwsAnswer = { status: response.statusCode, headers, text: bytes.toString("utf8") };
        this.record(model, request.headers["x-amz-target"] ?? request.headers["X-Amz-Target"], answer);
        return { response };
      },
    };
    Object.assign(recording, { updateHttpClientConfig: () => {}, httpHandlerConfigs: () => ({}) });
    client.config.requestHandler = recording;
    return client;
  }

  /** Checks one raw answer (a call made without the SDK) and records it. */
  record(model: AwsModel, target: string | undefined, answer: AwsAnswer): CheckedAnswer {
    const operation = model.operationOf(target) ?? "";
    let body: unknown;
    try {
      body = answer.text === "" ? undefined : JSON.parse(answer.text);
    } catch {
      body = answer.text;
    }
    const type = (body as { __type?: unknown } | undefined)?.__type;
    const checked: CheckedAnswer = {
      service: model.service,
      operation,
      status: answer.status,
      ...(typeof type === "string" ? { errorCode: type.slice(type.indexOf("#") + 1) } : {}),
      body,
      problems:
        operation === ""
          ? [`${model.service}: no operation for X-Amz-Target ${target}`]
          : model.check(operation, answer),
    };
    this.answers.push(checked);
    return checked;
  }

  /** The answers since `from` (an index into {@link answers}). */
  since(from: number): CheckedAnswer[] {
    return this.answers.slice(from);
  }

  /** `service:operation` of every answer recorded. */
  operationsCalled(): Set<string> {
    return new Set(this.answers.map((answer) => `${answer.service}:${answer.operation}`));
  }
}
