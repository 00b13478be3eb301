/**
 * Watches the local policy file (`.local/policy.yaml` under `npm start`) and hands each new version to
 * `onChange` once the writes settle. It watches the file's directory, not the file: editors that save
 * by writing a temporary file and renaming it would otherwise end the watch after the first save.
 * A save that leaves the text as it was (a touch, an editor's second write) is not a new version.
 */
import { type FSWatcher, watch } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname } from "node:path";

export interface PolicyFileWatchOptions {
  /** The text the file holds now (what the stack started with): saving it unchanged does nothing. */
  initial: string;
  /** Called with each new text, one call at a time. */
  onChange: (yaml: string) => Promise<void>;
  /** Quiet time after the last change before the file is read (ms). @default 200 */
  debounceMs?: number;
  /** Reports a failed read (the file deleted, unreadable) or a failure `onChange` did not handle. */
  onError?: (error: Error) => void;
}

export function watchPolicyFile(file: string, options: PolicyFileWatchOptions): { close: () => void } {
  const debounceMs = options.debounceMs ?? 200;
  let last = options.initial;
  let timer: NodeJS.Timeout | undefined;
  let queue = Promise.resolve();

  const check = () => {
    queue = queue
      .then(async () => {
        const text = await readFile(file, "utf8");
        if (text === last) return;
        last = text;
        await options.onChange(text);
      })
      .catch((error: Error) => options.onError?.(error));
  };
  const watcher: FSWatcher = watch(dirname(file), (_event, name) => {
    if (name !== null && name !== basename(file)) return;
    clearTimeout(timer);
    timer = setTimeout(check, debounceMs);
  });
  return {
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
