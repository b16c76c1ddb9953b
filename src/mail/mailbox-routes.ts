import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { Context } from "../context.ts";
import { AppError } from "../errors.ts";
import { errors, Timestamp } from "../http/schemas.ts";
import type { App } from "../http/types.ts";
import { escapeHtml } from "./templates/layout.ts";

const MailEntry = Type.Object({
  id: Type.Number(),
  to: Type.String(),
  subject: Type.String(),
  text: Type.String(),
  html: Type.String(),
  createdAt: Timestamp,
});

interface MailRow {
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string;
  createdAt: Date;
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?$/i;

/**
 * Only this machine may read the mailbox: the socket's own peer must be loopback (not a
 * forwarded header), and so must the Host the browser asked for, so that a page on another
 * site cannot reach it by pointing a name of its own at 127.0.0.1.
 */
function requireLoopback(request: FastifyRequest, reply: FastifyReply): void {
  const peer = request.socket.remoteAddress ?? "";
  const loopback = peer === "::1" || peer.startsWith("127.") || peer.startsWith("::ffff:127.");
  const host = LOOPBACK_HOST.test(request.headers.host ?? "");
  if (!loopback || !host || request.headers["x-forwarded-for"]) {
    throw new AppError("mailbox.unavailable");
  }

  reply.header("cache-control", "no-store").header("x-frame-options", "DENY");
}

async function latest(ctx: Context, to: string | undefined): Promise<MailRow[]> {
  const result = await ctx.db.query<MailRow>(
    `select mail_id as id, recipient as "to", subject, text_body as text, html_body as html,
            created_at as "createdAt"
       from mailbox where ($1::text is null or recipient = $1)
      order by mail_id desc limit 200`,
    [to ?? null],
  );

  return result.rows;
}

function page(mails: MailRow[]): string {
  const items = mails.map((mail) => {
    const text = escapeHtml(mail.text).replace(
      /https?:\/\/[^\s<>"]+/g,
      (link) => `<a href="${link}">${link}</a>`,
    );
    return `<article><h2>${escapeHtml(mail.subject)}</h2>
<p>To ${escapeHtml(mail.to)}, ${mail.createdAt.toISOString()}</p><pre>${text}</pre></article>`;
  });

  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Development mailbox</title></head><body style="font-family: sans-serif">
<h1>Development mailbox</h1>
<p>Mail that Tessera sent while no SMTP server is configured, newest first.</p>
${items.join("\n") || "<p>No mail yet.</p>"}
</body></html>`;
}

/** The development mailbox, an API list and a page; registered only without SMTP_URL. */
export async function mailboxRoutes(app: App, ctx: Context): Promise<void> {
  app.get(
    "/api/v1/dev/mailbox",
    {
      schema: {
        operationId: "listMailbox",
        tags: ["development"],
        summary: "Mail kept by the development mailbox (loopback clients only, no SMTP_URL)",
        description:
          "The newest 200 mails first; `to` filters by recipient (the address key, any case).",
        querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 320 })) }),
        response: { 200: Type.Object({ mails: Type.Array(MailEntry) }), ...errors(404) },
      },
    },
    async (request, reply) => {
      requireLoopback(request, reply);
      const mails = await latest(ctx, request.query.to?.toLowerCase());

      return { mails: mails.map((mail) => ({ ...mail, createdAt: mail.createdAt.toISOString() })) };
    },
  );

  app.get("/dev/mailbox", { schema: { hide: true } }, async (request, reply) => {
    requireLoopback(request, reply);

    return reply.type("text/html; charset=utf-8").send(page(await latest(ctx, undefined)));
  });
}
