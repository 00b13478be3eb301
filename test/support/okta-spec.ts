import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS with `exports.default`: under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Okta's management API spec, as vendored by scripts/vendor-okta-spec.ts (test/fixtures/okta/spec): checks
 * that an answer is one the spec allows for its operation. Never reads the reference folder.
 */

type JsonObject = Record<string, unknown>;

/** One HTTP answer as a client saw it. */
export interface SpecAnswer {
  status: number;
  headers: Headers;
  /** The raw body text ("" when none). */
  text: string;
}

/** What `check` found: the operation it matched and every way the answer departs from the spec. */
export interface SpecVerdict {
  operationId: string | null;
  problems: string[];
}

interface ErrorCode {
  errorCode: string;
  statusCode: number;
  errorSummary: string;
  includesExceptionMessage: boolean;
}

/**
 * Answers the spec does not list per operation but Okta documents for every request: the error-code
 * catalogue's E0000011 (401, invalid token, checked before routing) and E0000009 (500, internal error).
 * Their bodies are still checked against the Error schema and the catalogue.
 */
export const FRONT_DOOR_STATUSES: ReadonlySet<number> = new Set([401, 500]);

const fixtures = new URL("../fixtures/okta/spec/", import.meta.url);
const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, fixtures), "utf8")) as JsonObject;

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  params: number;
  definition: JsonObject;
}

export class OktaSpec {
  readonly spec: JsonObject;
  readonly errorCodes: ReadonlyMap<string, ErrorCode>;
  readonly operations: Operation[];
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  /** operationId -> statuses answered, for the coverage table. */
  readonly seen = new Map<string, Set<number>>();

  /**
   * @param options.exampleNulls accept `null` where the spec's own example for the operation writes null
   *   although the schema does not make the property nullable (`x-example-nulls` of the vendored subset,
   *   each naming its example). Off: the schemas as written. @default true
   */
  constructor(options: { exampleNulls?: boolean } = {}) {
    this.spec = readJson("management.subset.json");
    if (options.exampleNulls !== false) allowExampleNulls(this.spec);
    const codes = readJson("error-codes.json") as unknown as { errors: ErrorCode[] };
    this.errorCodes = new Map(codes.errors.map((code) => [code.errorCode, code]));
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    // OpenAPI's numeric formats (OpenAPI 3.0.3, "Data Types").
    this.ajv.addFormat("int32", {
      type: "number",
      validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31,
    });
    this.ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
    this.ajv.addFormat("double", { type: "number", validate: () => true });
    this.ajv.addFormat("password", { type: "string", validate: () => true });
    // Okta's prose "formats" on query parameters are descriptions, not checkable formats.
    for (const format of collectFormats(this.spec)) {
      if (!this.ajv.formats[format]) this.ajv.addFormat(format, () => true);
    }
    // A `writeOnly` property (an event hook's secret `authScheme.value`) must never come back in an answer.
    this.ajv.removeKeyword("writeOnly");
    this.ajv.addKeyword({
      keyword: "writeOnly",
      schemaType: "boolean",
      validate: (writeOnly: boolean) => !writeOnly,
    });
    this.ajv.addSchema(this.spec, "okta-management");
    this.operations = Object.entries(this.spec.paths as Record<string, JsonObject>)
      .flatMap(([template, item]) =>
        Object.entries(item)
          .filter(([method]) => method !== "parameters")
          .map(([method, definition]) => ({
            method: method.toUpperCase(),
            template,
            pattern: new RegExp(`^${template.replace(/\{\w+\}/g, "[^/]+")}$`),
            params: (template.match(/\{/g) ?? []).length,
            definition: definition as JsonObject,
          })),
      )
      // Literal segments win over parameters (`/users/{id}/groups` before `/users/{id}`-like clashes).
      .sort((a, b) => a.params - b.params);
  }

  /** The operation a request is answered by, or `undefined` when the spec subset has none. */
  operation(method: string, path: string): Operation | undefined {
    return this.operations.find((op) => op.method === method.toUpperCase() && op.pattern.test(path));
  }

  /** Every way `answer` to `method url` departs from the spec (empty: conformant). */
  check(method: string, url: string, answer: SpecAnswer): SpecVerdict {
    const path = new URL(url, "http://x.invalid").pathname;
    const op = this.operation(method, path);
    if (op === undefined)
      return { operationId: null, problems: [`${method} ${path}: no such operation in the spec`] };
    const operationId = String(op.definition.operationId);
    const seen = this.seen.get(operationId) ?? new Set<number>();
    seen.add(answer.status);
    this.seen.set(operationId, seen);
    const where = `${operationId} ${answer.status}`;
    const problems: string[] = [];
    const responses = op.definition.responses as Record<string, JsonObject>;
    const listed = responses[String(answer.status)] ?? responses.default;
    const frontDoor = listed === undefined && FRONT_DOOR_STATUSES.has(answer.status);
    if (listed === undefined && !frontDoor) {
      problems.push(
        `${where}: status not listed for the operation (listed: ${Object.keys(responses).join(", ")})`,
      );
    }
    problems.push(...this.checkRateLimitHeaders(where, answer.headers));
    problems.push(...checkLinkHeader(where, answer.headers, url));

    const response = listed === undefined ? undefined : this.resolve(listed);
    for (const [name, header] of Object.entries((response?.headers ?? {}) as Record<string, JsonObject>)) {
      problems.push(...this.checkHeader(where, name, this.resolve(header), answer.headers));
    }
    const content = (response?.content ?? {}) as Record<string, JsonObject>;
    const media = content["application/json"];
    const schema = media?.schema as JsonObject | undefined;
    if (answer.status === 204 && answer.text !== "") problems.push(`${where}: a 204 carries a body`);
    if (schema !== undefined || frontDoor) {
      const contentType = answer.headers.get("content-type") ?? "";
      if (!/^application\/json\b/.test(contentType))
        problems.push(`${where}: Content-Type ${contentType || "(none)"}`);
      let body: unknown;
      try {
        body = JSON.parse(answer.text);
      } catch {
        problems.push(`${where}: body is not JSON`);
        return { operationId, problems };
      }
      const validate = this.validator(schema ?? { $ref: "#/components/schemas/ModelError" });
      if (!validate(body)) {
        for (const error of validate.errors ?? []) {
          problems.push(`${where}: body${error.instancePath} ${error.message} (${error.schemaPath})`);
        }
      }
      if (answer.status >= 400) problems.push(...this.checkErrorCode(where, answer.status, body));
    }
    return { operationId, problems };
  }

  /** A schema from the spec's components, for checks outside an operation. */
  validator(schema: JsonObject): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (validate === undefined) {
      // `$ref`s resolve against the vendored document, registered as `okta-management`.
      validate = this.ajv.compile(rebase(schema));
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** The catalogue's code, status and summary for an error body (Okta's "Error codes" page). */
  checkErrorCode(where: string, status: number, body: unknown): string[] {
    if (body === null || typeof body !== "object") return [`${where}: error body is not an object`];
    const error = body as Record<string, unknown>;
    const problems: string[] = [];
    for (const field of ["errorCode", "errorSummary", "errorLink", "errorId"]) {
      if (typeof error[field] !== "string" || error[field] === "")
        problems.push(`${where}: error has no ${field}`);
    }
    if (!Array.isArray(error.errorCauses)) problems.push(`${where}: error has no errorCauses array`);
    const code = this.errorCodes.get(String(error.errorCode));
    if (code === undefined)
      return [...problems, `${where}: ${String(error.errorCode)} is not a documented error code`];
    if (code.statusCode !== status)
      problems.push(`${where}: ${code.errorCode} is documented as ${code.statusCode}`);
    if (error.errorLink !== code.errorCode) problems.push(`${where}: errorLink ${String(error.errorLink)}`);
    if (!summaryPattern(code).test(String(error.errorSummary))) {
      problems.push(`${where}: errorSummary "${String(error.errorSummary)}" is not "${code.errorSummary}"`);
    }
    return problems;
  }

  private checkRateLimitHeaders(where: string, headers: Headers): string[] {
    const documented = (this.spec["x-rate-limit-headers"] as JsonObject).headers as Record<
      string,
      JsonObject
    >;
    return Object.entries(documented).flatMap(([name, header]) =>
      this.checkHeader(where, name, header, headers),
    );
  }

  private checkHeader(where: string, name: string, header: JsonObject, headers: Headers): string[] {
    const raw = headers.get(name);
    if (raw === null) return header.required === true ? [`${where}: no ${name} header`] : [];
    const schema = header.schema as JsonObject | undefined;
    if (schema === undefined) return [];
    const value = schema.type === "integer" && /^-?\d+$/.test(raw) ? Number(raw) : raw;
    const validate = this.validator(schema);
    return validate(value)
      ? []
      : [`${where}: ${name} "${raw}" ${validate.errors?.[0]?.message ?? "invalid"}`];
  }

  private resolve(node: JsonObject): JsonObject {
    let current = node;
    while (typeof current.$ref === "string") {
      current = current.$ref
        .slice(2)
        .split("/")
        .reduce<JsonObject>((at, key) => at[key] as JsonObject, this.spec);
    }
    return current;
  }
}

/** Makes each `x-example-nulls` property accept null as well (its schema, or null). */
function allowExampleNulls(spec: JsonObject): void {
  const schemas = (spec.components as Record<string, JsonObject>).schemas as Record<string, JsonObject>;
  for (const { schema, pointer } of spec["x-example-nulls"] as { schema: string; pointer: string }[]) {
    const keys = pointer.split("/").slice(1);
    const last = keys.pop() as string;
    const parent = keys.reduce<JsonObject>((at, key) => at[key] as JsonObject, schemas[schema] as JsonObject);
    parent[last] = { anyOf: [parent[last], { type: "null" }] };
  }
}

/** `#/components/...` -> `okta-management#/components/...`, so a standalone schema resolves into the spec. */
function rebase(schema: JsonObject): JsonObject {
  return JSON.parse(
    JSON.stringify(schema).replaceAll('"$ref":"#/', '"$ref":"okta-management#/'),
  ) as JsonObject;
}

function collectFormats(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) collectFormats(item, found);
  else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "format" && typeof value === "string") found.add(value);
      else collectFormats(value, found);
    }
  }
  return found;
}

/** The catalogue summary as a pattern: `{0}` is the exception message, present when the code includes one. */
function summaryPattern(code: ErrorCode): RegExp {
  const parts = code.errorSummary.split(/\{\d+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join(".+")}$`, "s");
}

/**
 * The `Link` header (Okta's "Link header" docs: one `<url>; rel="self"` and, when there is another page,
 * `<url>; rel="next"`): well-formed, absolute URLs on the origin the request went to.
 */
export function parseLinks(headers: Headers): { rel: string; url: string }[] | string {
  const raw = headers.get("link");
  if (raw === null) return [];
  const links: { rel: string; url: string }[] = [];
  for (const part of raw.split(/,\s*(?=<)/)) {
    const match = /^<([^>]+)>;\s*rel="(self|next|prev)"$/.exec(part.trim());
    if (match === null) return `malformed Link value "${part}"`;
    links.push({ url: match[1] as string, rel: match[2] as string });
  }
  return links;
}

function checkLinkHeader(where: string, headers: Headers, requestUrl: string): string[] {
  const links = parseLinks(headers);
  if (typeof links === "string") return [`${where}: ${links}`];
  const origin = URL.canParse(requestUrl) ? new URL(requestUrl).origin : null;
  return links.flatMap((link) => {
    if (!URL.canParse(link.url)) return [`${where}: Link rel="${link.rel}" is not absolute: ${link.url}`];
    if (origin !== null && new URL(link.url).origin !== origin) {
      return [`${where}: Link rel="${link.rel}" leaves the org: ${link.url}`];
    }
    return [];
  });
}
