import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { parseAddress } from "../addresses/address.ts";
import type { Queryable } from "../db/database.ts";
import { organization, person, unique } from "../../test/helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";
import { inviteAddresses, type InvitationEntry, type InviteInput } from "./service.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

function entries(addresses: readonly string[]): InvitationEntry[] {
  return addresses.map((input) => ({ input, address: parseAddress(input) }));
}

/** A transaction that notes every statement sent through it. */
function counting(tx: Queryable, before?: (text: string) => Promise<void>) {
  const texts: string[] = [];
  const wrapped: Queryable = {
    async query<T>(text: string, params?: readonly unknown[]) {
      texts.push(text);
      await before?.(text);
      return tx.query<T>(text, params);
    },
    exec: (script) => tx.exec(script),
  };

  return { tx: wrapped, texts };
}

async function setUp() {
  const owner = await person(server, "owner");
  const orgId = await organization(server, owner);

  return { owner, orgId };
}

async function queuedMails(domain: string) {
  const result = await server.tessera.ctx.db.query<{ count: number }>(
    `select count(*)::int as count from jobs
      where kind = 'mail.send' and payload->>'template' = 'invitation'
        and payload->>'to' like $1`,
    [`%@${domain}`],
  );

  return result.rows[0]?.count;
}

describe("inviteAddresses", () => {
  it("invites 2,000 addresses in one call with as many statements as for two", async () => {
    const { owner, orgId } = await setUp();
    const ctx = server.tessera.ctx;
    const domain = `bulk-${unique()}.example`;
    const addresses = Array.from({ length: 2000 }, (_, i) => `user${i}@${domain}`);
    // Delivering 2,000 mails would only hold up the mail of the tests that follow.
    onTestFinished(async () => {
      await ctx.db.query(`delete from jobs where payload->>'to' like $1`, [`%@${domain}`]);
    });
    const run = (list: string[]) => {
      const input: InviteInput = {
        orgId,
        inviterId: owner.userId,
        entries: entries(list),
        role: "member",
        seatProduct: null,
      };
      return ctx.db.transaction(async (tx) => {
        const counted = counting(tx);
        const results = await inviteAddresses(counted.tx, ctx, input);
        return { results, statements: counted.texts.length };
      });
    };

    const small = await run([`a@small-${domain}`, `b@small-${domain}`]);
    const bulk = await run(addresses);

    expect(bulk.results).toHaveLength(2000);
    expect(bulk.results.every((r) => r.outcome === "invited")).toBe(true);
    expect(bulk.results[1999]).toMatchObject({ input: `user1999@${domain}`, outcome: "invited" });
    expect(bulk.statements).toBe(small.statements);
    expect(await queuedMails(domain)).toBe(2000);
    const stored = await ctx.db.query<{ count: number }>(
      `select count(*)::int as count from invitations i
         join invitation_secrets s using (org_id, invitation_id)
        where i.org_id = $1 and i.email_key like $2`,
      [orgId, `%@${domain}`],
    );
    expect(stored.rows[0]?.count).toBe(2000);

    const again = await run(addresses);
    expect(again.results.every((r) => r.outcome === "already_invited")).toBe(true);
    expect(await queuedMails(domain)).toBe(2000);
  });

  it("reports an address another request invited meanwhile as already invited", async () => {
    const { owner, orgId } = await setUp();
    const ctx = server.tessera.ctx;
    const domain = `race-${unique()}.example`;

    const results = await ctx.db.transaction(async (tx) => {
      // Another request's invitation lands between the classification and the insert.
      const counted = counting(tx, async (text) => {
        if (!text.trimStart().startsWith("insert into invitations (")) return;
        await tx.query(
          `insert into invitations (org_id, email, email_key, expires_at)
           values ($1, $2, $2, $3)`,
          [orgId, `raced@${domain}`, new Date(ctx.clock.now().getTime() + 60_000)],
        );
      });
      return inviteAddresses(counted.tx, ctx, {
        orgId,
        inviterId: owner.userId,
        entries: entries([`calm@${domain}`, `raced@${domain}`]),
        role: "member",
        seatProduct: null,
      });
    });

    expect(results.map((r) => r.outcome)).toEqual(["invited", "already_invited"]);
    expect(await queuedMails(domain)).toBe(1);
  });
});
