import { Type } from "typebox";
import type { Context } from "../context.ts";
import { assertThat } from "../errors.ts";
import { errors, Message, Nullable, Timestamp } from "../http/schemas.ts";
import type { App } from "../http/types.ts";
import { callAuth, confirmPassword, WRONG_PASSWORD } from "./forward.ts";
import { findSessionToken } from "./queries.ts";
import { accountEmail, Email, Name, Password, UserBody, userOut } from "./schemas.ts";
import { deleteAccount } from "./service.ts";
import { requireSession, requireUser } from "./session.ts";

const Session = Type.Object({
  id: Type.String({ description: "What revokeSession takes; never the session token" }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  expiresAt: Timestamp,
  ipAddress: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  current: Type.Boolean({ description: "True for the session that made this request" }),
});

/** A session as the library lists it, token included. */
interface LibrarySession {
  id: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  ipAddress?: string | null;
  userAgent?: string | null;
}

function sessionOut(session: LibrarySession, currentId: string) {
  return {
    id: session.id,
    createdAt: new Date(session.createdAt).toISOString(),
    updatedAt: new Date(session.updatedAt).toISOString(),
    expiresAt: new Date(session.expiresAt).toISOString(),
    ipAddress: session.ipAddress ?? null,
    userAgent: session.userAgent ?? null,
    current: session.id === currentId,
  };
}

/** Account settings: name, password, address, sessions, and deleting the account. */
export async function accountSettingsRoutes(app: App, ctx: Context): Promise<void> {
  app.patch(
    "/auth/me",
    {
      schema: {
        operationId: "updateMe",
        tags: ["accounts"],
        summary: "Change the signed-in account's name",
        body: Type.Object({ name: Name }),
        response: { 200: UserBody, ...errors(401) },
      },
    },
    async (request, reply) => {
      await requireUser(ctx, request);
      await callAuth(ctx, request, reply, {
        method: "POST",
        path: "/update-user",
        body: { name: request.body.name },
      });

      return { user: userOut(await requireUser(ctx, request)) };
    },
  );

  app.post(
    "/auth/change-password",
    {
      schema: {
        operationId: "changePassword",
        tags: ["accounts"],
        summary: "Change the password, knowing the current one",
        description:
          "A wrong current password answers auth.invalid_credentials. With `endOtherSessions`, " +
          "every other session of the account ends and this one gets a new cookie. " +
          "Rate-limited per client address.",
        body: Type.Object({
          currentPassword: Password,
          newPassword: Password,
          endOtherSessions: Type.Optional(Type.Boolean()),
        }),
        response: { 200: Message, ...errors(401) },
      },
    },
    async (request, reply) => {
      const { currentPassword, newPassword, endOtherSessions } = request.body;
      await requireUser(ctx, request);
      await callAuth(ctx, request, reply, {
        method: "POST",
        path: "/change-password",
        body: { currentPassword, newPassword, revokeOtherSessions: endOtherSessions ?? false },
        codes: WRONG_PASSWORD,
      });

      return { message: "Your password has been changed." };
    },
  );

  app.post(
    "/auth/change-email",
    {
      schema: {
        operationId: "changeEmail",
        tags: ["accounts"],
        summary: "Change the address: mails a link to the new one",
        description:
          "The account keeps its address until the link mailed to the new address is followed " +
          "(verifyEmail). The same 202 answer whether or not the new address already has an " +
          "account; then no mail goes out. Rate-limited per client address.",
        body: Type.Object({ email: Email }),
        response: { 202: Message, ...errors(401) },
      },
    },
    async (request, reply) => {
      const user = await requireUser(ctx, request);
      const email = accountEmail(request.body.email);
      assertThat(email !== user.email, "auth.same_email");

      await callAuth(ctx, request, undefined, {
        method: "POST",
        path: "/change-email",
        body: { newEmail: email },
      });

      return reply.code(202).send({
        message: "If the address can receive mail, a message is on its way. Follow its link.",
      });
    },
  );

  app.get(
    "/auth/sessions",
    {
      schema: {
        operationId: "listSessions",
        tags: ["accounts"],
        summary: "The account's live sessions, newest first",
        description:
          "Needs a session signed in within the last day (auth.session_not_fresh otherwise).",
        response: { 200: Type.Object({ sessions: Type.Array(Session) }), ...errors(401) },
      },
    },
    async (request) => {
      const { sessionId } = await requireSession(ctx, request);
      const sessions = await callAuth<LibrarySession[]>(ctx, request, undefined, {
        method: "GET",
        path: "/list-sessions",
      });

      const out = sessions.map((session) => sessionOut(session, sessionId));
      out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));

      return { sessions: out };
    },
  );

  app.delete(
    "/auth/sessions/:sessionId",
    {
      schema: {
        operationId: "revokeSession",
        tags: ["accounts"],
        summary: "End one of the account's sessions",
        description: "Ending the current session signs this client out.",
        params: Type.Object({ sessionId: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 204: Type.Null(), ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      const { user } = await requireSession(ctx, request);
      const token = await findSessionToken(ctx.db, user.id, request.params.sessionId);
      assertThat(token, "auth.session_not_found");

      await callAuth(ctx, request, reply, {
        method: "POST",
        path: "/revoke-session",
        body: { token },
      });

      return reply.code(204).send(null);
    },
  );

  app.delete(
    "/auth/me",
    {
      schema: {
        operationId: "deleteAccount",
        tags: ["accounts"],
        summary: "Delete the signed-in account",
        description:
          "Needs the password. Refused with account.last_owner (details.organizations) while " +
          "the account is the only owner of an organization. Otherwise every membership ends " +
          "as on leaving, with its seats and tokens, and the account and its sessions go.",
        body: Type.Object({ password: Password }),
        response: { 204: Type.Null(), ...errors(401, 409) },
      },
    },
    async (request, reply) => {
      const user = await requireUser(ctx, request);
      await confirmPassword(ctx, request, request.body.password);
      await deleteAccount(ctx, user.id);

      // The session is gone with the account; this only clears the client's cookies.
      await callAuth(ctx, request, reply, { method: "POST", path: "/sign-out", body: {} });

      return reply.code(204).send(null);
    },
  );
}
