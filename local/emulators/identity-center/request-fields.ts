/**
 * Request validation the way AWS answers it: every problem in one ValidationException, each naming
 * the member (`1 validation error detected: Value null at 'targetId' failed to satisfy constraint:
 * Member must not be null`). Operations read their fields through this, then call `done()`.
 */
import { validationError } from "./errors.ts";

export interface StringRule {
  pattern?: RegExp;
  min?: number;
  max?: number;
  oneOf?: readonly string[];
}

/** AWS names members in lowerCamelCase in validation messages (`Filter.AccountId` -> `filter.accountId`). */
const memberName = (path: string): string =>
  path
    .split(".")
    .map((part) => part.charAt(0).toLowerCase() + part.slice(1))
    .join(".");

const show = (value: unknown): string =>
  value === undefined || value === null ? "null" : `'${String(value)}'`;

export class RequestFields {
  private readonly input: Record<string, unknown>;
  private readonly problems: string[] = [];

  constructor(input: unknown) {
    this.input = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  }

  /** A required string member (`""` when invalid: `done()` throws before it is used). */
  string(path: string, rule: StringRule = {}): string {
    const value = this.read(path);
    if (value === undefined || value === null) {
      this.problem(path, value, "Member must not be null");
      return "";
    }
    return this.check(path, value, rule) ?? "";
  }

  /** An optional string member. */
  optionalString(path: string, rule: StringRule = {}): string | undefined {
    const value = this.read(path);
    if (value === undefined || value === null) return undefined;
    return this.check(path, value, rule);
  }

  /** An optional integer member within [min, max]. */
  optionalInteger(path: string, min: number, max: number): number | undefined {
    const value = this.read(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value)) {
      this.problem(path, value, "Member must be an integer");
      return undefined;
    }
    if (value < min) this.problem(path, value, `Member must have value greater than or equal to ${min}`);
    if (value > max) this.problem(path, value, `Member must have value less than or equal to ${max}`);
    return value;
  }

  /** An optional object member (a structure or a union such as `MemberId`). */
  optionalObject(path: string): Record<string, unknown> | undefined {
    const value = this.read(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "object" || Array.isArray(value)) {
      this.problem(path, value, "Member must be a structure");
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  /** An optional list member. */
  optionalList(path: string): unknown[] | undefined {
    const value = this.read(path);
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.problem(path, value, "Member must be a list");
      return undefined;
    }
    return value;
  }

  /** A required list of strings with length in [min, max]. */
  stringList(path: string, min: number, max: number, rule: StringRule = {}): string[] {
    const value = this.read(path);
    if (value === undefined || value === null) {
      this.problem(path, value, "Member must not be null");
      return [];
    }
    if (!Array.isArray(value)) {
      this.problem(path, value, "Member must be a list");
      return [];
    }
    if (value.length < min || value.length > max) {
      this.problem(path, `[${value.length} items]`, `Member must have length between ${min} and ${max}`);
    }
    return value.map((item, i) => this.check(`${path}.${i + 1}`, item, rule) ?? "");
  }

  /** Records a problem found by the operation itself (e.g. a union with no member set). */
  problem(path: string, value: unknown, constraint: string): void {
    this.problems.push(
      `Value ${show(value)} at '${memberName(path)}' failed to satisfy constraint: ${constraint}`,
    );
  }

  /** Throws ValidationException listing every problem found so far. */
  done(): void {
    const count = this.problems.length;
    if (count === 0) return;
    throw validationError(
      `${count} validation error${count === 1 ? "" : "s"} detected: ${this.problems.join("; ")}`,
    );
  }

  private read(path: string): unknown {
    let value: unknown = this.input;
    for (const key of path.split(".")) {
      if (typeof value !== "object" || value === null) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  }

  private check(path: string, value: unknown, rule: StringRule): string | undefined {
    if (typeof value !== "string") {
      this.problem(path, value, "Member must be a string");
      return undefined;
    }
    const before = this.problems.length;
    if (rule.min !== undefined && value.length < rule.min) {
      this.problem(path, value, `Member must have length greater than or equal to ${rule.min}`);
    }
    if (rule.max !== undefined && value.length > rule.max) {
      this.problem(path, value, `Member must have length less than or equal to ${rule.max}`);
    }
    if (rule.pattern && !rule.pattern.test(value)) {
      // AWS prints the pattern without anchors.
      const pattern = rule.pattern.source.replace(/^\^|\$$/g, "");
      this.problem(path, value, `Member must satisfy regular expression pattern: ${pattern}`);
    }
    if (rule.oneOf && !rule.oneOf.includes(value)) {
      this.problem(path, value, `Member must satisfy enum value set: [${rule.oneOf.join(", ")}]`);
    }
    return this.problems.length === before ? value : undefined;
  }
}

/** The shapes Identity Center constrains its members to (API reference patterns). */
export const PATTERNS = {
  instanceArn: /^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/,
  permissionSetArn:
    /^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::permissionSet\/(sso)?ins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}$/,
  accountId: /^\d{12}$/,
  /** User, group and membership ids (`<10 hex>-` prefix optional). */
  resourceId: /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/,
  requestId: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  permissionSetName: /^[\w+=,.@-]+$/,
  identityStoreId: /^(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
  managedPolicyArn: /^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/,
} as const;

export const PRINCIPAL_TYPES = ["USER", "GROUP"] as const;
export const STATUS_VALUES = ["IN_PROGRESS", "FAILED", "SUCCEEDED"] as const;
export const PROVISIONING_STATUSES = [
  "LATEST_PERMISSION_SET_PROVISIONED",
  "LATEST_PERMISSION_SET_NOT_PROVISIONED",
] as const;
