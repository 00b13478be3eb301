/**
 * Writes infra/templates/member-roles.json from infra/member-roles-policies.ts (a unit test checks it);
 * `npx biome check --write` formats it as committed.
 */
import { writeFileSync } from "node:fs";
import { memberRolesTemplateText } from "../infra/member-roles-template.ts";

writeFileSync(new URL("../infra/templates/member-roles.json", import.meta.url), memberRolesTemplateText());
console.log("wrote infra/templates/member-roles.json");
