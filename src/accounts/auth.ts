import argon2 from "argon2";
import { betterAuth } from "better-auth";
import { APIError } from "better-auth/api";
import { bearer } from "better-auth/plugins";
import type { FastifyBaseLogger } from "fastify";
import type { Config } from "../config.ts";
import type { Database } from "../db/database.ts";
import { enqueueMail, MAIL_PRIORITY } from "../mail/outbox.ts";
import type { Sealer } from "../mail/sealing.ts";
import { provenAddress } from "./proven.ts";

/** Where our routes mount the library's handler; nothing outside the process calls it. */
export const AUTH_BASE_PATH = "/api/auth";

/** Header that carries the client address Fastify resolved, for the library's rate limit. */
export const CLIENT_IP_HEADER = "x-tessera-client-ip";

// OWASP's Argon2id parameters (type 2 is Argon2id): 19 MiB, two passes, one lane.
const ARGON2 = { type: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

interface AuthDeps {
  config: Config;
  db: Database;
  sealer: Sealer;
  log?: FastifyBaseLogger;
}

function errorName(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${(error as { code?: string }).code ?? ""}`;

  return "unknown";
}

function mailer({ db, sealer }: AuthDeps) {
  return (
    template: "verify-email" | "reset-password" | "account-exists" | "change-email",
    to: string,
    params: Record<string, string>,
    secrets?: Record<string, string>,
  ) =>
    enqueueMail(db, sealer, [
      { template, to, params, ...(secrets ? { secrets } : {}), priority: MAIL_PRIORITY.account },
    ]);
}

/**
 * True when the library mails a verification link to an address the account does not have yet:
 * the last step of changing an account's email address, which only the link completes.
 */
async function isNewAddress(db: Database, user: { id: string; email: string }): Promise<boolean> {
  const result = await db.query(`select 1 from "user" where id = $1 and email <> $2`, [
    user.id,
    user.email,
  ]);

  return (result.rowCount ?? 0) > 0;
}

/**
 * The auth library, configured: email and password with verification by link, reset by link,
 * cookie sessions (and bearer session tokens for scripts), rate limits kept in the database.
 * Its mail hooks write our outbox, with our own links to the web pages.
 */
export function createAuth(deps: AuthDeps) {
  const { config, db } = deps;
  const send = mailer(deps);
  const secure = config.publicUrl.startsWith("https:");

  return betterAuth({
    appName: "Tessera",
    baseURL: config.publicUrl,
    basePath: AUTH_BASE_PATH,
    secret: config.secret,
    trustedOrigins: [new URL(config.publicUrl).origin],
    database: {
      dialect: db.dialect,
      type: "postgres",
      ...(db.kind === "server" ? { transaction: true } : {}),
    },
    telemetry: { enabled: false },
    logger: { disabled: true },
    // The library's own error dump would print queries with their parameters: log only what
    // failed, through our logger.
    onAPIError: {
      onError: (error) => deps.log?.error({ error: errorName(error) }, "auth library error"),
    },
    emailAndPassword: {
      enabled: true,
      requireEmailVerification: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 3600,
      password: {
        hash: (password) => argon2.hash(password, ARGON2),
        verify: ({ hash, password }) => argon2.verify(hash, password),
      },
      sendResetPassword: async ({ user, token }) => {
        await send(
          "reset-password",
          user.email,
          { name: user.name },
          {
            link: `${config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`,
          },
        );
      },
      onExistingUserSignUp: async ({ user }) => {
        await send(
          "account-exists",
          user.email,
          { name: user.name },
          {
            link: `${config.publicUrl}/forgot-password`,
          },
        );
      },
    },
    emailVerification: {
      sendOnSignUp: true,
      sendOnSignIn: true,
      autoSignInAfterVerification: true,
      expiresIn: 86_400,
      sendVerificationEmail: async ({ user, token }) => {
        const link = `${config.publicUrl}/verify-email?token=${encodeURIComponent(token)}`;
        if (await isNewAddress(db, user)) {
          await send("change-email", user.email, { name: user.name }, { link });
          return;
        }
        if (user.emailVerified) return;
        await send("verify-email", user.email, { name: user.name }, { link });
      },
    },
    // A verified account's new address counts once the link mailed to it is followed; no
    // confirmation goes to the old address first.
    user: { changeEmail: { enabled: true } },
    databaseHooks: {
      user: {
        create: {
          before: async (user) => {
            if (provenAddress.getStore() !== user.email) return;
            return { data: { ...user, emailVerified: true } };
          },
        },
        update: {
          // A sign-up took the new address after its link was mailed: the link no longer works.
          before: async (user) => {
            if (typeof user.email !== "string") return;
            const taken = await db.query(`select 1 from "user" where email = $1`, [user.email]);
            if ((taken.rowCount ?? 0) > 0) {
              throw new APIError("BAD_REQUEST", {
                code: "INVALID_TOKEN",
                message: "Invalid token",
              });
            }
          },
        },
      },
    },
    session: { expiresIn: 30 * 86_400, updateAge: 86_400 },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 1000,
      customRules: Object.fromEntries(
        [
          "/sign-in/email",
          "/sign-up/email",
          "/request-password-reset",
          "/send-verification-email",
        ].map((path) => [
          path,
          { window: config.signInRateLimit.windowSeconds, max: config.signInRateLimit.max },
        ]),
      ),
    },
    advanced: {
      cookiePrefix: "tessera",
      useSecureCookies: secure,
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", secure },
    },
    plugins: [bearer()],
  });
}

export type Auth = ReturnType<typeof createAuth>;
