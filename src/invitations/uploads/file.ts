import type { Readable } from "node:stream";
import type { Queryable } from "../../db/database.ts";
import { AppError } from "../../errors.ts";

/** Parts are small enough that one never strains a query, large enough that few are needed. */
const PART_BYTES = 256 * 1024;

export interface UploadKey {
  orgId: string;
  uploadId: string;
}

async function writePart(db: Queryable, key: UploadKey, part: number, bytes: Buffer) {
  await db.query(
    `insert into invitation_upload_parts (org_id, upload_id, part, bytes) values ($1, $2, $3, $4)`,
    [key.orgId, key.uploadId, part, bytes],
  );
}

/**
 * Stores a request body as the upload's file, part by part as it arrives, so memory holds one
 * part at most. Throws `invitation.upload.file_too_large` as soon as `maxBytes` is passed, and
 * `invitation.upload.empty_file` for no bytes at all. Answers the file's size.
 */
export async function receiveFile(
  db: Queryable,
  key: UploadKey,
  body: Readable,
  maxBytes: number,
): Promise<number> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  let part = 0;

  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      body.resume();
      throw new AppError("invitation.upload.file_too_large", { limit: maxBytes });
    }

    pending.push(chunk);
    pendingBytes += chunk.length;
    while (pendingBytes >= PART_BYTES) {
      const joined = Buffer.concat(pending);
      await writePart(db, key, part++, joined.subarray(0, PART_BYTES));
      pending = [joined.subarray(PART_BYTES)];
      pendingBytes = joined.length - PART_BYTES;
    }
  }

  if (pendingBytes > 0) await writePart(db, key, part, Buffer.concat(pending));
  if (total === 0) throw new AppError("invitation.upload.empty_file");

  return total;
}

/** Reads the stored file from the start, one part per query; each call starts over. */
export function storedFile(db: Queryable, key: UploadKey): () => AsyncIterable<Uint8Array> {
  return async function* read() {
    for (let part = 0; ; part++) {
      const result = await db.query<{ bytes: Uint8Array }>(
        `select bytes from invitation_upload_parts
          where org_id = $1 and upload_id = $2 and part = $3`,
        [key.orgId, key.uploadId, part],
      );
      const row = result.rows[0];
      if (!row) return;

      yield row.bytes;
    }
  };
}

/** Drops the stored file once nothing will read it again. */
export async function dropFile(db: Queryable, key: UploadKey): Promise<void> {
  await db.query(`delete from invitation_upload_parts where org_id = $1 and upload_id = $2`, [
    key.orgId,
    key.uploadId,
  ]);
}
