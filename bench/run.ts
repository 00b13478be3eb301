// `npm run bench -- NAME`: runs bench/NAME.ts (each benchmark prints its figures next to the bound).
import { existsSync, readdirSync } from "node:fs";

const available = readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".ts") && f !== "run.ts")
  .map((f) => f.replace(/\.ts$/, ""));
const name = process.argv[2];
if (!name || !available.includes(name) || !existsSync(new URL(`./${name}.ts`, import.meta.url))) {
  console.error(`usage: npm run bench -- <${available.join("|")}>`);
  process.exit(1);
}
await import(`./${name}.ts`);
