import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { StateMachineDefinition } from "../../workflows/asl.ts";
import { ESTATE_RECONCILE_TASKS, estateReconcileDefinition } from "../../workflows/estate-reconcile.ts";
import { USER_RECONCILE_TASKS, userReconcileDefinition } from "../../workflows/user-reconcile.ts";
import type { AwsModelService } from "./aws-model.ts";

/**
 * Every operation of the emulated AWS services the product calls, as `<service>:<Operation>` (the model's
 * service name): the `<Operation>Command` and `paginate<Operation>` imports of the SDK v3 clients in the
 * product's code, and the SDK-integration Task states (`arn:aws:states:::aws-sdk:<service>:<action>`)
 * of the deployed workflows. The AWS conformance suite calls each of them.
 */

/** SDK v3 client package -> model service. */
const CLIENTS: Readonly<Record<string, AwsModelService>> = {
  "@aws-sdk/client-sso-admin": "sso-admin",
  "@aws-sdk/client-identitystore": "identitystore",
  "@aws-sdk/client-organizations": "organizations",
  "@aws-sdk/client-sfn": "stepfunctions",
  "@aws-sdk/client-eventbridge": "events",
  "@aws-sdk/client-iam": "iam",
  "@aws-sdk/client-sts": "sts",
};

/** Step Functions' SDK-integration service names -> model service. */
const INTEGRATIONS: Readonly<Record<string, AwsModelService>> = {
  ssoadmin: "sso-admin",
  identitystore: "identitystore",
  organizations: "organizations",
  sfn: "stepfunctions",
  eventbridge: "events",
};

/** The product's code: what runs in AWS, the CLI, and the local stack. */
export const PRODUCT_FOLDERS = ["adapters", "functions", "usecases", "workflows", "cli", "local/stack"];

const root = new URL("../../", import.meta.url).pathname;

function typeScriptFiles(folder: string): string[] {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(join(root, folder), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** `<service>:<Operation>` -> the files that call it. */
export function operationsImported(folders: readonly string[] = PRODUCT_FOLDERS): Map<string, string[]> {
  const used = new Map<string, string[]>();
  const add = (operation: string, file: string) =>
    used.set(operation, [...(used.get(operation) ?? []), file]);
  const imports = /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*"(@aws-sdk\/client-[a-z-]+)"/g;
  for (const file of folders.flatMap(typeScriptFiles)) {
    const text = readFileSync(join(root, file), "utf8");
    for (const [, names = "", client = ""] of text.matchAll(imports)) {
      const service = CLIENTS[client];
      if (service === undefined) continue;
      for (const raw of names.split(",")) {
        const name = raw
          .trim()
          .replace(/^type\s+/, "")
          .split(/\s+as\s+/)[0];
        const operation =
          /^([A-Z]\w*)Command$/.exec(name ?? "")?.[1] ?? /^paginate(\w+)$/.exec(name ?? "")?.[1];
        if (operation !== undefined) add(`${service}:${operation}`, file);
      }
    }
  }
  return used;
}

/** `<service>:<Operation>` of every SDK-integration Task state of the deployed workflows. */
export function operationsOfWorkflows(): Set<string> {
  const resources = (tasks: readonly string[]) =>
    Object.fromEntries(tasks.map((task) => [task, `arn:aws:lambda:us-east-1:000000000000:function:${task}`]));
  const definitions: StateMachineDefinition[] = [
    userReconcileDefinition(resources(USER_RECONCILE_TASKS) as never),
    estateReconcileDefinition(resources(ESTATE_RECONCILE_TASKS) as never),
  ];
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (typeof node === "object" && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        const match =
          key === "Resource" ? /^arn:aws:states:::aws-sdk:(\w+):(\w+)$/.exec(String(value)) : null;
        const service = match?.[1] === undefined ? undefined : INTEGRATIONS[match[1]];
        const action = match?.[2] ?? "";
        if (service !== undefined)
          found.add(`${service}:${action.charAt(0).toUpperCase()}${action.slice(1)}`);
        else if (match !== null) found.add(`unknown-service ${match[1]}:${action}`);
        walk(value);
      }
    }
  };
  for (const definition of definitions) walk(definition);
  return found;
}
