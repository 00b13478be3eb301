import { randomBytes } from "node:crypto";

/** A benchmark's hook Authorization value, made per run: never a committed literal that reads like a credential. */
export const benchHookSecret = (): string => `Bearer ${randomBytes(24).toString("base64url")}`;
