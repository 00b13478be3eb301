import { readFileSync } from "node:fs";
import path from "node:path";

/** Verbatim payloads from Okta's documentation (see test/fixtures/okta/docs/README.md); read-only. */
export const SHARED_FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/okta/docs");
/** This project's own Okta payloads, modelled on the real ones. */
export const OWN_FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/okta");

/** The provisioning app instance id used throughout the own fixtures. */
export const AWS_APP_ID = "0oa1awsidc2provis3n4";

/** Parses a shared fixture afresh (callers may mutate the result). */
export function sharedFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(SHARED_FIXTURES, name), "utf8"));
}

/** Parses one of the project's fixtures afresh (callers may mutate the result). */
export function ownFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(OWN_FIXTURES, name), "utf8"));
}

/** A raw LogEvent fixture: the strict fields typed, the rest open. */
export type RawLogEvent = { uuid: string; eventType: string; published: string } & Record<string, unknown>;

/** The own LogEvent fixture for an event type (`user.lifecycle.create` -> `user-lifecycle-create.logevent.json`). */
export function logEventFixture(eventType: string): RawLogEvent {
  return ownFixture(`${eventType.replaceAll(/[._]/g, "-")}.logevent.json`) as RawLogEvent;
}
