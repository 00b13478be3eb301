import { z } from "zod";

/**
 * What a compromise signal (core/okta/event-types.ts `CompromiseSignal`) does:
 * - `ignore`: the run converges the user as for any mover and leaves their sessions alone;
 * - `endSessions`: the run also denies the user's AWS role sessions issued before the signal, held for
 *   the longest session, without removing access: the user signs in again through Okta.
 */
export const SignalAction = z.enum(["ignore", "endSessions"], {
  error: "use endSessions (deny the user's AWS role sessions issued before the signal) or ignore",
});

/** policy `compromiseSignals`: one switch per signal, all off by default. */
export const CompromiseSignals = z
  .object({
    /** `user.mfa.factor.reset_all`: an admin reset all of the user's factors. @default ignore */
    mfaReset: SignalAction.default("ignore"),
    /** `user.authentication.universal_logout`: Okta's Universal Logout for the user. @default ignore */
    universalLogout: SignalAction.default("ignore"),
    /** `security.breached_credential.detected`: a breached password was used. @default ignore */
    breachedCredential: SignalAction.default("ignore"),
    /** `user.risk.detect` / `user.risk.change` (not a change down to LOW). @default ignore */
    userRisk: SignalAction.default("ignore"),
    /** `user.session.clear` by an admin (not by `pipelineActorIds`). @default ignore */
    adminSessionClear: SignalAction.default("ignore"),
    /**
     * The System Log actors of the pipeline's own Okta calls: the user who created its SSWS token
     * (`00u...`) or its OAuth service app's client id (`0oa...`). Their `user.session.clear` (the clear
     * a leaver run makes) is not an admin's. @default []
     */
    pipelineActorIds: z
      .array(
        z
          .string()
          .regex(
            /^(00u|0oa)[0-9A-Za-z]{17}$/,
            "an Okta user id (00u..., the SSWS token's creator) or an OAuth client id (0oa..., the service app)",
          ),
      )
      .default([]),
  })
  .strict();

/** The parsed `compromiseSignals` section. */
export type CompromiseSignalPolicy = z.output<typeof CompromiseSignals>;

/** Every signal off, no pipeline actor: what an absent `compromiseSignals` means. */
export const COMPROMISE_SIGNALS_OFF: CompromiseSignalPolicy = Object.freeze({
  mfaReset: "ignore",
  universalLogout: "ignore",
  breachedCredential: "ignore",
  userRisk: "ignore",
  adminSessionClear: "ignore",
  pipelineActorIds: [],
});
