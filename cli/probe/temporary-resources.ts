/** One thing the probe created, and how to remove it. */
export interface TemporaryResource {
  /** e.g. `identity store user oal-probe-20260101120000 (<id>)`. */
  description: string;
  remove: () => Promise<void>;
}

/** Something the probe could not remove, and why. */
export interface Leftover {
  description: string;
  reason: string;
}

/**
 * The probe's temporary resources: each is registered the moment it exists, and `removeAll` removes
 * every one still registered, newest first, each on its own (one failure never stops the others), so
 * a run that fails half-way still cleans up what it made. What it cannot remove is listed.
 */
export class TemporaryResources {
  private readonly live: TemporaryResource[] = [];
  private readonly kept: Leftover[] = [];

  private readonly progress: (line: string) => void;

  constructor(progress: (line: string) => void) {
    this.progress = progress;
  }

  add(resource: TemporaryResource): void {
    this.live.push(resource);
    this.progress(`  created ${resource.description}`);
  }

  /** The probe removed it itself (as part of an observation): nothing left to clean up. */
  gone(description: string): void {
    const index = this.live.findIndex((r) => r.description === description);
    if (index >= 0) this.live.splice(index, 1);
  }

  /** AWS keeps it and offers no way to remove it (an orphaned assignment): report it, do not retry. */
  keep(description: string, reason: string): void {
    this.gone(description);
    this.kept.push({ description, reason });
  }

  get count(): number {
    return this.live.length;
  }

  /** Removes everything still registered, newest first; returns what remains. */
  async removeAll(): Promise<{ removed: string[]; leftovers: Leftover[] }> {
    const removed: string[] = [];
    const leftovers: Leftover[] = [...this.kept];
    while (this.live.length > 0) {
      const resource = this.live.pop() as TemporaryResource;
      try {
        await resource.remove();
        removed.push(resource.description);
        this.progress(`  removed ${resource.description}`);
      } catch (error) {
        const e = error as Error;
        leftovers.push({ description: resource.description, reason: `${e.name}: ${e.message}` });
        this.progress(`  COULD NOT REMOVE ${resource.description}: ${e.name}: ${e.message}`);
      }
    }
    return { removed, leftovers };
  }
}
