import { expect } from "vitest";
import type { Client } from "./client.ts";
import type { TestServer } from "./server.ts";

export const PASSWORD = "a long enough password";

function tokenFrom(link: string): string {
  const token = new URL(link).searchParams.get("token");
  if (!token) throw new Error(`no token in ${link}`);

  return token;
}

/** Signs a new person up, follows the verification link from the mail, and returns them signed in. */
export async function signUpVerified(
  server: TestServer,
  email: string,
  name = email.split("@")[0] ?? "someone",
): Promise<Client> {
  const client = server.client();
  const signUp = await client.post("/api/v1/auth/sign-up", { name, email, password: PASSWORD });
  expect(signUp.status).toBe(202);

  await server.deliverMail();
  const mail = await server.smtp.waitFor(email.toLowerCase(), /Verify your email/);
  const link = mail.links.find((l) => l.includes("/verify-email"));
  const verified = await client.post("/api/v1/auth/verify-email", { token: tokenFrom(link ?? "") });
  expect(verified.body).toMatchObject({ user: { email: email.toLowerCase() } });
  expect(verified.status).toBe(200);
  expect(client.signedIn).toBe(true);

  return client;
}

export { tokenFrom };
