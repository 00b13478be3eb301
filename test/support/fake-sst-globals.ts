/**
 * A fake of the SST / Pulumi globals (`aws`, `sst`, `$resolve`, `$output`, `$interpolate`, `$app`) that
 * records every resource infra/ code declares, so a test can run an infra component without deploying
 * and assert on the arguments it would give AWS. Outputs are plain values with an `apply` that runs at
 * once (no unknowns): enough for the components, which only transform and pass outputs along.
 */

/** One declared resource: its type (`aws.cloudwatch.MetricAlarm`), logical name and arguments. */
export interface DeclaredResource {
  type: string;
  name: string;
  args: Record<string, unknown>;
  opts: Record<string, unknown> | undefined;
}

/** A resolved output: the value, with Pulumi's `apply`. */
export interface FakeOutput<T> {
  value: T;
  apply<U>(fn: (value: T) => U): FakeOutput<U>;
}

export function fakeOutput<T>(value: T): FakeOutput<T> {
  return {
    value,
    apply: <U>(fn: (v: T) => U) => {
      const result = fn(value);
      return (isOutput(result) ? result : fakeOutput(result)) as FakeOutput<U>;
    },
  };
}

const isOutput = (v: unknown): v is FakeOutput<unknown> =>
  typeof v === "object" && v !== null && "apply" in v && "value" in v;

/** Unwraps fake outputs anywhere in a value (arrays, objects), for assertions. */
export function resolved(value: unknown): unknown {
  if (isOutput(value)) return resolved(value.value);
  if (Array.isArray(value)) return value.map(resolved);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolved(v)]));
  return value;
}

/** Installs the fake globals and returns the list every declared resource is appended to. */
export function installFakeSstGlobals(
  app = { name: "okta-aws-lifecycle", stage: "test" },
): DeclaredResource[] {
  const declared: DeclaredResource[] = [];
  const resource = (type: string) =>
    class {
      name: string;
      arn: string;
      id: string;
      url: string;
      nodes: Record<string, FakeOutput<Record<string, string>>>;
      constructor(name: string, args: Record<string, unknown>, opts?: Record<string, unknown>) {
        declared.push({ type, name, args, opts });
        this.name = `${name}-name`;
        this.arn = `arn:aws:test:::${name}`;
        this.id = `${name}-id`;
        this.url = `https://test/${name}`;
        this.nodes = { function: fakeOutput({ role: `arn:aws:iam::test:role/${name}` }) };
      }
    };
  const namespace = (prefix: string): unknown =>
    new Proxy({}, { get: (_, key) => resource(`${prefix}.${String(key)}`) });
  const g = globalThis as Record<string, unknown>;
  g.aws = new Proxy({}, { get: (_, ns) => namespace(`aws.${String(ns)}`) });
  g.sst = { aws: namespace("sst.aws") };
  g.$interpolate = (strings: TemplateStringsArray, ...values: unknown[]) =>
    strings.reduce((s, part, i) => s + part + String(resolved(values[i]) ?? ""), "");
  g.$resolve = (values: unknown) => fakeOutput(resolved(values));
  g.$output = (value: unknown) => fakeOutput(resolved(value));
  g.$app = app;
  return declared;
}
