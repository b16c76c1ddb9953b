import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Seals the secrets an outbox row carries (links, tokens) with a key derived from SECRET, so a
 * copy of the database alone does not reveal them. AES-256-GCM; the output is base64url of
 * nonce, tag and ciphertext.
 */
export class Sealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync("sha256", secret, "tessera", "outbox secrets", 32));
  }

  seal(values: Record<string, string>): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, nonce);
    const body = Buffer.concat([cipher.update(JSON.stringify(values), "utf8"), cipher.final()]);

    return Buffer.concat([nonce, cipher.getAuthTag(), body]).toString("base64url");
  }

  open(sealed: string): Record<string, string> {
    const bytes = Buffer.from(sealed, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", this.key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    const body = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);

    return JSON.parse(body.toString("utf8")) as Record<string, string>;
  }
}
