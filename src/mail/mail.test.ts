import { get } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpVerified } from "../../test/helpers/people.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";
import { enqueueMail, MAIL_PRIORITY } from "./outbox.ts";
import { Sealer } from "./sealing.ts";

describe("the outbox", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.stop();
  });

  it("keeps a mail's link sealed until delivery and erases it after", async () => {
    const client = server.client();
    await client.post("/api/v1/auth/sign-up", {
      name: "Sealed",
      email: "sealed@example.com",
      password: "a long enough password",
    });

    const db = server.tessera.ctx.db;
    const queued = await db.query<{ payload: string }>(
      `select payload::text as payload from jobs where payload->>'to' = 'sealed@example.com'`,
    );
    expect(queued.rows).toHaveLength(1);
    expect(queued.rows[0]?.payload).not.toContain("token=");
    expect(queued.rows[0]?.payload).toContain('"sealed"');

    await server.deliverMail();
    const mail = await server.smtp.waitFor("sealed@example.com", /Verify/);
    expect(mail.links[0]).toContain("/verify-email?token=");
    expect(mail.html).toContain('<a href="');

    const sent = await db.query<{ status: string; payload: Record<string, unknown> }>(
      `select status, payload from jobs where payload->>'to' = 'sealed@example.com'`,
    );
    expect(sent.rows[0]?.status).toBe("done");
    expect(sent.rows[0]?.payload).not.toHaveProperty("sealed");
  });

  it("sends account mail before bulk invitation mail", async () => {
    const { db, sealer } = server.tessera.ctx;
    await enqueueMail(db, sealer, [
      {
        template: "member-removed",
        to: "bulk@example.com",
        params: { name: "B", organization: "O" },
        priority: MAIL_PRIORITY.invitation,
      },
    ]);
    await enqueueMail(db, sealer, [
      {
        template: "member-removed",
        to: "account@example.com",
        params: { name: "A", organization: "O" },
        priority: MAIL_PRIORITY.account,
      },
    ]);
    const before = server.smtp.mails.length;
    await server.deliverMail();

    const order = server.smtp.mails
      .slice(before)
      .map((mail) => mail.to)
      .filter((to) => ["account@example.com", "bulk@example.com"].includes(to));
    expect(order).toEqual(["account@example.com", "bulk@example.com"]);
  });

  it("retries with backoff when the SMTP server is away", async () => {
    const { db, sealer } = server.tessera.ctx;
    await server.smtp.stop();
    await enqueueMail(db, sealer, [
      {
        template: "member-removed",
        to: "later@example.com",
        params: { name: "L", organization: "O" },
        priority: 10,
      },
    ]);
    await server.deliverMail();

    const failed = await db.query<{
      status: string;
      attempts: number;
      lastError: string;
      wait: number;
    }>(
      `select status, attempts, last_error as "lastError",
              extract(epoch from run_at - now())::int as wait
         from jobs where payload->>'to' = 'later@example.com'`,
    );
    expect(failed.rows[0]).toMatchObject({ status: "queued", attempts: 1 });
    expect(failed.rows[0]?.wait).toBeGreaterThanOrEqual(1);
    expect(failed.rows[0]?.lastError).toMatch(/ECONNREFUSED|connect/);
  });
});

describe("the sealer", () => {
  it("opens what it sealed, and nothing sealed with another secret", () => {
    const sealer = new Sealer("a".repeat(40));
    const sealed = sealer.seal({ link: "https://example.com/secret" });

    expect(sealed).not.toContain("example.com");
    expect(sealer.open(sealed)).toEqual({ link: "https://example.com/secret" });
    expect(() => new Sealer("b".repeat(40)).open(sealed)).toThrow();
  });
});

describe("the development mailbox", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ mailbox: true });
  });

  afterAll(async () => {
    await server.stop();
  });

  it("keeps mail for loopback clients, as an API and a page with clickable links", async () => {
    await signUpVerified(server, "mailbox@example.com").catch(() => {});
    await server.client().post("/api/v1/auth/sign-up", {
      name: "Box",
      email: "box@example.com",
      password: "a long enough password",
    });
    await server.deliverMail();

    const list = await server.client().get("/api/v1/dev/mailbox?to=box@example.com");
    expect(list.status).toBe(200);
    expect(list.body.mails).toHaveLength(1);
    expect(list.body.mails[0].subject).toBe("Verify your email address for Tessera");
    expect(list.body.mails[0].text).toContain("/verify-email?token=");

    const page = await server.client().get("/dev/mailbox");
    expect(page.status).toBe(200);
    expect(page.body).toContain('<a href="http://127.0.0.1');
  });

  it("refuses a Host that is not loopback, as a rebinding page would send", async () => {
    // fetch will not send a Host of our choosing; node:http will.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const url = new URL(`${server.url}/api/v1/dev/mailbox`);
      get(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          headers: { host: "evil.example" },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      ).on("error", reject);
    });

    expect(status).toBe(404);
  });

  it("refuses requests that came through a proxy", async () => {
    const answer = await server
      .client()
      .get("/api/v1/dev/mailbox", { "x-forwarded-for": "203.0.113.9" });

    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe("mailbox.unavailable");
  });
});

describe("with SMTP_URL set", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.stop();
  });

  it("there is no development mailbox", async () => {
    expect((await server.client().get("/api/v1/dev/mailbox")).status).toBe(404);
    expect((await server.client().get("/dev/mailbox")).status).toBe(404);
  });
});
