import * as identitystore from "@aws-sdk/client-identitystore";
import * as ssoAdmin from "@aws-sdk/client-sso-admin";
import type { AwsBehaviourSwitches } from "../emulators/aws-behaviour-switches.ts";

/**
 * Runs `arn:aws:states:::aws-sdk:<service>:<action>` Task states locally with the real SDK v3
 * clients, the way Step Functions does in AWS: PascalCase parameters in, the API response out (without
 * SDK metadata), and errors named `<Service>.<Exception>` so the definition's Retry/Catch match as
 * they do in AWS (for example `SsoAdmin.ThrottlingException`).
 */
const SERVICES = {
  ssoadmin: { errorPrefix: "SsoAdmin", module: ssoAdmin, Client: ssoAdmin.SSOAdminClient },
  identitystore: {
    // The developer guide's list of SDK integrations gives `Identitystore`; which spelling a run uses is
    // the `identityStoreErrorPrefix` switch (aws-behaviour-switches.ts), so the suites run under both.
    errorPrefix: "Identitystore",
    module: identitystore,
    Client: identitystore.IdentitystoreClient,
  },
} as const;

type ServiceName = keyof typeof SERVICES;

/** Thrown for a resource this invoker does not know: a definition bug, never silently ignored. */
export class UnsupportedTaskResourceError extends Error {
  override name = "UnsupportedTaskResourceError";
}

/** Attempts of one SDK call whose loopback connection failed before any answer. */
export const LOOPBACK_ATTEMPTS = 3;

/**
 * Sends a command, again when the local loopback connection failed before the emulator answered (a
 * reset or a timeout of the laptop's own socket, as a loaded machine sees: no HTTP status at all).
 * That failure is the local stack's transport, not an answer of the service: Step Functions makes
 * its service integrations' calls itself and names only the service's errors `<Service>.<Exception>`,
 * the names a definition's Retry and Catch match. A service's answer (any HTTP status: a throttle, a
 * conflict) is never repeated here; the definition's Retry decides.
 */
async function sendOverLoopback(
  client: { send(command: unknown): Promise<unknown> },
  command: () => unknown,
) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.send(command());
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status !== undefined || attempt >= LOOPBACK_ATTEMPTS) throw error;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

export type SdkTaskInvoker = (resource: string, parameters: unknown) => Promise<unknown>;

export interface SdkTaskInvokerOptions {
  /**
   * The prefix of identitystore errors, read at each failure (the switch can change at runtime).
   * @default () => "Identitystore"
   */
  identityStoreErrorPrefix?: () => AwsBehaviourSwitches["identityStoreErrorPrefix"];
}

export function createSdkTaskInvoker(
  clientConfig: Record<string, unknown>,
  options: SdkTaskInvokerOptions = {},
): SdkTaskInvoker {
  const errorPrefix = (service: ServiceName): string =>
    service === "identitystore"
      ? (options.identityStoreErrorPrefix?.() ?? SERVICES.identitystore.errorPrefix)
      : SERVICES[service].errorPrefix;
  const clients = new Map<ServiceName, { send(command: unknown): Promise<unknown> }>();
  return async (resource, parameters) => {
    const match = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(resource);
    const service = match?.[1] as ServiceName | undefined;
    const action = match?.[2];
    if (!service || !action || !(service in SERVICES)) throw new UnsupportedTaskResourceError(resource);
    const spec = SERVICES[service];
    const commandName = `${action[0]?.toUpperCase()}${action.slice(1)}Command`;
    const Command = (spec.module as unknown as Record<string, new (input: unknown) => unknown>)[commandName];
    if (!Command) throw new UnsupportedTaskResourceError(`${resource}: the SDK has no ${commandName}`);
    let client = clients.get(service);
    if (!client) {
      client = new spec.Client(clientConfig) as unknown as { send(command: unknown): Promise<unknown> };
      clients.set(service, client);
    }
    try {
      const { $metadata: _metadata, ...output } = (await sendOverLoopback(
        client,
        () => new Command(parameters),
      )) as Record<string, unknown>;
      return output;
    } catch (error) {
      const e = error as Error;
      const named = new Error(e.message);
      named.name = `${errorPrefix(service)}.${e.name}`;
      throw named;
    }
  };
}
