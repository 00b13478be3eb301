import { describe, expect, it } from "vitest";
import {
  AWS_BEHAVIOUR_SWITCHES,
  awsBehaviourArguments,
  DEFAULT_AWS_BEHAVIOUR,
  parseAwsBehaviour,
} from "../../../local/emulators/aws-behaviour-switches.ts";
import { createIdentityCenterEmulator } from "../../../local/emulators/identity-center/index.ts";
import { createOrganizationsEmulator } from "../../../local/emulators/organizations/index.ts";

describe("AWS behaviour switches", () => {
  it("lists every switch once, its default among its values", () => {
    const names = AWS_BEHAVIOUR_SWITCHES.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(Object.keys(DEFAULT_AWS_BEHAVIOUR).sort());
    for (const s of AWS_BEHAVIOUR_SWITCHES) expect(s.values).toContain(DEFAULT_AWS_BEHAVIOUR[s.name]);
  });

  it("parses name=value settings into typed values and round-trips the non-defaults", () => {
    const parsed = parseAwsBehaviour([
      "listForPrincipalIncludesInherited=true",
      "identityStoreErrorPrefix=IdentityStore",
      "scimDeactivation=delete",
    ]);
    expect(parsed).toEqual({
      ok: true,
      behaviour: {
        listForPrincipalIncludesInherited: true,
        identityStoreErrorPrefix: "IdentityStore",
        scimDeactivation: "delete",
      },
    });
    if (!parsed.ok) return;
    expect(awsBehaviourArguments(parsed.behaviour)).toEqual([
      "--aws-behaviour listForPrincipalIncludesInherited=true",
      "--aws-behaviour identityStoreErrorPrefix=IdentityStore",
      "--aws-behaviour scimDeactivation=delete",
    ]);
  });

  it("names the switch and what it accepts when a setting is wrong", () => {
    const unknown = parseAwsBehaviour(["inherited=true"]);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok)
      expect(unknown.error).toMatch(/unknown switch "inherited".*listForPrincipalIncludesInherited/);
    const badValue = parseAwsBehaviour(["scpPolicyTypeEnabled=maybe"]);
    expect(badValue.ok).toBe(false);
    if (!badValue.ok) expect(badValue.error).toContain("scpPolicyTypeEnabled is true | false");
  });

  it("reaches the emulators, which start from the defaults", () => {
    expect(createIdentityCenterEmulator().behaviour).toEqual(DEFAULT_AWS_BEHAVIOUR);
    const orgs = createOrganizationsEmulator({ behaviour: { scpPolicyTypeEnabled: false } });
    expect(orgs.behaviour.scpPolicyTypeEnabled).toBe(false);
    expect(orgs.behaviour.orphanedAssignmentDeletion).toBe("fails-404");
  });

  it("is one shared set: a change at runtime reaches every emulator given the same object", () => {
    const shared = { listForPrincipalIncludesInherited: true };
    const ic = createIdentityCenterEmulator({ behaviour: shared });
    const orgs = createOrganizationsEmulator({ behaviour: shared });
    expect(ic.behaviour.scpPolicyTypeEnabled).toBe(true);
    ic.behaviour.scpPolicyTypeEnabled = false;
    expect(orgs.behaviour.scpPolicyTypeEnabled).toBe(false);
    expect(orgs.behaviour.listForPrincipalIncludesInherited).toBe(true);
  });
});
