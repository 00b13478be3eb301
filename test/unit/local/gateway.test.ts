import { request } from "node:http";
import { text } from "node:stream/consumers";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_GATEWAY_BODY_BYTES, startGateway } from "../../../local/stack/gateway.ts";

type Gateway = Awaited<ReturnType<typeof startGateway>>;

/** One raw HTTP request (fetch will not send a chosen Host header or an unframed chunked body). */
function send(
  port: number,
  options: { path?: string; method?: string; host?: string; body?: Buffer; chunked?: boolean },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { host: options.host ?? `127.0.0.1:${port}` };
    if (options.body && !options.chunked) headers["content-length"] = options.body.length;
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: options.path ?? "/okta/events",
        method: options.method ?? "POST",
        headers,
      },
      async (res) => resolve({ status: res.statusCode ?? 0, body: await text(res) }),
    );
    req.on("error", (error: NodeJS.ErrnoException) =>
      // The gateway may close the connection while a refused body is still being written.
      error.code === "ECONNRESET" || error.code === "EPIPE"
        ? resolve({ status: 0, body: "" })
        : reject(error),
    );
    if (options.body && options.chunked) {
      for (let i = 0; i < options.body.length; i += 64 * 1024)
        req.write(options.body.subarray(i, i + 64 * 1024));
    } else if (options.body) req.write(options.body);
    req.end();
  });
}

describe("the local gateway (issue 12, point 11)", () => {
  let gateway: Gateway | undefined;
  const seen: { hook: number; okta: string[] } = { hook: 0, okta: [] };
  afterEach(async () => {
    await gateway?.close();
    seen.hook = 0;
    seen.okta = [];
  });
  const start = async () => {
    gateway = await startGateway(0, {
      oktaHook: async (event) => {
        seen.hook++;
        return { statusCode: 200, body: JSON.stringify({ bytes: Buffer.byteLength(event.body ?? "") }) };
      },
      okta: async (req, res) => {
        const body = await text(req);
        seen.okta.push(body);
        res.writeHead(200).end(String(body.length));
        return true;
      },
      aws: [],
      state: async () => ({}),
      page: async () => "page",
    });
    return Number(new URL(gateway.url).port);
  };

  it("answers only requests whose Host is a loopback name with its port (DNS rebinding)", async () => {
    // Prepare
    const port = await start();

    // Act
    const allowed = await Promise.all(
      [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`].map((host) =>
        send(port, { host, method: "GET", path: "/" }),
      ),
    );
    const refused = await Promise.all(
      [
        `attacker.example:${port}`,
        `127.0.0.1:${port + 1}`,
        "127.0.0.1",
        `localhost.attacker.example:${port}`,
      ].map((host) => send(port, { host, body: Buffer.from("{}") })),
    );

    // Assess
    expect(allowed.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(refused[0]?.body).toContain("Host");
    expect(seen.hook).toBe(0);
  });

  it("reads a body of up to 1 MiB, and answers 413 past it without reading on", async () => {
    // Prepare
    const port = await start();
    const limit = Buffer.alloc(MAX_GATEWAY_BODY_BYTES, 0x20);
    const over = Buffer.alloc(MAX_GATEWAY_BODY_BYTES + 1, 0x20);

    // Act
    const atLimit = await send(port, { body: limit });
    const declared = await send(port, { body: over });
    const chunked = await send(port, { body: Buffer.alloc(4 * MAX_GATEWAY_BODY_BYTES, 0x20), chunked: true });
    const oktaApi = await send(port, { path: "/api/v1/users", body: Buffer.from('{"a":1}') });

    // Assess
    expect(MAX_GATEWAY_BODY_BYTES).toBe(1024 * 1024);
    expect(atLimit).toEqual({ status: 200, body: JSON.stringify({ bytes: MAX_GATEWAY_BODY_BYTES }) });
    expect(declared.status).toBe(413);
    expect([413, 0]).toContain(chunked.status);
    expect(seen.hook).toBe(1);
    expect(oktaApi).toEqual({ status: 200, body: "7" });
    expect(seen.okta).toEqual(['{"a":1}']);
  });
});
