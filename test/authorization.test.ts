import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./helpers/client.ts";
import { addMember, organization, person, type Person } from "./helpers/fixtures.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

/**
 * Every operation on an organization, found in the OpenAPI document rather than listed by hand,
 * answers in the same order: 401 to the anonymous, 404 to a non-member, 403 to a member
 * without the role. A new route is covered as soon as it is documented.
 */

interface Operation {
  method: string;
  path: string;
  operationId: string;
  body: unknown;
  contentType: string | undefined;
}

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  minLength?: number;
  minimum?: number;
  format?: string;
  anyOf?: Schema[];
  const?: unknown;
  enum?: unknown[];
};

/** A smallest valid value for a schema, so that validation passes and authorization decides. */
function sample(schema: Schema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf?.[0]) return sample(schema.anyOf[0]);

  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object":
      return Object.fromEntries(
        (schema.required ?? []).map((key) => [key, sample(schema.properties?.[key] ?? {})]),
      );
    case "array":
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () =>
        sample(schema.items ?? {}),
      );
    case "integer":
    case "number":
      return Math.max(1, schema.minimum ?? 1);
    case "boolean":
      return true;
    default:
      if (schema.format === "email") return "someone@example.com";
      if (schema.format === "uuid") return randomUUID();
      return "x".repeat(Math.max(1, schema.minLength ?? 1));
  }
}

/** Operations a member without any admin role may call. */
const FOR_EVERY_MEMBER = new Set([
  "getOrganization",
  "leaveOrganization",
  "getMyToken",
  "activateToken",
  "reissueToken",
]);

let server: TestServer;
let owner: Person;
let plain: Person;
let outsider: Person;
let orgId: string;
let operations: Operation[];

beforeAll(async () => {
  server = await startTestServer();
  owner = await person(server, "owner");
  plain = await person(server, "plain");
  outsider = await person(server, "outsider");
  orgId = await organization(server, owner);
  await addMember(server, orgId, plain);

  const doc = (await server.client().get("/api/openapi.json")).body;
  operations = Object.entries(doc.paths as Record<string, Record<string, any>>)
    .filter(([path]) => path.includes("{orgId}") && path.startsWith("/api/v1/organizations/"))
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId as string,
        ...requestBody(op.requestBody),
      })),
    );
});

afterAll(async () => {
  await server.stop();
});

/** A body the operation takes: JSON from its schema, or a small file for an upload. */
function requestBody(body: { content: Record<string, { schema: Schema }> } | undefined) {
  if (!body) return { body: undefined, contentType: undefined };
  const json = body.content["application/json"];
  if (json) return { body: sample(json.schema), contentType: undefined };

  const [type] = Object.keys(body.content);
  return { body: "email\nsomeone@example.com\n", contentType: type };
}

function call(client: Client, op: Operation) {
  const path = op.path
    .replace("{orgId}", orgId)
    .replace("{userId}", owner.userId)
    .replace("{product}", "conda")
    .replace(/\{[a-zA-Z]+Id\}/g, randomUUID());

  const headers: Record<string, string> = op.contentType ? { "content-type": op.contentType } : {};
  return client.request<any>(op.method, path, op.body, headers);
}

describe("authorization on every organization operation", () => {
  it("finds the operations in the API reference", () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
  });

  it("answers 401 auth.required to the anonymous", async () => {
    for (const op of operations) {
      const answer = await call(server.client(), op);
      expect([op.operationId, answer.status, answer.body?.error?.code]).toEqual([
        op.operationId,
        401,
        "auth.required",
      ]);
    }
  });

  it("answers 404 organization.not_found to someone who is not a member", async () => {
    for (const op of operations) {
      const answer = await call(outsider.client, op);
      expect([op.operationId, answer.status, answer.body?.error?.code]).toEqual([
        op.operationId,
        404,
        "organization.not_found",
      ]);
    }
  });

  it("answers 403 to a member without the role needed", async () => {
    for (const op of operations.filter((o) => !FOR_EVERY_MEMBER.has(o.operationId))) {
      const answer = await call(plain.client, op);
      expect([op.operationId, answer.status]).toEqual([op.operationId, 403]);
    }
  });
});
