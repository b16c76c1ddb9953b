import { Type } from "typebox";
import { addressKey } from "../addresses/address.ts";
import type { Context } from "../context.ts";
import { AppError, assertThat } from "../errors.ts";
import { errors, Message } from "../http/schemas.ts";
import type { App } from "../http/types.ts";
import { findInvitationBySecret } from "../invitations/lookup.ts";
import { callAuth, callAuthWithCookies } from "./forward.ts";
import { provenAddress } from "./proven.ts";
import { accountEmail, Email, Name, Password, UserBody, userOut } from "./schemas.ts";
import { requireUser, type SignedInUser } from "./session.ts";
import { accountSettingsRoutes } from "./settings-routes.ts";

const SENT = "If the address can receive mail, a message is on its way.";

/** True when a pending, unexpired invitation link was mailed to this address. */
async function invitationProves(ctx: Context, secret: string, key: string): Promise<boolean> {
  const invitation = await findInvitationBySecret(ctx.db, secret);

  return (
    invitation !== null &&
    invitation.status === "pending" &&
    invitation.expiresAt > ctx.clock.now() &&
    invitation.emailKey === key
  );
}

export async function accountRoutes(app: App, ctx: Context): Promise<void> {
  await accountSettingsRoutes(app, ctx);

  app.post(
    "/auth/sign-up",
    {
      schema: {
        operationId: "signUp",
        tags: ["accounts"],
        summary: "Create an account with email and password",
        description:
          "Answers 202 and mails a verification link. With the secret of an invitation mailed " +
          "to the same address, the address counts as verified: the account is signed in " +
          "at once (201) and can accept the invitation. An address that already has an " +
          "account gets the same 202 answer, and its owner is told by mail.",
        body: Type.Object({
          name: Name,
          email: Email,
          password: Password,
          invitationSecret: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 201: UserBody, 202: Message, ...errors() },
      },
    },
    async (request, reply) => {
      const { name, password, invitationSecret } = request.body;
      const email = accountEmail(request.body.email);
      const existing = await ctx.db.query(`select 1 from "user" where email = $1`, [email]);
      const proven =
        invitationSecret !== undefined &&
        existing.rowCount === 0 &&
        (await invitationProves(ctx, invitationSecret, email));

      const signUp = () =>
        callAuth(ctx, request, undefined, {
          method: "POST",
          path: "/sign-up/email",
          body: { name, email, password },
        });
      await (proven ? provenAddress.run(email, signUp) : signUp());
      if (!proven) return reply.code(202).send({ message: `${SENT} Follow its link to verify.` });

      const signedIn = await callAuth<{ user: SignedInUser }>(ctx, request, reply, {
        method: "POST",
        path: "/sign-in/email",
        body: { email, password },
      });

      return reply.code(201).send({ user: userOut(signedIn.user) });
    },
  );

  app.post(
    "/auth/sign-in",
    {
      schema: {
        operationId: "signIn",
        tags: ["accounts"],
        summary: "Sign in; sets the session cookie",
        description:
          "Also answers with a `set-auth-token` header: a session token that scripts may " +
          "send as `Authorization: Bearer`. Rate-limited per client address.",
        body: Type.Object({ email: Email, password: Password }),
        response: { 200: UserBody, ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      const key = addressKey(request.body.email);
      if (!key) throw new AppError("auth.invalid_credentials");

      const result = await callAuth<{ user: SignedInUser }>(ctx, request, reply, {
        method: "POST",
        path: "/sign-in/email",
        body: { email: key, password: request.body.password },
      });

      return { user: userOut(result.user) };
    },
  );

  app.post(
    "/auth/sign-out",
    {
      schema: {
        operationId: "signOut",
        tags: ["accounts"],
        summary: "End the current session",
        response: { 200: Message, ...errors(401) },
      },
    },
    async (request, reply) => {
      await requireUser(ctx, request);
      await callAuth(ctx, request, reply, { method: "POST", path: "/sign-out", body: {} });

      return { message: "Signed out." };
    },
  );

  app.get(
    "/auth/me",
    {
      schema: {
        operationId: "getMe",
        tags: ["accounts"],
        summary: "The signed-in account",
        response: { 200: UserBody, ...errors(401) },
      },
    },
    async (request) => ({ user: userOut(await requireUser(ctx, request)) }),
  );

  app.post(
    "/auth/verify-email",
    {
      schema: {
        operationId: "verifyEmail",
        tags: ["accounts"],
        summary: "Verify an address with the token from the emailed link; signs in",
        description:
          "Also completes a change of address (changeEmail): the account's address becomes " +
          "the new one. That link signs no one in; a signed-in session of the same account " +
          "stays signed in.",
        body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 2000 }) }),
        response: { 200: UserBody, ...errors() },
      },
    },
    async (request, reply) => {
      const { body, cookie } = await callAuthWithCookies<{ user?: SignedInUser | null }>(
        ctx,
        request,
        reply,
        { method: "GET", path: "/verify-email", query: { token: request.body.token } },
      );
      const session = cookie
        ? await ctx.auth.api.getSession({ headers: new Headers({ cookie }) })
        : null;
      // A change of address answers with the account even when nobody is signed in.
      const user = session?.user ?? body?.user;
      assertThat(user, "auth.invalid_link");

      return { user: userOut(user) };
    },
  );

  app.post(
    "/auth/send-verification-email",
    {
      schema: {
        operationId: "sendVerificationEmail",
        tags: ["accounts"],
        summary: "Send the verification link again",
        body: Type.Object({ email: Email }),
        response: { 202: Message, ...errors() },
      },
    },
    async (request, reply) => {
      const key = addressKey(request.body.email);
      if (key) {
        await callAuth(ctx, request, undefined, {
          method: "POST",
          path: "/send-verification-email",
          body: { email: key },
        }).catch((error: unknown) => {
          // Unknown or already verified addresses get the same answer as any other.
          if (error instanceof AppError && error.code === "auth.rate_limited") throw error;
        });
      }

      return reply.code(202).send({ message: SENT });
    },
  );

  app.post(
    "/auth/request-password-reset",
    {
      schema: {
        operationId: "requestPasswordReset",
        tags: ["accounts"],
        summary: "Mail a password reset link",
        description: "The same answer whether or not the address has an account.",
        body: Type.Object({ email: Email }),
        response: { 202: Message, ...errors() },
      },
    },
    async (request, reply) => {
      const key = addressKey(request.body.email);
      if (key) {
        await callAuth(ctx, request, undefined, {
          method: "POST",
          path: "/request-password-reset",
          body: { email: key },
        });
      }

      return reply.code(202).send({ message: SENT });
    },
  );

  app.post(
    "/auth/reset-password",
    {
      schema: {
        operationId: "resetPassword",
        tags: ["accounts"],
        summary: "Set a new password with the token from the emailed link",
        description: "Ends every session of the account.",
        body: Type.Object({
          token: Type.String({ minLength: 1, maxLength: 2000 }),
          password: Password,
        }),
        response: { 200: Message, ...errors() },
      },
    },
    async (request) => {
      await callAuth(ctx, request, undefined, {
        method: "POST",
        path: "/reset-password",
        body: { token: request.body.token, newPassword: request.body.password },
      });

      return { message: "Your password has been changed; sign in with it." };
    },
  );
}
