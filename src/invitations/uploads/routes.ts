import { Readable } from "node:stream";
import { Type } from "typebox";
import type { Context } from "../../context.ts";
import { assertThat, AppError } from "../../errors.ts";
import { errors, Nullable, OrgIdParam, Timestamp } from "../../http/schemas.ts";
import type { App } from "../../http/types.ts";
import { RAW_BODY } from "../../http/validation.ts";
import { authorize, mayGrant } from "../../members/access.ts";
import { findUpload, listRows, listUploads, type UploadRow } from "./queries.ts";
import { uploadReport } from "./report.ts";
import { commitUpload, startUpload } from "./service.ts";

/** What browsers and tools label a CSV file with; all are read the same way. */
const CSV_TYPES = [
  "text/csv",
  "application/csv",
  "text/x-csv",
  "application/vnd.ms-excel",
  "text/plain",
  "text/tab-separated-values",
  "application/octet-stream",
];

const Role = Type.Union([
  Type.Literal("member"),
  Type.Literal("account_admin"),
  Type.Literal("billing_admin"),
]);
const Outcome = Type.Union([
  Type.Literal("invited"),
  Type.Literal("already_member"),
  Type.Literal("already_invited"),
  Type.Literal("duplicate"),
  Type.Literal("invalid"),
  Type.Literal("skipped"),
]);
const Reason = Type.Union([
  Type.Literal("invalid_email"),
  Type.Literal("missing_email"),
  Type.Literal("unsupported_local_part"),
  Type.Literal("invalid_role"),
  Type.Literal("role_not_allowed"),
  Type.Literal("invalid_seat"),
]);

const Upload = Type.Object({
  uploadId: Type.String(),
  filename: Nullable(Type.String()),
  status: Type.Union([
    Type.Literal("reading"),
    Type.Literal("ready"),
    Type.Literal("committing"),
    Type.Literal("committed"),
    Type.Literal("failed"),
  ]),
  role: Role,
  seatProduct: Nullable(Type.String()),
  file: Type.Object({
    bytes: Type.Integer(),
    encoding: Type.String({ description: "UTF-8, UTF-16LE, UTF-16BE or windows-1252" }),
    delimiter: Type.String(),
    header: Type.Boolean(),
    columns: Type.Array(Type.String()),
    emailColumn: Nullable(Type.String({ description: "null: no header, the first column" })),
    fallbackColumns: Type.Array(Type.String()),
    nameColumns: Type.Array(Type.String()),
  }),
  rows: Type.Integer({ description: "Data rows in the file" }),
  progress: Type.Object({
    phase: Type.Union([
      Type.Literal("reading"),
      Type.Literal("waiting"),
      Type.Literal("publishing"),
      Type.Literal("mailing"),
      Type.Literal("done"),
      Type.Literal("failed"),
    ]),
    done: Type.Integer(),
    total: Type.Integer(),
  }),
  counts: Type.Object({
    invited: Type.Integer(),
    alreadyMember: Type.Integer(),
    alreadyInvited: Type.Integer(),
    duplicate: Type.Integer(),
    invalid: Type.Integer(),
    skipped: Type.Integer(),
  }),
  committed: Type.Boolean({ description: "Whether the invitations are sent (published)" }),
  error: Nullable(Type.Object({ code: Type.String() })),
  createdAt: Timestamp,
  publishedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
});
const UploadBody = Type.Object({ upload: Upload });

const Row = Type.Object({
  line: Type.Integer({ description: "The line where the record starts, as a spreadsheet shows" }),
  input: Type.String({ description: "The address cell as read" }),
  email: Nullable(Type.String()),
  key: Nullable(Type.String()),
  name: Nullable(Type.String()),
  role: Nullable(Role),
  seatProduct: Nullable(Type.String()),
  outcome: Outcome,
  reason: Nullable(Reason),
  duplicateOf: Nullable(Type.Integer({ description: "The line of the first row like it" })),
});

const UploadParams = Type.Object({
  ...OrgIdParam.properties,
  uploadId: Type.String({ format: "uuid" }),
});

function progressOf(upload: UploadRow) {
  const total = upload.totalRows;
  switch (upload.status) {
    case "reading":
      return { phase: "reading" as const, done: upload.readRows, total };
    case "ready":
      return { phase: "waiting" as const, done: total, total };
    case "committing":
      return { phase: "publishing" as const, done: upload.publishedRows, total };
    case "failed":
      return { phase: "failed" as const, done: upload.readRows, total };
    default:
      return upload.finishedAt
        ? { phase: "done" as const, done: total, total }
        : { phase: "mailing" as const, done: upload.mailedRows, total: upload.invited };
  }
}

/** The upload as the API shows it. */
function view(upload: UploadRow) {
  const layout = upload.layout;

  return {
    uploadId: upload.uploadId,
    filename: upload.filename,
    status: upload.status === "receiving" ? ("reading" as const) : upload.status,
    role: upload.role,
    seatProduct: upload.seatProduct,
    file: {
      bytes: upload.byteSize,
      encoding: layout?.encoding ?? "UTF-8",
      delimiter: layout?.delimiter ?? ",",
      header: layout?.header ?? false,
      columns: layout?.columns ?? [],
      emailColumn: layout?.emailColumn ?? null,
      fallbackColumns: layout?.fallbackColumns ?? [],
      nameColumns: layout?.nameColumns ?? [],
    },
    rows: upload.totalRows,
    progress: progressOf(upload),
    counts: {
      invited: upload.invited,
      alreadyMember: upload.alreadyMember,
      alreadyInvited: upload.alreadyInvited,
      duplicate: upload.duplicate,
      invalid: upload.invalid,
      skipped: upload.skipped,
    },
    committed: upload.publishedAt !== null,
    error: upload.errorCode ? { code: upload.errorCode } : null,
    createdAt: upload.createdAt.toISOString(),
    publishedAt: upload.publishedAt?.toISOString() ?? null,
    finishedAt: upload.finishedAt?.toISOString() ?? null,
  };
}

async function uploadOf(ctx: Context, orgId: string, uploadId: string): Promise<UploadRow> {
  const upload = await findUpload(ctx.db, { orgId, uploadId });
  if (!upload || upload.status === "receiving") throw new AppError("invitation.upload.not_found");

  return upload;
}

/** Bulk invitations from a CSV file: upload (a dry run), look at it, then commit. */
export async function uploadRoutes(app: App, ctx: Context): Promise<void> {
  // The route reads the body itself, as a stream, after authorization. Any type but JSON is
  // taken as the file (curl --data-binary labels it a form); a multipart form is refused.
  app.addContentTypeParser(CSV_TYPES, (_request, payload, done) => done(null, payload));
  app.addContentTypeParser("*", (_request, payload, done) => done(null, payload));

  app.post(
    "/organizations/:orgId/invitation-uploads",
    {
      bodyLimit: ctx.config.upload.maxBytes,
      schema: {
        operationId: "uploadInvitationsCsv",
        tags: ["invitations"],
        summary:
          "Upload a CSV file of addresses to invite: a dry run, or a commit with commit=true",
        description:
          "The body is the file itself (text/csv or any type in the list). UTF-8 (with or " +
          "without BOM), UTF-16 and Windows-1252 files are read; comma, semicolon or tab " +
          "delimited; the address column is found by its name and values, or chosen with " +
          "`column`. Answers the dry run: counts and a result per row (listInvitationUploadRows). " +
          "Files over a few thousand rows are read by a background job: poll " +
          "getInvitationUpload for progress. Needs invitation.manage.",
        consumes: CSV_TYPES,
        params: OrgIdParam,
        querystring: Type.Object({
          filename: Type.Optional(Type.String({ maxLength: 255 })),
          column: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          role: Type.Optional(Role),
          seatProduct: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
          commit: Type.Optional(Type.Boolean({ default: false })),
        }),
        body: Type.Unsafe({ type: "string", format: "binary", [RAW_BODY]: true }),
        response: { 201: UploadBody, ...errors(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const { orgId } = request.params;
      const caller = await authorize(ctx, request, orgId, "invitation.manage");
      const body = request.body as Readable | undefined;
      const form = (request.headers["content-type"] ?? "").startsWith("multipart/");
      assertThat(body instanceof Readable && !form, "invitation.upload.not_a_file");
      const role = request.query.role ?? "member";
      const granted = role !== "billing_admin" || mayGrant(caller.membership, "isBillingAdmin");
      assertThat(granted, "invitation.role_not_allowed", { role });

      const upload = await startUpload(ctx, {
        caller,
        body,
        filename: request.query.filename ?? null,
        role,
        seatProduct: request.query.seatProduct ?? null,
        column: request.query.column ?? null,
        commit: request.query.commit ?? false,
      });

      return reply.code(201).send({ upload: view(upload) });
    },
  );

  app.get(
    "/organizations/:orgId/invitation-uploads",
    {
      schema: {
        operationId: "listInvitationUploads",
        tags: ["invitations"],
        summary: "The organization's latest uploads, newest first",
        description:
          "To come back to a dry run, a running commit or a report. Needs invitation.manage.",
        params: OrgIdParam,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
        }),
        response: { 200: Type.Object({ uploads: Type.Array(Upload) }), ...errors(401, 404) },
      },
    },
    async (request) => {
      const { orgId } = request.params;
      await authorize(ctx, request, orgId, "invitation.manage");
      const uploads = await listUploads(ctx.db, orgId, request.query.limit ?? 10);

      return { uploads: uploads.map(view) };
    },
  );

  app.get(
    "/organizations/:orgId/invitation-uploads/:uploadId",
    {
      schema: {
        operationId: "getInvitationUpload",
        tags: ["invitations"],
        summary: "An upload's state, progress and counts",
        params: UploadParams,
        response: { 200: UploadBody, ...errors(401, 404) },
      },
    },
    async (request) => {
      const { orgId, uploadId } = request.params;
      await authorize(ctx, request, orgId, "invitation.manage");

      return { upload: view(await uploadOf(ctx, orgId, uploadId)) };
    },
  );

  app.get(
    "/organizations/:orgId/invitation-uploads/:uploadId/rows",
    {
      schema: {
        operationId: "listInvitationUploadRows",
        tags: ["invitations"],
        summary: "The result of each row, in file order",
        description: "`outcome=problems` lists the invalid and duplicate rows only.",
        params: UploadParams,
        querystring: Type.Object({
          outcome: Type.Optional(Type.Union([Outcome, Type.Literal("problems")])),
          after: Type.Optional(Type.Integer({ minimum: 0, description: "The last line seen" })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: {
          200: Type.Object({ rows: Type.Array(Row), nextAfter: Nullable(Type.Integer()) }),
          ...errors(401, 404),
        },
      },
    },
    async (request) => {
      const { orgId, uploadId } = request.params;
      await authorize(ctx, request, orgId, "invitation.manage");
      await uploadOf(ctx, orgId, uploadId);

      const limit = request.query.limit ?? 100;
      const rows = await listRows(
        ctx.db,
        { orgId, uploadId },
        {
          outcome: request.query.outcome,
          afterLine: request.query.after ?? 0,
          limit,
        },
      );
      const last = rows[rows.length - 1];

      return { rows, nextAfter: rows.length === limit && last ? last.line : null };
    },
  );

  app.get(
    "/organizations/:orgId/invitation-uploads/:uploadId/report",
    {
      schema: {
        operationId: "downloadInvitationUploadReport",
        tags: ["invitations"],
        summary: "The row report as a CSV file",
        description:
          "Every row with its outcome and reason. A cell a spreadsheet would run as a " +
          "formula (starting with =, +, -, @, tab or carriage return) starts with an apostrophe.",
        params: UploadParams,
        produces: ["text/csv"],
        // Sent as a stream, a page of rows at a time.
        response: {
          200: Type.Unsafe<Readable>({ type: "string", description: "The report, CSV" }),
          ...errors(401, 404),
        },
      },
    },
    async (request, reply) => {
      const { orgId, uploadId } = request.params;
      await authorize(ctx, request, orgId, "invitation.manage");
      await uploadOf(ctx, orgId, uploadId);

      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="invitations-${uploadId}.csv"`)
        .send(Readable.from(uploadReport(ctx.db, { orgId, uploadId })));
    },
  );

  app.post(
    "/organizations/:orgId/invitation-uploads/:uploadId/commit",
    {
      schema: {
        operationId: "commitInvitationUpload",
        tags: ["invitations"],
        summary: "Send the upload's invitations",
        description:
          "Publishes every invitation of the dry run at once (looking again at members and " +
          "invitations made since), then mails them through the outbox. Asking again changes " +
          "nothing. Needs invitation.manage.",
        params: UploadParams,
        response: { 200: UploadBody, ...errors(401, 404, 409) },
      },
    },
    async (request) => {
      const { orgId, uploadId } = request.params;
      const caller = await authorize(ctx, request, orgId, "invitation.manage");

      return { upload: view(await commitUpload(ctx, caller, { orgId, uploadId })) };
    },
  );
}
