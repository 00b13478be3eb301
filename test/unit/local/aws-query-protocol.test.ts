import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { AwsServiceError } from "../../../local/emulators/aws-json-protocol.ts";
import { decodeQueryMembers, handleAwsQuery } from "../../../local/emulators/aws-query-protocol.ts";
import { accessKeyIdOf } from "../../../local/emulators/sigv4-credential.ts";

const service = {
  version: "2010-05-08",
  xmlNamespace: "https://iam.amazonaws.com/doc/2010-05-08/",
  operations: {
    Echo: (input: unknown, request: { accessKeyId: string | undefined }) => ({
      Items: [{ Name: "a<b&c" }],
      Empty: [],
      When: new Date("2026-01-02T03:04:05Z"),
      Caller: request.accessKeyId,
      Input: JSON.stringify(input),
    }),
    Refuse: () => {
      throw new AwsServiceError("NoSuchEntity", "gone", 404);
    },
    Crash: () => {
      throw new Error("bug");
    },
  },
};
const parse = (xml: string) => new XMLParser({ parseTagValue: false }).parse(xml);

describe("the AWS Query protocol (Smithy awsQuery)", () => {
  it("decodes flattened members: lists by 1-based index in numeric order, nested structures, empty lists", () => {
    // Prepare
    const params = new URLSearchParams();
    params.set("Action", "X");
    params.set("Version", "v");
    params.set("UserName", "jane");
    for (const i of [10, 2, 1]) {
      params.set(`Tags.member.${i}.Key`, `k${i}`);
      params.set(`Tags.member.${i}.Value`, `v${i}`);
    }
    params.set("TagKeys", "");
    params.set("Outer.Inner", "deep");

    // Act
    const decoded = decodeQueryMembers(params);

    // Assess
    expect(decoded).toEqual({
      UserName: "jane",
      Tags: [
        { Key: "k1", Value: "v1" },
        { Key: "k2", Value: "v2" },
        { Key: "k10", Value: "v10" },
      ],
      TagKeys: "",
      Outer: { Inner: "deep" },
    });
  });

  it("answers XML with the result wrapper, <member> lists, ISO 8601 times, escaped text and the request id twice", async () => {
    // Act
    const answer = await handleAwsQuery([service], "Action=Echo&Version=2010-05-08&A=1", {
      authorization:
        "AWS4-HMAC-SHA256 Credential=AKIAexample000000001/20260102/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=abc",
    });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("text/xml");
    expect(answer.body).toContain("<Name>a&lt;b&amp;c</Name>");
    const response = parse(answer.body).EchoResponse;
    expect(response.EchoResult).toEqual({
      Items: { member: { Name: "a<b&c" } },
      Empty: "",
      When: "2026-01-02T03:04:05.000Z",
      Caller: "AKIAexample000000001",
      Input: '{"A":"1"}',
    });
    expect(response.ResponseMetadata.RequestId).toBe(answer.headers["x-amzn-requestid"]);
  });

  it("answers errors as <ErrorResponse> with Sender for 4xx, Receiver for 5xx, and InvalidAction for an unknown action or version", async () => {
    // Act
    const refused = await handleAwsQuery([service], "Action=Refuse&Version=2010-05-08", {});
    const crashed = await handleAwsQuery([service], "Action=Crash&Version=2010-05-08", {});
    const unknown = await handleAwsQuery([service], "Action=Echo&Version=2011-06-15", {});

    // Assess
    expect(refused.status).toBe(404);
    expect(parse(refused.body).ErrorResponse.Error).toEqual({
      Type: "Sender",
      Code: "NoSuchEntity",
      Message: "gone",
    });
    expect(parse(refused.body).ErrorResponse.RequestId).toBe(refused.headers["x-amzn-requestid"]);
    expect(crashed.status).toBe(500);
    expect(parse(crashed.body).ErrorResponse.Error).toMatchObject({
      Type: "Receiver",
      Code: "InternalFailure",
    });
    expect(unknown.status).toBe(400);
    expect(parse(unknown.body).ErrorResponse.Error.Code).toBe("InvalidAction");
  });

  it("reads the access key id from a SigV4 Authorization header only", () => {
    expect(
      accessKeyIdOf(
        "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20260102/us-east-1/sts/aws4_request, SignedHeaders=host",
      ),
    ).toBe("ASIAEXAMPLE");
    expect(accessKeyIdOf("Bearer abc")).toBeUndefined();
    expect(accessKeyIdOf(undefined)).toBeUndefined();
  });
});
