import { beforeAll, describe, expect, it } from "vitest";

/** A fake of the SST/Pulumi globals that records every resource the infra code declares. */
interface Declared {
  type: string;
  name: string;
  args: Record<string, unknown>;
  opts: Record<string, unknown> | undefined;
}
const declared: Declared[] = [];
const resource = (type: string) =>
  class {
    name: string;
    arn: string;
    id: string;
    constructor(name: string, args: Record<string, unknown>, opts?: Record<string, unknown>) {
      declared.push({ type, name, args, opts });
      this.name = `${name}-name`;
      this.arn = `arn:aws:test:::${name}`;
      this.id = `${name}-id`;
    }
  };
/** `aws.getX(...)` data sources answer with placeholder values; everything else is a resource class. */
const lookup = () =>
  new Proxy(
    {},
    { get: (_, key) => (key === "apply" ? (fn: (v: unknown) => unknown) => fn("x") : `test-${String(key)}`) },
  );
const member = (prefix: string, key: string) =>
  key.startsWith("get") ? lookup : resource(`${prefix}.${key}`);
const namespace = (prefix: string) => new Proxy({}, { get: (_, key) => member(prefix, String(key)) });

describe("infra: the evidence bucket (issue 5 settings)", () => {
  let transforms: Record<string, (args: Record<string, unknown>, opts: Record<string, unknown>) => void>;
  beforeAll(async () => {
    const g = globalThis as Record<string, unknown>;
    g.aws = new Proxy(
      {},
      { get: (_, ns) => (String(ns).startsWith("get") ? lookup : namespace(`aws.${String(ns)}`)) },
    );
    g.sst = { aws: namespace("sst.aws") };
    g.$interpolate = (strings: TemplateStringsArray, ...values: unknown[]) =>
      strings.reduce((s, part, i) => s + part + (values[i] ?? ""), "");
    g.$resolve = (values: unknown) => ({ apply: (fn: (v: unknown) => unknown) => fn(values) });
    g.$app = { stage: "test", name: "okta-aws-lifecycle" };
    // A computed specifier: infra/ is type-checked against SST's platform types (tsconfig.infra.json),
    // not with the application, so the test loads it at run time only.
    const infraModule = "../../infra/evidence-bucket.ts";
    const { evidenceBucket } = (await import(infraModule)) as {
      evidenceBucket: (settings: unknown) => unknown;
    };
    evidenceBucket({ retentionDays: 400, accessLogDays: 400 });
    const bucket = declared.find((d) => d.type === "sst.aws.Bucket" && d.name === "Evidence");
    transforms = (bucket?.args.transform ?? {}) as typeof transforms;
  });

  it("declares Object Lock in COMPLIANCE mode with the 400-day default retention", () => {
    const lock = declared.find((d) => d.type === "aws.s3.BucketObjectLockConfiguration");
    expect(lock?.args.rule).toEqual({ defaultRetention: { mode: "COMPLIANCE", days: 400 } });
    const args: Record<string, unknown> = {};
    const opts: Record<string, unknown> = {};
    transforms.bucket?.(args, opts);
    expect(args).toMatchObject({ objectLockEnabled: true, forceDestroy: false });
    expect(opts.retainOnDelete).toBe(true);
  });

  it("versions the bucket, encrypts with its own KMS key, logs access, and keeps everything on removal", () => {
    const bucket = declared.find((d) => d.type === "sst.aws.Bucket" && d.name === "Evidence");
    expect(bucket?.args.versioning).toBe(true);
    const sse = declared.find((d) => d.type === "aws.s3.BucketServerSideEncryptionConfiguration");
    expect(JSON.stringify(sse?.args.rules)).toContain('"sseAlgorithm":"aws:kms"');
    expect(declared.some((d) => d.type === "aws.s3.BucketLogging")).toBe(true);
    for (const d of declared.filter((x) => x.type.startsWith("aws.s3.") && x.name.startsWith("Evidence"))) {
      expect(d.opts?.retainOnDelete, d.name).toBe(true);
    }
  });

  it("refuses every delete to every principal, and plain HTTP (SST's enforceHttps adds the TLS-only statement)", () => {
    const bucket = declared.find((d) => d.type === "sst.aws.Bucket" && d.name === "Evidence");
    expect(bucket?.args.enforceHttps).toBe(true);
    expect(bucket?.args.policy).toContainEqual({
      effect: "deny",
      actions: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
      principals: "*",
      paths: ["*"],
    });
  });

  it("keeps the KMS keys on removal but not their aliases, so a redeploy after `sst remove` can name its own", () => {
    // Prepare: what the deploy declared
    const keys = declared.filter((d) => d.type === "aws.kms.Key");
    const aliases = declared.filter((d) => d.type === "aws.kms.Alias");

    // Assess: keys retained (the locked evidence stays readable), aliases named per stage and not retained
    expect(keys.map((k) => k.opts?.retainOnDelete)).toEqual([true, true]);
    expect(aliases.map((a) => a.args.name)).toEqual([
      "alias/okta-aws-lifecycle-test-evidence",
      "alias/okta-aws-lifecycle-test-evidence-signing",
    ]);
    for (const alias of aliases) expect(alias.opts?.retainOnDelete, alias.name).toBeFalsy();
    // Nothing this module retains carries a fixed name that the next deploy of the stage would create again.
    const retainedWithFixedNames = declared.filter(
      (d) => d.opts?.retainOnDelete === true && typeof d.args.name === "string",
    );
    expect(retainedWithFixedNames.map((d) => `${d.type} ${d.name}`)).toEqual([]);
  });
});
