import { randomBytes } from "node:crypto";

/*
 * The local stack's credentials, made per process: the emulators and the hook need some, and a literal
 * committed to the repository would read like a real one (and be the same on every laptop). `npm start`
 * prints them and writes them to .local/endpoints.json; tests and benchmarks take them from the stack.
 */

/** A hook `Authorization` value (`Bearer` and 32 random characters, past the deploy's strength check). */
export const randomHookSecret = (): string => `Bearer ${randomBytes(24).toString("base64url")}`;

/** An Okta SSWS API token for the emulator: Okta's shape (`00` and 40 more characters), random. */
export const randomOktaApiToken = (): string => `00${randomBytes(30).toString("base64url")}`;
