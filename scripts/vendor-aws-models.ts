// Vendors the AWS service models the AWS conformance suite (test/integration/aws-conformance.test.ts)
// validates the emulators' answers against, so tests never need Python or botocore:
//   - botocore's JSON service model of each service (operations, shapes with their required members,
//     enums, patterns, lengths, ranges, each operation's error list), documentation stripped;
//   - each error shape's HTTP status: botocore's models of the JSON services carry no `error.httpStatusCode`,
//     so it is taken from the Smithy `httpError` trait the installed SDK v3 client ships in its schemas
//     (`<Error>$` exports of @aws-sdk/client-*), and written where botocore's format has it:
//     `shapes.<Error>.error.httpStatusCode`. An error without the trait keeps none (AWS JSON default:
//     400 for a client error, 500 for a `fault`).
//
//   node scripts/vendor-aws-models.ts [--botocore <the botocore package folder>]
//
// Without --botocore, the folder of the `botocore` Python package on this machine (python3 -c ...).
// Output: test/fixtures/aws/models/<service>.json (committed); each names its sources in `x-vendored`.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

/** The services the emulators serve and the project calls: botocore's name -> the SDK v3 client. */
export const VENDORED_SERVICES = {
  "sso-admin": "@aws-sdk/client-sso-admin",
  identitystore: "@aws-sdk/client-identitystore",
  organizations: "@aws-sdk/client-organizations",
  stepfunctions: "@aws-sdk/client-sfn",
  events: "@aws-sdk/client-eventbridge",
  iam: "@aws-sdk/client-iam",
  sts: "@aws-sdk/client-sts",
} as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Keys that only carry prose. */
const PROSE = new Set(["documentation", "documentationUrl", "deprecatedMessage"]);

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function botocoreFolder(argv: string[]): string {
  const flag = argv.indexOf("--botocore");
  if (flag >= 0) {
    const folder = argv[flag + 1];
    if (folder === undefined) throw new Error("--botocore needs the botocore package folder");
    return resolve(folder);
  }
  try {
    return execFileSync("python3", ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"], {
      encoding: "utf8",
    }).trim();
  } catch (cause) {
    throw new Error("botocore not found: install it (pip install botocore) or pass --botocore <folder>", {
      cause,
    });
  }
}

/** The newest API version's service-2.json (plain or gzipped) of a service. */
function readBotocoreModel(folder: string, service: string): { model: JsonObject; path: string } {
  const serviceFolder = join(folder, "data", service);
  const version = readdirSync(serviceFolder).sort().at(-1);
  if (version === undefined) throw new Error(`botocore has no model for ${service}`);
  const plain = join(serviceFolder, version, "service-2.json");
  const path = existsSync(plain) ? plain : `${plain}.gz`;
  const bytes = readFileSync(path);
  const text = path.endsWith(".gz") ? gunzipSync(bytes).toString("utf8") : bytes.toString("utf8");
  return { model: JSON.parse(text) as JsonObject, path: `data/${service}/${version}/service-2.json` };
}

function withoutProse(node: Json): Json {
  if (Array.isArray(node)) return node.map(withoutProse);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => !PROSE.has(key))
      .map(([key, value]) => [key, withoutProse(value)]),
  );
}

/** `[-3, namespace, name, { error, httpError }, members, types]`: an error schema of an SDK v3 client. */
type SdkErrorSchema = [number, string, string, { error?: string; httpError?: number }, ...unknown[]];

async function vendor(service: keyof typeof VENDORED_SERVICES, folder: string, botocoreVersion: string) {
  const { model, path } = readBotocoreModel(folder, service);
  const stripped = withoutProse(model) as JsonObject;
  const sdkPackage = VENDORED_SERVICES[service];
  const require = createRequire(join(root, "package.json"));
  const sdkVersion = (require(`${sdkPackage}/package.json`) as { version: string }).version;
  const sdk = (await import(sdkPackage)) as Record<string, unknown>;
  const shapes = stripped.shapes as Record<string, JsonObject>;
  const withoutTrait: string[] = [];
  for (const [name, shape] of Object.entries(shapes)) {
    if (shape.exception !== true) continue;
    const schema = sdk[`${name}$`] as SdkErrorSchema | undefined;
    const status = schema?.[3]?.httpError;
    if (typeof status === "number") {
      // Merged: a Query service's error keeps botocore's `code` (the wire code, e.g. NoSuchEntity).
      shape.error = {
        ...(shape.error as JsonObject | undefined),
        httpStatusCode: status,
        ...(schema?.[3]?.error === "client" ? { senderFault: true } : {}),
      };
    } else withoutTrait.push(name);
  }
  const vendored: JsonObject = {
    "x-vendored": {
      model: `botocore ${botocoreVersion}, ${path}`,
      httpStatusCodes: `${sdkPackage} ${sdkVersion}: the Smithy httpError trait of each error schema`,
      errorsWithoutHttpError: withoutTrait,
      refresh: "node scripts/vendor-aws-models.ts",
    },
    ...stripped,
  };
  const out = join(root, "test", "fixtures", "aws", "models");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${service}.json`), `${JSON.stringify(vendored, null, 1)}\n`);
  const operations = Object.keys(stripped.operations as JsonObject).length;
  process.stdout.write(
    `${service}: ${operations} operations from botocore ${botocoreVersion} ${path}; ` +
      `HTTP statuses from ${sdkPackage} ${sdkVersion} (${withoutTrait.length} errors without one)\n`,
  );
}

async function main(argv: string[]): Promise<void> {
  const folder = botocoreFolder(argv);
  const init = readFileSync(join(folder, "__init__.py"), "utf8");
  const version = /__version__\s*=\s*['"]([^'"]+)['"]/.exec(init)?.[1] ?? "unknown";
  for (const service of Object.keys(VENDORED_SERVICES) as (keyof typeof VENDORED_SERVICES)[]) {
    await vendor(service, folder, version);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
