import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import jwt from "jsonwebtoken";

export const TEST_APP_ID = "3f1c2a9e-0b7d-4c55-9d0e-7a1b2c3d4e5f";
export const TEST_TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

function newKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { kid, privateKey, publicJwk: { ...publicKey.export({ format: "jwk" }), kid, use: "sig", alg: "RS256" } };
}

/**
 * A loopback Entra authority: OpenID metadata and the JWKS that the Agents SDK fetches at
 * `{authority}/{tenant}/discovery/v2.0/keys`, plus a signer for tokens shaped like Azure Bot Service's.
 * Give `authority` to the adapter as its `authorityEndpoint`.
 */
export async function startTestAuthority(tenantId = TEST_TENANT_ID) {
  const trusted = newKey("binome-test-key");
  const stranger = newKey("stranger-key");
  let keyRequests = 0;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://authority").pathname;
    const json = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (path === `/${tenantId}/v2.0/.well-known/openid-configuration`) {
      return json({
        issuer: issuer,
        jwks_uri: `${authority}/${tenantId}/discovery/v2.0/keys`,
        id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    if (path === `/${tenantId}/discovery/v2.0/keys`) {
      keyRequests += 1;
      return json({ keys: [trusted.publicJwk] });
    }
    res.writeHead(404);
    res.end();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const authority = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${authority}/${tenantId}/v2.0`;

  return {
    authority,
    issuer,
    get keyRequests() {
      return keyRequests;
    },
    /**
     * A bearer token for a request from the Bot Connector at `serviceUrl`. Options spoil one property
     * at a time: sign with a key the JWKS does not serve, another audience, an expiry in the past.
     */
    token(
      serviceUrl: string,
      options: {
        key?: "trusted" | "unknown";
        audience?: string;
        expiresInSeconds?: number;
        issuer?: string;
        serviceUrlClaim?: string | null;
      } = {},
    ): string {
      const key = options.key === "unknown" ? stranger : trusted;
      const now = Math.floor(Date.now() / 1000);
      const claims: Record<string, unknown> = {
        iss: options.issuer ?? issuer,
        aud: options.audience ?? TEST_APP_ID,
        iat: now - 60,
        nbf: now - 60,
        exp: now + (options.expiresInSeconds ?? 3600),
      };
      if (options.serviceUrlClaim !== null) claims.serviceurl = options.serviceUrlClaim ?? serviceUrl;
      return jwt.sign(claims, key.privateKey, { algorithm: "RS256", keyid: key.kid });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type TestAuthority = Awaited<ReturnType<typeof startTestAuthority>>;
