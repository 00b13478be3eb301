import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";

/**
 * A fresh RS256 key pair for a service app, as Okta's console generates one (Client Credentials >
 * Public keys > Generate new key): the private JWK goes to the client, the public one is registered with
 * the app. Made at run time, never stored in the repository.
 */
export async function generateServiceAppKey(): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" },
    publicJwk: { ...publicJwk, kid, alg: "RS256", use: "sig" },
  };
}
