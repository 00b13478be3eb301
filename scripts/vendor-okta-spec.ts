// Vendors the parts of Okta's management OpenAPI spec that the conformance suite
// (test/integration/okta-conformance.test.ts) needs, so tests never read the reference folder:
//   - every operation the adapters, the CLI, the local stack and the e2e tests call, with the
//     components they reference (schemas, responses, parameters, headers), transitively;
//   - the X-Rate-Limit-* header definitions the spec documents (on one operation; Okta's rate-limit
//     docs say every API answer carries them);
//   - Okta's error-code catalogue (code, HTTP status, summary), without the long descriptions.
//
//   node scripts/vendor-okta-spec.ts [--reference <folder with management.openapi.yaml and error-codes.json>]
//
// The reference folder defaults to `reference/okta` of the shared folder next to the repository.
// Output: test/fixtures/okta/spec/management.subset.json and error-codes.json (both committed).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/** The operations the project calls: method and path template as the spec writes them. */
export const VENDORED_OPERATIONS = [
  ["get", "/api/v1/users"],
  ["post", "/api/v1/users"],
  ["get", "/api/v1/users/{userId}"],
  ["post", "/api/v1/users/{userId}"],
  ["delete", "/api/v1/users/{userId}"],
  ["get", "/api/v1/users/{userId}/groups"],
  ["get", "/api/v1/users/{userId}/appLinks"],
  ["delete", "/api/v1/users/{userId}/sessions"],
  ["post", "/api/v1/users/{userId}/lifecycle/activate"],
  ["post", "/api/v1/users/{userId}/lifecycle/deactivate"],
  ["post", "/api/v1/users/{userId}/lifecycle/reactivate"],
  ["post", "/api/v1/users/{userId}/lifecycle/suspend"],
  ["post", "/api/v1/users/{userId}/lifecycle/unsuspend"],
  ["get", "/api/v1/groups"],
  ["post", "/api/v1/groups"],
  ["get", "/api/v1/groups/{groupId}"],
  ["delete", "/api/v1/groups/{groupId}"],
  ["get", "/api/v1/groups/{groupId}/users"],
  ["put", "/api/v1/groups/{groupId}/users/{userId}"],
  ["delete", "/api/v1/groups/{groupId}/users/{userId}"],
  ["get", "/api/v1/logs"],
  ["get", "/api/v1/eventHooks"],
  ["post", "/api/v1/eventHooks"],
  ["get", "/api/v1/eventHooks/{eventHookId}"],
  ["put", "/api/v1/eventHooks/{eventHookId}"],
  ["post", "/api/v1/eventHooks/{eventHookId}/lifecycle/activate"],
  ["post", "/api/v1/eventHooks/{eventHookId}/lifecycle/deactivate"],
  ["post", "/api/v1/eventHooks/{eventHookId}/lifecycle/verify"],
] as const;

/** Where the spec documents the X-Rate-Limit-* headers (listConnections; one of the two operations that do, in 5.1.0). */
const RATE_LIMIT_HEADERS_OPERATION = {
  path: "/workload-principals/api/v1/ai-agents/{agentId}/connections",
  method: "get",
};

/** Operation keys kept; descriptions and examples of the operation itself are dropped. */
const OPERATION_KEYS = ["operationId", "summary", "parameters", "requestBody", "responses", "tags"];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function main(argv: string[]): void {
  const flag = argv.indexOf("--reference");
  const reference =
    flag >= 0 && argv[flag + 1] !== undefined
      ? resolve(argv[flag + 1] as string)
      : resolve(root, "..", "shared", "reference", "okta");
  const spec = parse(readFileSync(join(reference, "management.openapi.yaml"), "utf8")) as JsonObject;
  const out = join(root, "test", "fixtures", "okta", "spec");

  const subset = vendorSubset(spec);
  writeFileSync(join(out, "management.subset.json"), `${JSON.stringify(subset, null, 1)}\n`);
  const codes = JSON.parse(readFileSync(join(reference, "error-codes.json"), "utf8")) as {
    release: string;
    errors: {
      errorCode: string;
      statusCode: number;
      errorSummary: string;
      includesExceptionMessage: boolean;
    }[];
  };
  const errorCodes = {
    release: codes.release,
    errors: codes.errors.map(({ errorCode, statusCode, errorSummary, includesExceptionMessage }) => ({
      errorCode,
      statusCode,
      errorSummary,
      includesExceptionMessage,
    })),
  };
  writeFileSync(join(out, "error-codes.json"), `${JSON.stringify(errorCodes, null, 1)}\n`);
  const paths = subset.paths as Record<string, JsonObject>;
  const components = subset.components as Record<string, JsonObject>;
  const count = (kind: string) => Object.keys(components[kind] ?? {}).length;
  const operations = Object.values(paths).flatMap((item) =>
    Object.keys(item).filter((key) => key !== "parameters"),
  );
  process.stdout.write(
    `${operations.length} operations, ` +
      `${count("schemas")} schemas, ${count("responses")} responses, ${count("parameters")} parameters; ` +
      `${errorCodes.errors.length} error codes -> ${out}\n`,
  );
}

/** The operations, the rate-limit headers and every component they reference, transitively. */
export function vendorSubset(spec: JsonObject): JsonObject {
  const specPaths = spec.paths as Record<string, JsonObject>;
  const paths: Record<string, JsonObject> = {};
  for (const [method, path] of VENDORED_OPERATIONS) {
    const item = specPaths[path];
    const operation = item?.[method] as JsonObject | undefined;
    if (item === undefined || operation === undefined) throw new Error(`the spec has no ${method} ${path}`);
    const kept: JsonObject = {};
    for (const key of OPERATION_KEYS) if (operation[key] !== undefined) kept[key] = operation[key];
    // Path-level parameters apply to every method of the path.
    const entry = paths[path] ?? (item.parameters === undefined ? {} : { parameters: item.parameters });
    entry[method] = withoutExamples(kept);
    paths[path] = entry;
  }
  const { path: rateLimitPath, method: rateLimitMethod } = RATE_LIMIT_HEADERS_OPERATION;
  const rateLimitOperation = specPaths[rateLimitPath]?.[rateLimitMethod] as JsonObject | undefined;
  if (rateLimitOperation === undefined)
    throw new Error(`the spec has no ${rateLimitMethod} ${rateLimitPath}`);
  const rateLimitResponse = (rateLimitOperation.responses as JsonObject)["200"] as JsonObject;
  const rateLimitHeaders = Object.fromEntries(
    Object.entries(rateLimitResponse.headers as JsonObject).filter(([name]) =>
      name.startsWith("X-Rate-Limit-"),
    ),
  );

  const components: Record<string, JsonObject> = {};
  const specComponents = spec.components as Record<string, JsonObject>;
  const pending: Json[] = [paths];
  while (pending.length > 0) {
    const node = pending.pop() as Json;
    for (const ref of directRefs(node)) {
      const match = /^#\/components\/(\w+)\/(.+)$/.exec(ref);
      if (match === null) throw new Error(`unsupported $ref ${ref}`);
      const [, kind, name] = match as unknown as [string, string, string];
      if (components[kind]?.[name] !== undefined) continue;
      const target = specComponents[kind]?.[name];
      if (target === undefined) throw new Error(`dangling $ref ${ref}`);
      const copy = withoutExamples(target);
      components[kind] = { ...components[kind], [name]: copy };
      pending.push(copy);
    }
  }
  const sorted = Object.fromEntries(
    Object.keys(components)
      .sort()
      .map((kind) => [kind, sortKeys(components[kind] as JsonObject)]),
  );
  return {
    openapi: spec.openapi as Json,
    info: { ...(spec.info as JsonObject), "x-vendored": "operations the project calls; see README.md" },
    paths,
    components: sorted,
    "x-example-nulls": exampleNulls(spec, paths) as unknown as Json,
    "x-rate-limit-headers": {
      source: `paths.${RATE_LIMIT_HEADERS_OPERATION.path}.${RATE_LIMIT_HEADERS_OPERATION.method}.responses.200.headers`,
      headers: rateLimitHeaders,
    },
  };
}

/** Where the spec contradicts itself: a property its schema does not make nullable, null in its own example. */
interface ExampleNull {
  /** The component schema that declares the property. */
  schema: string;
  /** JSON pointer of the property's schema inside that component. */
  pointer: string;
  /** The example (components/examples) that writes null there. */
  example: string;
  operationId: string;
}

/**
 * Every property the vendored operations' own 200 examples write as `null` although the schema does not
 * make it nullable (the LogEvent examples do this for `detailEntry`, `outcome.reason`...). The suite may
 * accept null exactly there, naming the example.
 */
function exampleNulls(spec: JsonObject, paths: Record<string, JsonObject>): ExampleNull[] {
  const specComponents = spec.components as Record<string, Record<string, JsonObject>>;
  const found = new Map<string, ExampleNull>();
  const walk = (
    node: JsonObject,
    value: Json,
    owner: string,
    pointer: string,
    at: Omit<ExampleNull, "schema" | "pointer">,
  ) => {
    if (typeof node.$ref === "string") {
      const name = node.$ref.split("/").at(-1) as string;
      walk(specComponents.schemas?.[name] as JsonObject, value, name, "", at);
      return;
    }
    for (const keyword of ["allOf", "anyOf", "oneOf"]) {
      const subs = (node[keyword] ?? []) as JsonObject[];
      for (const [i, sub] of subs.entries()) walk(sub, value, owner, `${pointer}/${keyword}/${i}`, at);
    }
    if (Array.isArray(value) && node.items !== undefined) {
      for (const item of value) walk(node.items as JsonObject, item, owner, `${pointer}/items`, at);
      return;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) return;
    const properties = (node.properties ?? {}) as Record<string, JsonObject>;
    for (const [key, child] of Object.entries(value)) {
      const property = properties[key];
      if (property === undefined) continue;
      const propertyPointer = `${pointer}/properties/${key}`;
      if (child === null) {
        const declared =
          typeof property.$ref === "string"
            ? (specComponents.schemas?.[property.$ref.split("/").at(-1) as string] as JsonObject)
            : property;
        if (property.nullable !== true && declared.nullable !== true) {
          found.set(`${owner}${propertyPointer}`, { schema: owner, pointer: propertyPointer, ...at });
        }
      } else walk(property, child, owner, propertyPointer, at);
    }
  };
  for (const item of Object.values(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (method === "parameters") continue;
      const operationId = String((operation as JsonObject).operationId);
      const media = (
        (((operation as JsonObject).responses as JsonObject)["200"] as JsonObject | undefined)?.content as
          | JsonObject
          | undefined
      )?.["application/json"] as JsonObject | undefined;
      if (media?.schema === undefined) continue;
      // The vendored copy has no examples: read them from the spec's own operation.
      const original = specOperation(spec, operationId);
      for (const [name, example] of Object.entries(original ?? {})) {
        const ref = (example as JsonObject).$ref;
        const exampleName = typeof ref === "string" ? (ref.split("/").at(-1) as string) : name;
        const resolved =
          typeof ref === "string" ? specComponents.examples?.[exampleName] : (example as JsonObject);
        walk(media.schema as JsonObject, (resolved?.value ?? null) as Json, "", "", {
          example: exampleName,
          operationId,
        });
      }
    }
  }
  return [...found.values()].sort((a, b) =>
    `${a.schema}${a.pointer}`.localeCompare(`${b.schema}${b.pointer}`),
  );
}

/** The 200 examples map of an operation in the full spec. */
function specOperation(spec: JsonObject, operationId: string): JsonObject | undefined {
  for (const item of Object.values(spec.paths as Record<string, JsonObject>)) {
    for (const operation of Object.values(item)) {
      if ((operation as JsonObject)?.operationId !== operationId) continue;
      const responses = (operation as JsonObject).responses as Record<string, JsonObject>;
      const media = (responses["200"]?.content as JsonObject | undefined)?.["application/json"] as
        | JsonObject
        | undefined;
      return media?.examples as JsonObject | undefined;
    }
  }
  return undefined;
}

/** `$ref` values under a node (not crossing into the referenced components). */
function directRefs(node: Json): string[] {
  if (Array.isArray(node)) return node.flatMap(directRefs);
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === "$ref" && typeof value === "string" ? [value] : directRefs(value),
  );
}

/**
 * Drops `examples` maps of media types and parameters (they reference hundreds of example components);
 * schema-level `example` values stay (they are short and document formats).
 */
function withoutExamples(node: Json): JsonObject {
  const strip = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== "object") return value;
    const copy: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      // Only an `examples` map beside a `schema` (media type, parameter, header): a schema property
      // may itself be named `examples`.
      if (key === "examples" && "schema" in value) continue;
      copy[key] = strip(child);
    }
    return copy;
  };
  return strip(node) as JsonObject;
}

function sortKeys(object: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, object[key] as Json]),
  );
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
