import { readFile } from "node:fs/promises";
import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";

/** Where a secret comes from: never the command line itself (it would land in shell history). */
export type SecretSource =
  | { kind: "env"; name: string }
  | { kind: "file"; path: string }
  | { kind: "ssm"; name: string }
  | { kind: "secretsmanager"; id: string };

/** Thrown for a source that cannot be parsed or read, or a secret too weak to protect the hook. */
export class SecretSourceError extends Error {
  override name = "SecretSourceError";
}

/** Okta sends the secret as-is in the Authorization header: make guessing it impractical. */
export const MIN_SECRET_LENGTH = 16;

const FORMS = "env:NAME, file:PATH, ssm:NAME or secretsmanager:ID";

export function parseSecretSource(text: string): SecretSource {
  const colon = text.indexOf(":");
  const kind = colon < 0 ? "" : text.slice(0, colon);
  const value = text.slice(colon + 1);
  if (colon < 0 || value === "") throw new SecretSourceError(`--secret-from "${text}": expected ${FORMS}`);
  switch (kind) {
    case "env":
      return { kind, name: value };
    case "file":
      return { kind, path: value };
    case "ssm":
      return { kind, name: value };
    case "secretsmanager":
      return { kind, id: value };
    default:
      throw new SecretSourceError(`--secret-from "${text}": unknown source "${kind}"; expected ${FORMS}`);
  }
}

export interface SecretReaders {
  env: Record<string, string | undefined>;
  ssm: () => SSMClient;
  secretsManager: () => SecretsManagerClient;
}

/** Reads the secret (a file's trailing newline is not part of it) and refuses an empty or short one. */
export async function readSecret(source: SecretSource, readers: SecretReaders): Promise<string> {
  let value: string | undefined;
  let where: string;
  try {
    switch (source.kind) {
      case "env":
        where = `environment variable ${source.name}`;
        value = readers.env[source.name];
        break;
      case "file":
        where = `file ${source.path}`;
        value = (await readFile(source.path, "utf8")).replace(/\r?\n$/, "");
        break;
      case "ssm":
        where = `SSM parameter ${source.name}`;
        value = (
          await readers.ssm().send(new GetParameterCommand({ Name: source.name, WithDecryption: true }))
        ).Parameter?.Value;
        break;
      case "secretsmanager":
        where = `Secrets Manager secret ${source.id}`;
        value = (await readers.secretsManager().send(new GetSecretValueCommand({ SecretId: source.id })))
          .SecretString;
        break;
    }
  } catch (error) {
    throw new SecretSourceError(`could not read the secret: ${(error as Error).message}`, { cause: error });
  }
  if (value === undefined || value === "") throw new SecretSourceError(`the ${where} is empty or not set`);
  if (value.length < MIN_SECRET_LENGTH) {
    throw new SecretSourceError(
      `the ${where} holds ${value.length} characters; use at least ${MIN_SECRET_LENGTH} random ones (openssl rand -base64 32)`,
    );
  }
  return value;
}
