import type { CheckUnavailableNote } from "./evidence-note.ts";
import { dayOfEvidenceKey } from "./layout.ts";
import { inPeriod, type Period } from "./period.ts";

/*
 * S3 delete markers under the evidence prefix. Evidence is never deleted (the bucket policy refuses
 * every delete, Object Lock keeps every version), so a delete marker is a problem whatever it hides:
 * the hidden object is still in the bucket as a noncurrent version, but readers no longer see it.
 */

/** A delete marker as ListObjectVersions reports it. */
export interface DeleteMarker {
  key: string;
  versionId: string;
  lastModified: string | null;
}

/** What the verifier could read: the markers under the period's folders, or why it could not. */
export type DeleteMarkerReading = { markers: readonly DeleteMarker[] } | { unavailable: string };

/** An evidence object hidden by a delete marker. */
export interface DeleteMarkerProblem {
  kind: "delete-marker";
  key: string;
  versionId: string;
  message: string;
}

export interface DeleteMarkerCheck {
  problems: DeleteMarkerProblem[];
  notes: CheckUnavailableNote[];
}

/** Reports every delete marker on a key of the period (keys without a day are reported too). */
export function checkDeleteMarkers(reading: DeleteMarkerReading, period: Period): DeleteMarkerCheck {
  if ("unavailable" in reading) {
    return {
      problems: [],
      notes: [
        {
          kind: "check-unavailable",
          check: "delete-markers",
          message: `delete markers were not checked: ${reading.unavailable}`,
        },
      ],
    };
  }
  const problems = reading.markers
    .filter((m) => {
      const day = dayOfEvidenceKey(m.key);
      return day === null || inPeriod(period, day);
    })
    .map((m) => ({
      kind: "delete-marker" as const,
      key: m.key,
      versionId: m.versionId,
      message: `${m.key} is hidden by a delete marker (version ${m.versionId}${m.lastModified === null ? "" : `, ${m.lastModified}`}): evidence is never deleted, so someone hid it; its earlier versions are still in the bucket`,
    }));
  return { problems, notes: [] };
}
