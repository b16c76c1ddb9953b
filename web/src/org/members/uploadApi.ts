import { useEffect, useState } from "react";
import { api, sendFile } from "../../api.ts";
import type { InvitationUpload, InviteRole, UploadRow } from "../types.ts";

/** The invitation-upload operations the Bulk Upload dialog calls, and its polling. */

function uploadsPath(orgId: string): string {
  return `/organizations/${encodeURIComponent(orgId)}/invitation-uploads`;
}

function uploadPath(orgId: string, uploadId: string): string {
  return `${uploadsPath(orgId)}/${encodeURIComponent(uploadId)}`;
}

interface UploadChoices {
  role: InviteRole;
  seatProduct: string;
  /** The address column the person chose, when the file left it open. */
  column: string | null;
}

/** uploadInvitationsCsv: sends the file for a dry run. */
export async function startUpload(
  orgId: string,
  file: File,
  choices: UploadChoices,
): Promise<InvitationUpload> {
  const query = new URLSearchParams({ filename: file.name, role: choices.role });
  if (choices.seatProduct) query.set("seatProduct", choices.seatProduct);
  if (choices.column !== null) query.set("column", choices.column);

  // The server reads the bytes to tell the encoding; text/csv is a type it takes for any file.
  const { upload } = await sendFile<{ upload: InvitationUpload }>(
    `${uploadsPath(orgId)}?${query.toString()}`,
    file,
    "text/csv",
  );

  return upload;
}

/** getInvitationUpload */
export async function fetchUpload(orgId: string, uploadId: string): Promise<InvitationUpload> {
  const { upload } = await api<{ upload: InvitationUpload }>("GET", uploadPath(orgId, uploadId));

  return upload;
}

/** commitInvitationUpload: sends the dry run's invitations. */
export async function commitUpload(orgId: string, uploadId: string): Promise<InvitationUpload> {
  const path = `${uploadPath(orgId, uploadId)}/commit`;
  const { upload } = await api<{ upload: InvitationUpload }>("POST", path);

  return upload;
}

interface RowPage {
  rows: UploadRow[];
  nextAfter: number | null;
}

/** listInvitationUploadRows: a page of rows after line `after`, or of the problem rows only. */
export function fetchRows(
  orgId: string,
  uploadId: string,
  options: { problemsOnly: boolean; after: number; limit: number },
): Promise<RowPage> {
  const query = new URLSearchParams({ after: String(options.after), limit: String(options.limit) });
  if (options.problemsOnly) query.set("outcome", "problems");

  return api<RowPage>("GET", `${uploadPath(orgId, uploadId)}/rows?${query.toString()}`);
}

/** downloadInvitationUploadReport, as an address a link can point at. */
export function reportUrl(orgId: string, uploadId: string): string {
  return `/api/v1${uploadPath(orgId, uploadId)}/report`;
}

/** Whether the server is still working on the upload: reading, writing or mailing. */
function isMoving(upload: InvitationUpload): boolean {
  if (upload.status === "reading" || upload.status === "committing") return true;

  return upload.status === "committed" && upload.progress.phase !== "done";
}

const POLL_MS = 1000;

/**
 * While the upload is moving, asks for it again about once a second and hands each answer to
 * `onUpload`. A failed look is kept (for the dialog to say) and tried again on the next tick.
 */
export function useFollowUpload(
  orgId: string,
  upload: InvitationUpload | null,
  onUpload: (upload: InvitationUpload) => void,
): unknown {
  const [failure, setFailure] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const moving = upload !== null && isMoving(upload);
  const uploadId = upload?.uploadId;

  useEffect(() => {
    if (!moving || !uploadId) return;

    let current = true;
    const timer = window.setTimeout(() => {
      fetchUpload(orgId, uploadId).then(
        (next) => {
          if (!current) return;
          setFailure(null);
          onUpload(next);
        },
        (error: unknown) => {
          if (!current) return;
          setFailure(error);
          setAttempt((n) => n + 1);
        },
      );
    }, POLL_MS);

    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [orgId, uploadId, moving, upload, attempt, onUpload]);

  return moving ? failure : null;
}

/** listInvitationUploads: the latest uploads, to come back to one. */
export async function fetchRecentUploads(orgId: string): Promise<InvitationUpload[]> {
  const { uploads } = await api<{ uploads: InvitationUpload[] }>(
    "GET",
    `${uploadsPath(orgId)}?limit=5`,
  );

  return uploads;
}
