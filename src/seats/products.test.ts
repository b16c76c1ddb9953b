import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  organization,
  person,
  plainMembers,
  seat,
  subscription,
} from "../../test/helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

const DAY = 86_400_000;
const productsPath = (orgId: string) => `/api/v1/organizations/${orgId}/seat-products`;

describe("listSeatProducts", () => {
  it("lists live subscriptions' products with capacity and seats in use", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const conda = await subscription(server, orgId, 5, "conda");
    await subscription(server, orgId, 2, "mirror");
    const [first] = await plainMembers(server, orgId, 1);
    await seat(server, orgId, conda, owner, "conda");
    await server.tessera.ctx.db.query(
      `insert into seats (org_id, product, user_id, subscription_id) values ($1, 'conda', $2, $3)`,
      [orgId, first?.userId, conda],
    );

    const answer = await owner.client.get(productsPath(orgId));

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      products: [
        { product: "conda", seats: 5, seatsInUse: 2 },
        { product: "mirror", seats: 2, seatsInUse: 0 },
      ],
    });
  });

  it("counts a pending decrease and leaves out lapsed and ended subscriptions", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const conda = await subscription(server, orgId, 5, "conda");
    const lapsed = await subscription(server, orgId, 3, "lapsed");
    const ended = await subscription(server, orgId, 3, "ended");
    const cancelled = await subscription(server, orgId, 4, "cancelled");
    const db = server.tessera.ctx.db;
    const past = new Date(server.clock.now().getTime() - DAY);
    await db.query(`update subscriptions set next_period_seats = 3 where subscription_id = $1`, [
      conda,
    ]);
    await db.query(`update subscriptions set status = 'lapsed' where subscription_id = $1`, [
      lapsed,
    ]);
    await db.query(
      `update subscriptions set status = 'cancelled', current_period_end = $2
        where subscription_id = $1`,
      [ended, past],
    );
    await db.query(`update subscriptions set status = 'cancelled' where subscription_id = $1`, [
      cancelled,
    ]);

    const answer = await owner.client.get(productsPath(orgId));

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      products: [
        { product: "cancelled", seats: 4, seatsInUse: 0 },
        { product: "conda", seats: 3, seatsInUse: 0 },
      ],
    });
  });

  it("answers an account admin without a billing role, and refuses a plain member", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    await subscription(server, orgId, 5, "conda");
    const admin = await person(server, "admin");
    const member = await person(server, "member");
    await addMember(server, orgId, admin, { accountAdmin: true });
    await addMember(server, orgId, member);

    const asAdmin = await admin.client.get(productsPath(orgId));
    const asMember = await member.client.get(productsPath(orgId));
    const asStranger = await (await person(server, "stranger")).client.get(productsPath(orgId));

    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body).toEqual({ products: [{ product: "conda", seats: 5, seatsInUse: 0 }] });
    expect(asMember.status).toBe(403);
    expect(asMember.body.error.code).toBe("organization.forbidden");
    expect(asStranger.status).toBe(404);
    expect(asStranger.body.error.code).toBe("organization.not_found");
  });
});
