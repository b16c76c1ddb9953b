import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  organization,
  person,
  seat,
  seatedMember,
  subscription,
} from "../../test/helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";
import { sha256 } from "../secrets.ts";
import { isWellFormed } from "./format.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

const tokenPath = (orgId: string) => `/api/v1/organizations/${orgId}/token`;

function channelFor(token: string): string {
  return `${server.tessera.ctx.config.publicUrl}/t/${token}/conda`;
}

async function check(token: string) {
  return server.client().get("/auth/check", { authorization: `Bearer ${token}` });
}

async function auditActions(orgId: string) {
  const result = await server.tessera.ctx.db.query<{ action: string; targetId: string }>(
    `select action, target_id as "targetId" from audit_events where org_id = $1
      order by event_id`,
    [orgId],
  );

  return result.rows;
}

describe("activateToken", () => {
  it("issues a token, shows and mails it once with instructions, keeps a hash", async () => {
    const { member, orgId } = await seatedMember(server);
    const activatedAt = server.clock.now();

    const activated = await member.client.post(tokenPath(orgId));
    expect(activated.status).toBe(201);
    expect(activated.headers.get("cache-control")).toBe("no-store");
    const token = activated.body.token as string;
    expect(isWellFormed(token)).toBe(true);
    const channel = channelFor(token);
    expect(activated.body).toEqual({
      token,
      hint: token.slice(-4),
      products: ["conda"],
      channelUrl: channel,
      instructions: {
        condaConfig: `conda config --add channels ${channel}`,
        condarc: `channels:\n  - ${channel}\n  - defaults`,
      },
    });

    await server.deliverMail();
    const mail = await server.smtp.waitFor(member.email, /token for the package repository/);
    expect(mail.subject).toBe(`Your Organization ${orgId} token for the package repository`);
    expect(mail.text).toContain(`    ${token}\n`);
    expect(mail.text).toContain(`conda config --add channels ${channel}`);
    expect(mail.text).toContain(`    channels:\n      - ${channel}\n      - defaults`);
    expect(mail.text).toContain("Products covered: conda.");

    const mine = await member.client.get(tokenPath(orgId));
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      hasSeat: true,
      products: ["conda"],
      token: {
        status: "active",
        hint: token.slice(-4),
        createdAt: activatedAt.toISOString(),
        lastUsedAt: null,
        usesToday: 0,
      },
    });
    expect(JSON.stringify(mine.body)).not.toContain(token);

    const stored = await server.tessera.ctx.db.query<{ row: string }>(
      `select row_to_json(t)::text as row from tokens t where org_id = $1`,
      [orgId],
    );
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]?.row).not.toContain(token.slice(4, 26));
    const hashes = await server.tessera.ctx.db.query(
      `select 1 from token_hashes where token_hash = $1 and org_id = $2`,
      [sha256(token), orgId],
    );
    expect(hashes.rows).toHaveLength(1);
    expect((await auditActions(orgId)).map((e) => e.action)).toEqual(["token.activated"]);
  });

  it("covers every product the member holds a live seat of", async () => {
    const { member, orgId } = await seatedMember(server);
    const other = await subscription(server, orgId, 2, "other");
    await seat(server, orgId, other, member, "other");

    const activated = await member.client.post(tokenPath(orgId));
    expect(activated.status).toBe(201);
    expect(activated.body.products).toEqual(["conda", "other"]);

    await server.deliverMail();
    const mail = await server.smtp.waitFor(member.email, /token for the package repository/);
    expect(mail.text).toContain("Products covered: conda, other.");
  });

  it("refuses a second token while one is active", async () => {
    const { member, orgId } = await seatedMember(server);
    expect((await member.client.post(tokenPath(orgId))).status).toBe(201);

    const again = await member.client.post(tokenPath(orgId));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("token.exists");
  });

  it("issues exactly one token when activations race", async () => {
    const { member, orgId } = await seatedMember(server);

    const answers = await Promise.all(
      Array.from({ length: 6 }, () => member.client.post(tokenPath(orgId))),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.error.code)).toEqual(
      Array(5).fill("token.exists"),
    );
    const rows = await server.tessera.ctx.db.query(`select 1 from tokens where org_id = $1`, [
      orgId,
    ]);
    expect(rows.rows).toHaveLength(1);
  });

  it("refuses a member without a seat, and one whose only subscription has lapsed", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);

    const none = await owner.client.post(tokenPath(orgId));
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe("token.no_seat");
    const mine = await owner.client.get(tokenPath(orgId));
    expect(mine.body).toEqual({ hasSeat: false, products: [], token: null });

    const subscriptionId = await subscription(server, orgId, 1);
    await seat(server, orgId, subscriptionId, owner);
    await server.tessera.ctx.db.query(
      `update subscriptions set status = 'cancelled', current_period_end = $2
        where org_id = $1`,
      [orgId, new Date(server.clock.now().getTime() - 1000)],
    );
    const lapsed = await owner.client.post(tokenPath(orgId));
    expect(lapsed.status).toBe(409);
    expect(lapsed.body.error.code).toBe("token.no_seat");
  });
});

describe("reissueToken", () => {
  it("replaces the token: the old one is refused at once, the new one is mailed", async () => {
    const { member, orgId } = await seatedMember(server);
    const first = await member.client.post(tokenPath(orgId));
    const oldToken = first.body.token as string;
    expect((await check(oldToken)).status).toBe(200);
    server.clock.advance(5000);
    const reissuedAt = server.clock.now();

    const reissued = await member.client.post(`${tokenPath(orgId)}/reissue`);
    expect(reissued.status).toBe(201);
    expect(reissued.headers.get("cache-control")).toBe("no-store");
    const newToken = reissued.body.token as string;
    expect(newToken).not.toBe(oldToken);
    expect(isWellFormed(newToken)).toBe(true);
    expect(reissued.body).toMatchObject({
      hint: newToken.slice(-4),
      products: ["conda"],
      channelUrl: channelFor(newToken),
    });

    const old = await check(oldToken);
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe("token.invalid");
    expect((await check(newToken)).status).toBe(200);

    await server.deliverMail();
    const mail = await server.smtp.waitFor(member.email, /Your new .* token/);
    expect(mail.text).toContain(newToken);
    expect(mail.text).not.toContain(oldToken);
    expect(mail.text).toContain(`conda config --add channels ${channelFor(newToken)}`);
    expect(mail.text).toContain("Your old token no longer works.");

    const rows = await server.tessera.ctx.db.query<{ status: string; endedAt: Date | null }>(
      `select status, ended_at as "endedAt" from tokens where org_id = $1 order by created_at`,
      [orgId],
    );
    expect(rows.rows).toEqual([
      { status: "reissued", endedAt: reissuedAt },
      { status: "active", endedAt: null },
    ]);
    const mine = await member.client.get(tokenPath(orgId));
    expect(mine.body.token).toMatchObject({ status: "active", hint: newToken.slice(-4) });
    expect((await auditActions(orgId)).map((e) => e.action)).toEqual([
      "token.activated",
      "token.reissued",
    ]);
  });

  it("answers token.not_found without an active token, token.no_seat without a seat", async () => {
    const { member, orgId } = await seatedMember(server);
    const missing = await member.client.post(`${tokenPath(orgId)}/reissue`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("token.not_found");

    expect((await member.client.post(tokenPath(orgId))).status).toBe(201);
    await server.tessera.ctx.db.query(`delete from seats where org_id = $1`, [orgId]);
    const seatless = await member.client.post(`${tokenPath(orgId)}/reissue`);
    expect(seatless.status).toBe(409);
    expect(seatless.body.error.code).toBe("token.no_seat");
  });
});

describe("getMyToken", () => {
  it("shows an active token as inactive once no live seat covers it", async () => {
    const { member, orgId } = await seatedMember(server);
    const activated = await member.client.post(tokenPath(orgId));
    await server.tessera.ctx.db.query(`delete from seats where org_id = $1`, [orgId]);

    const mine = await member.client.get(tokenPath(orgId));
    expect(mine.body).toMatchObject({
      hasSeat: false,
      products: [],
      token: { status: "inactive", hint: (activated.body.token as string).slice(-4) },
    });
  });
});

describe("authorization of the member routes", () => {
  it("answers 401 to the anonymous and 404 to non-members", async () => {
    const { orgId } = await seatedMember(server);
    const stranger = await person(server, "stranger");
    const routes = [
      ["GET", tokenPath(orgId)],
      ["POST", tokenPath(orgId)],
      ["POST", `${tokenPath(orgId)}/reissue`],
    ] as const;

    for (const [method, path] of routes) {
      const anonymous = await server.client().request<any>(method, path);
      expect(anonymous.status, `${method} ${path}`).toBe(401);
      expect(anonymous.body.error.code).toBe("auth.required");

      const outsider = await stranger.client.request<any>(method, path);
      expect(outsider.status, `${method} ${path}`).toBe(404);
      expect(outsider.body.error.code).toBe("organization.not_found");
    }
  });

  it("lets a plain member without admin roles activate their own token", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const member = await person(server, "member");
    await addMember(server, orgId, member);
    await seat(server, orgId, await subscription(server, orgId, 3), member);

    const activated = await member.client.post(tokenPath(orgId));
    expect(activated.status).toBe(201);
    const ownerView = await owner.client.get(tokenPath(orgId));
    expect(ownerView.body).toEqual({ hasSeat: false, products: [], token: null });
  });
});
