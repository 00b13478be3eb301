/**
 * Checks a DPoP proof as RFC 9449 section 4.3 says and Okta's "Configure OAuth 2.0 Demonstrating
 * Proof-of-Possession" guide requires: one `DPoP` header holding a JWT with `typ: dpop+jwt`, an
 * asymmetric `alg`, the public `jwk` it is signed with, `htm` = the request method, `htu` = the request
 * URL without query and fragment, a recent `iat`, a `jti` never seen before ("Resource servers must
 * require and track the incoming DPoP proof JWT's jti claim ... and not accept that claim more than
 * once"), the server's `nonce` when one is required, and on resource requests `ath` =
 * base64url(SHA-256(access token)). Returns the key's thumbprint (the token's `cnf.jkt`).
 */
import { createHash } from "node:crypto";
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from "jose";

/** A proof that fails a check; `message` is the `error_description`. */
export class DpopProofError extends Error {
  override name = "DpopProofError";
}

export interface ProofExpectation {
  method: string;
  /** The request URL without query and fragment. */
  htu: string;
  /** Epoch milliseconds. */
  now: number;
  /** Seconds a proof's `iat` may be off from `now` (either way). */
  maxSkewSeconds: number;
  /** Whether `jti` was seen before (and remembers it when not). */
  replayed: (jti: string) => boolean;
  /** A nonce the server issued and still accepts; unset when none is required. */
  nonceValid?: (nonce: string | undefined) => boolean;
  /** The access token a resource request presents (its hash must be `ath`). */
  accessToken?: string;
}

export async function verifyDpopProof(
  header: string | string[] | undefined,
  expect: ProofExpectation,
): Promise<{ jkt: string }> {
  if (header === undefined) throw new DpopProofError("The DPoP proof JWT header is missing.");
  if (Array.isArray(header)) throw new DpopProofError("Only one DPoP proof JWT header is allowed.");
  let verified: Awaited<ReturnType<typeof jwtVerify>>;
  try {
    verified = await jwtVerify(header, EmbeddedJWK, {
      typ: "dpop+jwt",
      algorithms: ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"],
    });
  } catch (error) {
    throw new DpopProofError(`The DPoP proof JWT is invalid: ${(error as Error).message}`);
  }
  const { payload, protectedHeader } = verified;
  const jwk = protectedHeader.jwk;
  if (jwk === undefined || "d" in jwk)
    throw new DpopProofError("The DPoP proof JWT must carry a public jwk.");
  if (payload.htm !== expect.method)
    throw new DpopProofError(
      `The DPoP proof htm '${String(payload.htm)}' does not match the request method.`,
    );
  if (payload.htu !== expect.htu)
    throw new DpopProofError(`The DPoP proof htu '${String(payload.htu)}' does not match the request URL.`);
  if (typeof payload.iat !== "number" || Math.abs(payload.iat - expect.now / 1000) > expect.maxSkewSeconds)
    throw new DpopProofError("The DPoP proof iat is missing or too far from the server's time.");
  if (typeof payload.jti !== "string" || payload.jti === "")
    throw new DpopProofError("The DPoP proof jti is missing.");
  if (expect.replayed(payload.jti)) throw new DpopProofError("The DPoP proof jti was already used.");
  if (expect.accessToken !== undefined) {
    const ath = createHash("sha256").update(expect.accessToken).digest("base64url");
    if (payload.ath !== ath)
      throw new DpopProofError("The DPoP proof ath does not match the access token's hash.");
  }
  const nonce = typeof payload.nonce === "string" ? payload.nonce : undefined;
  if (expect.nonceValid !== undefined && !expect.nonceValid(nonce)) throw new NonceRequired();
  return { jkt: await calculateJwkThumbprint(jwk) };
}

/** The proof lacks the server's current nonce: answer `use_dpop_nonce` with a new `DPoP-Nonce`. */
export class NonceRequired extends DpopProofError {
  override name = "NonceRequired";
  constructor() {
    super("Authorization server requires nonce in DPoP proof.");
  }
}
