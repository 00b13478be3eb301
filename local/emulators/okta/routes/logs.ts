import { servedLogEvent } from "../answer-switches.ts";
import { invalidFilter, OktaApiError, validationFailed } from "../errors.ts";
import { json, linkValue } from "../http.ts";
import { type FilterNode, FilterSyntaxError, parseFilter } from "../scim-filter.ts";
import type { LogQuery } from "../system-log.ts";
import { type OktaServices, path, type Route } from "./route.ts";

/** `GET /api/v1/logs` with `since`, `until`, `after`, `filter`, `q`, `limit` (0-1000, default 100), `sortOrder`. */
export function logRoutes(services: OktaServices): Route[] {
  return [
    {
      method: "GET",
      pattern: path("/api/v1/logs"),
      handle: ({ url, baseUrl }) => {
        const query = readLogQuery(url, services.clock());
        if (services.log.afterWithTimeBound === "reject") rejectAfterWithTimeBound(url, query);
        const keywords = (url.searchParams.get("q") ?? "").toLowerCase().split(/\s+/).filter(Boolean);
        const page = services.log.query(query, services.clock());
        // `q`: every keyword must appear somewhere in the event (case-insensitive).
        const events =
          keywords.length === 0
            ? page.events
            : page.events.filter((event) => {
                const text = JSON.stringify(event).toLowerCase();
                return keywords.every((keyword) => text.includes(keyword));
              });
        const links = [linkValue(`${baseUrl}${url.pathname}${url.search}`, "self")];
        if (page.nextCursor !== null) {
          const params = new URLSearchParams(url.search);
          params.set("after", page.nextCursor);
          // Under `reject`, the cursor carries the lower bound (system-log.ts, afterWithTimeBound).
          if (services.log.afterWithTimeBound === "reject") params.delete("since");
          links.push(linkValue(`${baseUrl}${url.pathname}?${params.toString()}`, "next"));
        }
        // Absent values as the switch says (answer-switches.ts: the spec's LogEvent schemas vs its ListLogs example).
        const served = events.map((event) => servedLogEvent(event, services.answerSwitches.logEventNulls));
        return json(served, { link: links });
      },
    },
  ];
}

/**
 * `afterWithTimeBound: "reject"`: `after` with `since`, or with a `filter` on `published`, is 400 E0000001
 * naming both parameters and the fix (follow the `next` link as it comes).
 */
function rejectAfterWithTimeBound(url: URL, query: LogQuery): void {
  if (query.after === undefined) return;
  const clashes = [
    ...(url.searchParams.has("since") ? ["since"] : []),
    ...(query.filter !== undefined && filterNames(query.filter, "published") ? ["filter on published"] : []),
  ];
  if (clashes.length === 0) return;
  throw validationFailed(`'after' cannot be combined with ${clashes.join(" or ")}`, [
    `after: cannot be combined with ${clashes.join(" or ")}; follow the rel="next" link as Okta returned it`,
  ]);
}

function filterNames(node: FilterNode, attribute: string): boolean {
  if (node.kind !== "compare") return filterNames(node.left, attribute) || filterNames(node.right, attribute);
  return node.path.join(".") === attribute;
}

/** Okta refuses a `since` further back than this (System Log API, "Errors": E0000053). */
const MAX_LOOKBACK_MS = 180 * 24 * 60 * 60 * 1000;

function readLogQuery(url: URL, nowMs: number): LogQuery {
  const params = url.searchParams;
  const sortOrder = params.get("sortOrder") ?? "ASCENDING";
  if (sortOrder !== "ASCENDING" && sortOrder !== "DESCENDING") {
    throw validationFailed("'sortOrder': must be ASCENDING or DESCENDING", [
      "sortOrder: must be ASCENDING or DESCENDING",
    ]);
  }
  const rawLimit = params.get("limit");
  const limit = rawLimit === null ? 100 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 0 || limit > 1000) {
    throw validationFailed("'limit': must be between 0 and 1000", ["limit: must be between 0 and 1000"]);
  }
  const after = params.get("after");
  const filter = params.get("filter");
  const sinceMs = readDate(params, "since");
  const untilMs = readDate(params, "until");
  if (sinceMs !== undefined && sinceMs < nowMs - MAX_LOOKBACK_MS) {
    throw new OktaApiError(
      400,
      "E0000053",
      "Invalid parameter: The since parameter is over 180 days prior to the current day.",
    );
  }
  return {
    limit,
    sortOrder,
    ...(sinceMs === undefined ? {} : { sinceMs }),
    ...(untilMs === undefined ? {} : { untilMs }),
    ...(after === null ? {} : { after }),
    ...(filter === null || filter.trim() === "" ? {} : { filter: parseLogFilter(filter) }),
  };
}

/** Okta's wording for an unreadable date (System Log API, "Errors"). */
function readDate(params: URLSearchParams, name: "since" | "until"): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === "") return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw validationFailed(
      `'${name}': The date format in your query is not recognized. Please enter dates using ISO8601 string format.. '${name}': must be a valid date-time or empty.`,
      [
        `${name}: The date format in your query is not recognized. Please enter dates using ISO8601 string format.`,
        `${name}: must be a valid date-time or empty.`,
      ],
    );
  }
  return ms;
}

function parseLogFilter(filter: string) {
  try {
    return parseFilter(filter);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw invalidFilter(filter, error.message);
    throw error;
  }
}
