import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { createSdkTaskInvoker, LOOPBACK_ATTEMPTS } from "../../local/runtime/sdk-task-invoker.ts";

const REMOVE = "arn:aws:states:::aws-sdk:identitystore:deleteGroupMembership";
const PARAMETERS = { IdentityStoreId: "d-1234567890", MembershipId: "m-1" };

/** An identitystore endpoint that resets the first `resets` connections, then answers `answer`. */
async function flakyEndpoint(resets: number, answer: { status: number; body: unknown }) {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      requests++;
      if (requests <= resets) return void req.socket.destroy();
      res
        .writeHead(answer.status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "r-1" })
        .end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { endpoint, server, requests: () => requests };
}

describe("local/runtime/sdk-task-invoker: the local loopback to the emulators", () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("sends again when the connection was reset before any answer, and returns the service's answer", async () => {
    // Prepare
    const flaky = await flakyEndpoint(1, { status: 200, body: {} });
    server = flaky.server;
    const invoke = createSdkTaskInvoker(localClientConfig(flaky.endpoint));

    // Act
    const output = await invoke(REMOVE, PARAMETERS);

    // Assess
    expect(output).toEqual({});
    expect(flaky.requests()).toBe(2);
  });

  it("never repeats a service's answer: a 4xx is the named error after one request", async () => {
    // Prepare
    const flaky = await flakyEndpoint(0, {
      status: 400,
      body: { __type: "com.amazonaws.identitystore#ThrottlingException", Message: "Rate exceeded" },
    });
    server = flaky.server;
    const invoke = createSdkTaskInvoker(localClientConfig(flaky.endpoint));

    // Act / Assess
    await expect(invoke(REMOVE, PARAMETERS)).rejects.toMatchObject({
      name: "Identitystore.ThrottlingException",
    });
    expect(flaky.requests()).toBe(1);
  });

  it("gives up after its attempts when every connection is reset, with the transport error named for the service", async () => {
    // Prepare
    const flaky = await flakyEndpoint(100, { status: 200, body: {} });
    server = flaky.server;
    const invoke = createSdkTaskInvoker(localClientConfig(flaky.endpoint));

    // Act
    const error = await invoke(REMOVE, PARAMETERS).catch((e: Error) => e);

    // Assess
    expect((error as Error).name).toMatch(/^Identitystore\./);
    expect(flaky.requests()).toBe(LOOPBACK_ATTEMPTS);
  });
});
