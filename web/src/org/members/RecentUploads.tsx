import { useEffect, useState } from "react";
import { Button } from "../../components/Button.tsx";
import { formatDateTime } from "../hooks.ts";
import type { InvitationUpload } from "../types.ts";
import { fetchRecentUploads } from "./uploadApi.ts";
import { describeProgress, formatCount } from "./uploadWords.ts";

interface Props {
  orgId: string;
  onOpen: (upload: InvitationUpload) => void;
}

/**
 * The organization's latest uploads on the first step, so that a dry run left waiting, a
 * commit still running or a report can be found again after the dialog was closed.
 */
export function RecentUploads({ orgId, onOpen }: Props) {
  const [uploads, setUploads] = useState<InvitationUpload[]>([]);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let current = true;
    fetchRecentUploads(orgId).then(
      (found) => current && setUploads(found),
      () => current && setFailed(true),
    );

    return () => {
      current = false;
    };
  }, [orgId]);

  if (failed) return <p className="org-hint">Earlier uploads could not be loaded.</p>;
  if (uploads.length === 0) return null;

  return (
    <section className="upload-recent" aria-labelledby="upload-recent-title">
      <h3 id="upload-recent-title">Earlier uploads</h3>
      <ul>
        {uploads.map((upload) => (
          <li key={upload.uploadId}>
            <span>
              <strong>{upload.filename ?? "Unnamed file"}</strong>,{" "}
              {formatDateTime(upload.createdAt)}: {formatCount(upload.rows)} rows.{" "}
              {describeProgress(upload.progress.phase, upload.progress.done, upload.progress.total)}
            </span>
            <Button
              aria-label={`Open ${upload.filename ?? "this upload"}`}
              onClick={() => onOpen(upload)}
            >
              Open
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
