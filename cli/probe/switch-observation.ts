import {
  AWS_BEHAVIOUR_SWITCHES,
  type AwsBehaviourSwitches,
  DEFAULT_AWS_BEHAVIOUR,
} from "../../local/emulators/aws-behaviour-switches.ts";

export type SwitchName = keyof AwsBehaviourSwitches;

/** What the probe saw for one switch of local/emulators/aws-behaviour-switches.ts. */
export interface SwitchObservation<K extends SwitchName = SwitchName> {
  name: K;
  /** The value the org answered; absent when the probe could not tell. */
  observed?: AwsBehaviourSwitches[K];
  /** What the probe saw, or why it could not tell (`needs --allow-writes`, `not deployed: unknown`). */
  evidence: string;
}

export const observed = <K extends SwitchName>(
  name: K,
  value: AwsBehaviourSwitches[K],
  evidence: string,
): SwitchObservation<K> => ({ name, observed: value, evidence });

export const unknown = <K extends SwitchName>(name: K, evidence: string): SwitchObservation<K> => ({
  name,
  evidence,
});

/** One switch as the report states it: the org's answer against the emulator's default. */
export interface SwitchVerdict {
  name: SwitchName;
  observed?: AwsBehaviourSwitches[SwitchName];
  emulatorDefault: AwsBehaviourSwitches[SwitchName];
  verdict: "matches" | "differs" | "unknown";
  /** The sentence the table prints. */
  summary: string;
  evidence: string;
  /** What the emulator's default assumes and its source (the registry's words). */
  assumes: string;
  source: string;
}

/** The `--aws-behaviour` argument that makes the local stack answer as the org does. */
export const behaviourFlag = (name: SwitchName, value: unknown) => `--aws-behaviour ${name}=${String(value)}`;

/** Every registry switch judged, in the registry's order; a switch the probe never reached is unknown. */
export function judgeSwitches(observations: readonly SwitchObservation[]): SwitchVerdict[] {
  return AWS_BEHAVIOUR_SWITCHES.map((info) => {
    const seen = observations.find((o) => o.name === info.name);
    const emulatorDefault = DEFAULT_AWS_BEHAVIOUR[info.name];
    const base = {
      name: info.name,
      emulatorDefault,
      evidence: seen?.evidence ?? "not probed",
      assumes: info.assumes,
      source: info.source,
    };
    if (seen?.observed === undefined)
      return {
        ...base,
        verdict: "unknown" as const,
        summary: "the emulator's default is unverified",
      };
    if (seen.observed === emulatorDefault)
      return {
        ...base,
        observed: seen.observed,
        verdict: "matches" as const,
        summary: "the emulator's default matches your org",
      };
    return {
      ...base,
      observed: seen.observed,
      verdict: "differs" as const,
      summary: `differs: run the local stack with ${behaviourFlag(info.name, seen.observed)}`,
    };
  });
}
