import { type Document, isMap, isNode, isScalar, isSeq, type Node, type Range } from "yaml";
import type { PolicyPath } from "./policy-error.ts";

/** Offset of the first character of a parsed node (parsed nodes always carry a range). */
export function startOf(node: Node): number {
  return (node.range as Range)[0];
}

/** The source text of a parsed node. */
export function textOf(node: Node, sourceText: string): string {
  const [start, end] = node.range as Range;
  return sourceText.slice(start, end);
}

/**
 * The node of a parsed YAML document that `path` points at, so an error can name its line and column.
 * With `at: "key"` it is the mapping key rather than its value (an unknown or invalid key). An empty
 * value (`name:` with nothing after it) is pointed at by its key. When the path leaves the document (a
 * missing key) or passes through an alias, the nearest existing parent is returned: a missing required
 * key points at the mapping that should hold it. `null` only for an empty document.
 */
export function findNode(doc: Document, path: PolicyPath, at: "key" | "value" = "value"): Node | null {
  let node = doc.contents;
  for (const [index, segment] of path.entries()) {
    if (isSeq(node)) {
      node = node.items[segment as number] as Node;
    } else if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair === undefined) break;
      const key = pair.key as Node;
      const value = pair.value;
      if ((at === "key" && index === path.length - 1) || !isNode(value) || isEmpty(value)) return key;
      node = value;
    } else {
      break;
    }
  }
  return node;
}

function isEmpty(node: Node): boolean {
  const [start, end] = node.range as Range;
  return start === end;
}
