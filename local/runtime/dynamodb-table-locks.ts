/**
 * Per-table locks of the local DynamoDB front, first come first served: a batch of inserts or a
 * transaction holds its tables alone (its reads and writes must see no other write in between, and no
 * reader may see it half done); forwarded item requests share them (dynalite orders those itself), so
 * they run side by side and only wait for a batch in progress, as a batch waits for them.
 */
export class TableLocks {
  private readonly tables = new Map<
    string,
    { shared: number; exclusive: boolean; queue: { exclusive: boolean; grant: () => void }[] }
  >();

  /** Takes every table (in name order, so two takers never wait on each other); resolves to the release. */
  async take(tables: readonly string[], exclusive: boolean): Promise<() => void> {
    const sorted = [...new Set(tables)].sort();
    for (const table of sorted) await this.takeOne(table, exclusive);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const table of sorted) this.releaseOne(table, exclusive);
    };
  }

  private state(table: string) {
    let state = this.tables.get(table);
    if (state === undefined) {
      state = { shared: 0, exclusive: false, queue: [] };
      this.tables.set(table, state);
    }
    return state;
  }

  private takeOne(table: string, exclusive: boolean): Promise<void> {
    const state = this.state(table);
    return new Promise<void>((resolve) => {
      state.queue.push({ exclusive, grant: resolve });
      this.pump(state);
    });
  }

  private releaseOne(table: string, exclusive: boolean): void {
    const state = this.state(table);
    if (exclusive) state.exclusive = false;
    else state.shared--;
    this.pump(state);
  }

  private pump(state: {
    shared: number;
    exclusive: boolean;
    queue: { exclusive: boolean; grant: () => void }[];
  }) {
    while (state.queue.length > 0 && !state.exclusive) {
      const next = state.queue[0] as { exclusive: boolean; grant: () => void };
      if (next.exclusive && state.shared > 0) return;
      state.queue.shift();
      if (next.exclusive) state.exclusive = true;
      else state.shared++;
      next.grant();
      if (next.exclusive) return;
    }
  }
}
