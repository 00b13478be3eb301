/**
 * The Okta adapter: the only code that talks to Okta's Management API. See `okta/okta-adapter.ts`.
 */
export * from "./okta/errors.ts";
export type { OktaHttpOptions } from "./okta/http-client.ts";
export { RATE_LIMIT_RESET_MARGIN_MS } from "./okta/http-client.ts";
export { eventTypeFilter } from "./okta/lifecycle-filter.ts";
export { linkTarget } from "./okta/link-header.ts";
export {
  CLEAR_SESSIONS_MAX_WAIT_MS,
  OktaAdapter,
  type OktaAdapterOptions,
  type OktaGroupRef,
  type OktaLifecycleOperation,
  type SystemLogPage,
  type SystemLogQuery,
} from "./okta/okta-adapter.ts";
