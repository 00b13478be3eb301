import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { loadPolicy } from "../../core/policy/load-policy.ts";
import type { Policy } from "../../core/policy/schema.ts";

/** Thrown when the access policy cannot be read or is invalid: a deployment problem, never retried. */
export class PolicyUnavailableError extends Error {
  override name = "PolicyUnavailableError";
}

/**
 * Reads and validates the access policy named by `POLICY_LOCATION` (infra/parameters.ts):
 * `file:<path>` bundled with the function (relative to the task root), or `s3://<bucket>/<key>`.
 */
export async function readPolicy(
  location: string,
  options: { s3: () => S3Client; taskRoot?: string },
): Promise<Policy> {
  let text: string;
  let name: string;
  if (location.startsWith("s3://")) {
    const [bucket = "", ...rest] = location.slice("s3://".length).split("/");
    name = location;
    const object = await options.s3().send(new GetObjectCommand({ Bucket: bucket, Key: rest.join("/") }));
    text = (await object.Body?.transformToString("utf8")) ?? "";
  } else if (location.startsWith("file:")) {
    name = location.slice("file:".length);
    const path = join(options.taskRoot ?? process.env.LAMBDA_TASK_ROOT ?? process.cwd(), name);
    text = await readFile(path, "utf8").catch((error: unknown) => {
      throw new PolicyUnavailableError(`the bundled access policy ${path} cannot be read`, { cause: error });
    });
  } else {
    throw new PolicyUnavailableError(
      `POLICY_LOCATION "${location}" is neither file:<path> nor s3://<bucket>/<key>`,
    );
  }
  const loaded = loadPolicy(text, name);
  if (!loaded.ok) {
    const first = loaded.errors[0];
    throw new PolicyUnavailableError(
      `the access policy ${name} is invalid (${loaded.errors.length} error(s)); first: ${first?.line}:${first?.column} ${first?.path} ${first?.message}`,
    );
  }
  return loaded.policy;
}
