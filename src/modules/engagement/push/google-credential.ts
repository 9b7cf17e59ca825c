import https from 'node:https';
import jwt from 'jsonwebtoken';
import type { Credential, GoogleOAuthAccessToken } from 'firebase-admin/app';

const SCOPES = ['https://www.googleapis.com/auth/firebase.messaging', 'https://www.googleapis.com/auth/cloud-platform'];
const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';

/**
 * A service-account credential for firebase-admin: Google's OAuth2 JWT-bearer grant (RFC 7523),
 * an RS256 assertion signed with the account's private key, posted to its token_uri.
 * Used instead of firebase-admin's cert() because that one fetches through gaxios 7, which loads
 * node-fetch by dynamic ESM import (fails under Jest's CommonJS runtime) and ignores the agent for
 * object credentials. firebase-admin caches the token and asks again before it expires.
 */
export class ServiceAccountJwtCredential implements Credential {
  constructor(
    private readonly sa: Record<string, string>,
    private readonly agent?: https.Agent,
  ) {}

  async getAccessToken(): Promise<GoogleOAuthAccessToken> {
    const tokenUri = this.sa.token_uri || DEFAULT_TOKEN_URI;
    const now = Math.floor(Date.now() / 1000);
    const assertion = jwt.sign({ iss: this.sa.client_email, scope: SCOPES.join(' '), aud: tokenUri, iat: now, exp: now + 3600 }, this.sa.private_key, {
      algorithm: 'RS256',
      keyid: this.sa.private_key_id,
    });
    const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString();
    const { status, json } = await postForm(tokenUri, body, this.agent);
    if (status !== 200 || typeof json.access_token !== 'string') {
      throw new Error(`token exchange failed: HTTP ${status} ${String(json.error ?? '')} ${String(json.error_description ?? '')}`.trim());
    }
    return { access_token: json.access_token, expires_in: Number(json.expires_in ?? 3600) };
  }
}

function postForm(url: string, body: string, agent?: https.Agent): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'POST',
        agent,
        timeout: 15_000,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(Buffer.concat(chunks).toString());
          } catch {
            /* not JSON: reported by status */
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('token request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
