import type { FastifyRequest } from "fastify";
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

/** The socket's own peer, not a forwarded header: only this machine may read the mailbox. */
function requireLoopback(request: FastifyRequest): void {
  const peer = request.socket.remoteAddress ?? "";
  const loopback = peer === "::1" || peer.startsWith("127.") || peer.startsWith("::ffff:127.");
  if (!loopback || request.headers["x-forwarded-for"]) throw new AppError("mailbox.unavailable");
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
        querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 320 })) }),
        response: { 200: Type.Object({ mails: Type.Array(MailEntry) }), ...errors(404) },
      },
    },
    async (request) => {
      requireLoopback(request);
      const mails = await latest(ctx, request.query.to);

      return { mails: mails.map((mail) => ({ ...mail, createdAt: mail.createdAt.toISOString() })) };
    },
  );

  app.get("/dev/mailbox", { schema: { hide: true } }, async (request, reply) => {
    requireLoopback(request);

    return reply.type("text/html; charset=utf-8").send(page(await latest(ctx, undefined)));
  });
}
