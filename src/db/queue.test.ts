import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/helpers/db.ts";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.query("create table counter (id int primary key, value int not null)");
  await database.db.query("create table notes (note text not null)");
});

afterAll(async () => {
  await database.drop();
});

describe("transactions", () => {
  it("20 concurrent read-then-increment transactions under a row lock stop at the limit", async () => {
    await database.db.query("insert into counter values (1, 0)");

    const attempts = Array.from({ length: 20 }, () =>
      database.db.transaction(async (tx) => {
        const { rows } = await tx.query<{ value: number }>(
          "select value from counter where id = 1 for update",
        );
        if ((rows[0]?.value ?? 0) >= 5) return false;
        await tx.query("update counter set value = value + 1 where id = 1");
        return true;
      }),
    );
    const results = await Promise.all(attempts);

    expect(results.filter(Boolean)).toHaveLength(5);
    const { rows } = await database.db.query<{ value: number }>("select value from counter");
    expect(rows[0]?.value).toBe(5);
  });

  it("a plain write from another caller survives a transaction that rolls back", async () => {
    const failing = database.db.transaction(async (tx) => {
      await tx.query("insert into notes values ('inside')");
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error("roll back");
    });
    const plain = database.db.query("insert into notes values ('outside')");

    await expect(failing).rejects.toThrow("roll back");
    await plain;
    const { rows } = await database.db.query<{ note: string }>("select note from notes");
    expect(rows.map((row) => row.note)).toEqual(["outside"]);
  });
});
