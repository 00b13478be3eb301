/** Code-unit order of two strings (not locale order): the same on every machine. */
export function compareText(a: string, b: string): number {
  return Number(a > b) - Number(a < b);
}
