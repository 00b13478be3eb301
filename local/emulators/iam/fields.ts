/**
 * Reads request members the way IAM and STS validate them: a member that breaks its model constraint
 * (the shapes' `pattern`, `min`, `max` in the service model) answers ValidationError with AWS's
 * message, naming the member in lowerCamelCase (`1 validation error detected: Value 'a b' at
 * 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`).
 */
import { validationError } from "./errors.ts";

export interface StringRule {
  pattern: string;
  min: number;
  max: number;
}

/** Model constraints of the members the operations read (botocore iam 2010-05-08, sts 2011-06-15). */
export const RULES = {
  userName: { pattern: "[\\w+=,.@-]+", min: 1, max: 64 },
  existingUserName: { pattern: "[\\w+=,.@-]+", min: 1, max: 128 },
  roleName: { pattern: "[\\w+=,.@-]+", min: 1, max: 64 },
  policyName: { pattern: "[\\w+=,.@-]+", min: 1, max: 128 },
  accessKeyId: { pattern: "[\\w]+", min: 16, max: 128 },
  serialNumber: { pattern: "[\\w+=/:,.@-]+", min: 9, max: 256 },
  /** policyPathType (CreatePolicy's Path). */
  policyPath: { pattern: "((/[A-Za-z0-9\\.,\\+@=_-]+)*)/", min: 1, max: 512 },
  path: { pattern: "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)", min: 1, max: 512 },
  roleSessionName: { pattern: "[\\w+=,.@-]*", min: 2, max: 64 },
  externalId: { pattern: "[\\w+=,.@:\\/-]*", min: 2, max: 1224 },
  sourceIdentity: { pattern: "[\\w+=,.@-]*", min: 2, max: 64 },
  policyDocument: { pattern: "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+", min: 1, max: 131072 },
  password: { pattern: "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+", min: 1, max: 128 },
  arn: { pattern: "[\\u0009\\u000A\\u000D\\u0020-\\u007E]+", min: 20, max: 2048 },
  tagKey: { pattern: "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+", min: 1, max: 128 },
  tagValue: { pattern: "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*", min: 0, max: 256 },
  marker: { pattern: "[\\u0020-\\u00FF]+", min: 1, max: 320 },
} satisfies Record<string, StringRule>;

const memberName = (member: string) => member.charAt(0).toLowerCase() + member.slice(1);
const anchored = (pattern: string) => new RegExp(`^(?:${pattern})$`, "u");

export class QueryFields {
  private readonly input: Record<string, unknown>;
  private readonly problems: string[] = [];

  constructor(input: unknown) {
    this.input = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  }

  string(member: string, rule: StringRule): string {
    const value = this.input[member];
    if (typeof value !== "string") {
      this.problems.push(
        `Value null at '${memberName(member)}' failed to satisfy constraint: Member must not be null`,
      );
      return "";
    }
    return this.check(member, value, rule);
  }

  optionalString(member: string, rule: StringRule): string | undefined {
    const value = this.input[member];
    return typeof value === "string" ? this.check(member, value, rule) : undefined;
  }

  optionalInteger(member: string, min: number, max: number): number | undefined {
    const value = this.input[member];
    if (value === undefined) return undefined;
    const number = Number(value);
    const at = `Value '${String(value)}' at '${memberName(member)}' failed to satisfy constraint:`;
    if (!Number.isInteger(number)) this.problems.push(`${at} Member must be an integer`);
    else if (number < min) this.problems.push(`${at} Member must have value greater than or equal to ${min}`);
    else if (number > max) this.problems.push(`${at} Member must have value less than or equal to ${max}`);
    return number;
  }

  optionalBoolean(member: string): boolean | undefined {
    const value = this.input[member];
    return value === undefined ? undefined : value === "true";
  }

  /** `Tags.member.N.Key/Value` (at most 50, model `tagListType`). */
  tags(member = "Tags"): { Key: string; Value: string }[] {
    const value = this.input[member];
    if (!Array.isArray(value)) return [];
    if (value.length > 50) {
      this.problems.push(
        `Value at '${memberName(member)}' failed to satisfy constraint: Member must have length less than or equal to 50`,
      );
    }
    return value.map((tag: Record<string, unknown>, i: number) => {
      const fields = new QueryFields(tag);
      const parsed = {
        Key: fields.string("Key", RULES.tagKey),
        Value: fields.string("Value", RULES.tagValue),
      };
      this.problems.push(
        ...fields.problems.map((p) =>
          p.replace(/at '(\w+)'/, `at '${memberName(member)}.${i + 1}.member.$1'`),
        ),
      );
      return parsed;
    });
  }

  /** Throws one ValidationError listing every problem, as AWS does; call after reading every member. */
  done(): void {
    if (this.problems.length === 0) return;
    const count = this.problems.length;
    throw validationError(
      `${count} validation error${count === 1 ? "" : "s"} detected: ${this.problems.join("; ")}`,
    );
  }

  private check(member: string, value: string, rule: StringRule): string {
    const at = `Value '${value}' at '${memberName(member)}' failed to satisfy constraint:`;
    if (value.length < rule.min)
      this.problems.push(`${at} Member must have length greater than or equal to ${rule.min}`);
    else if (value.length > rule.max)
      this.problems.push(`${at} Member must have length less than or equal to ${rule.max}`);
    else if (!anchored(rule.pattern).test(value))
      this.problems.push(`${at} Member must satisfy regular expression pattern: ${rule.pattern}`);
    return value;
  }
}
