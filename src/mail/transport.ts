import nodemailer from "nodemailer";
import type { Queryable } from "../db/database.ts";

export interface Message {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Where mail finally goes: an SMTP server, or the development mailbox. */
export interface MailTransport {
  readonly kind: "smtp" | "mailbox";
  send(message: Message, jobId: number): Promise<void>;
  close(): Promise<void>;
}

/** SMTP through nodemailer, e.g. `smtp://user:pass@mail.example.com:587`. */
export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url);

  return {
    kind: "smtp",
    async send(message) {
      await transporter.sendMail(message);
    },
    async close() {
      transporter.close();
    },
  };
}

const LINK = /https?:\/\/[^\s<>"]+/g;

/**
 * The development mailbox: mail is kept in the database for the mailbox page, and its links are
 * printed to the console so a person on a laptop can follow them. It holds secrets in the
 * clear, which is why it exists only without SMTP_URL and answers loopback clients only.
 */
export function mailboxTransport(db: Queryable, print: (line: string) => void): MailTransport {
  return {
    kind: "mailbox",
    async send(message, jobId) {
      await db.query(
        `insert into mailbox (job_id, recipient, subject, text_body, html_body)
         values ($1, $2, $3, $4, $5)`,
        [jobId, message.to, message.subject, message.text, message.html],
      );

      const links = [...new Set(message.text.match(LINK) ?? [])];
      print(`mail to ${message.to}: ${message.subject}${links.map((l) => `\n  ${l}`).join("")}`);
    },
    async close() {},
  };
}
