/** Writes infra/templates/management-component.json from infra/permissions.ts (a unit test checks it). */
import { writeFileSync } from "node:fs";
import { managementComponentTemplateText } from "../infra/management-component-template.ts";

writeFileSync(
  new URL("../infra/templates/management-component.json", import.meta.url),
  managementComponentTemplateText(),
);
console.log("wrote infra/templates/management-component.json");
