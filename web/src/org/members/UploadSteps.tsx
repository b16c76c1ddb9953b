import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { Button } from "../../components/Button.tsx";
import { Alert } from "../../components/Alert.tsx";
import type { InvitationUpload } from "../types.ts";
import { StepHeading } from "./StepHeading.tsx";
import { reportUrl } from "./uploadApi.ts";
import { UploadProgress } from "./UploadProgress.tsx";
import { UploadRows } from "./UploadRows.tsx";
import { FileFacts, UploadCountList } from "./UploadSummary.tsx";
import { describeFailedUpload, describeUploadError, formatCount } from "./uploadWords.ts";

/** The steps of the Bulk Upload dialog after the file is sent. */

interface DryRunProps {
  orgId: string;
  upload: InvitationUpload;
  busy: boolean;
  onConfirm: () => void;
  onBack: () => void;
  children: ReactNode;
}

/** The dry run: how the file was read, the counts, every row; then Confirm. */
export function DryRun({ orgId, upload, busy, onConfirm, onBack, children }: DryRunProps) {
  const invited = upload.counts.invited;

  return (
    <>
      <StepHeading>Check before sending</StepHeading>
      <FileFacts upload={upload} />
      <UploadCountList upload={upload} />
      <UploadRows orgId={orgId} upload={upload} />
      <p>
        <a href={reportUrl(orgId, upload.uploadId)} download>
          Download report (CSV)
        </a>
      </p>
      {children}
      {invited === 0 && <p className="org-hint">No row of this file would be invited.</p>}
      <div className="org-actions">
        <Button variant="primary" busy={busy} disabled={invited === 0} onClick={onConfirm}>
          {busy
            ? "Sending…"
            : `Send ${formatCount(invited)} ${invited === 1 ? "invitation" : "invitations"}`}
        </Button>
        <Button onClick={onBack}>Choose another file</Button>
      </div>
    </>
  );
}

interface WorkingProps {
  upload: InvitationUpload;
  failure: unknown;
  onClose: () => void;
  children: ReactNode;
}

/** A large file while the server reads it, or writes and mails its invitations. */
export function UploadWorking({ upload, failure, onClose, children }: WorkingProps) {
  const reading = upload.status === "reading";

  return (
    <>
      <StepHeading>{reading ? "Reading the file" : "Sending the invitations"}</StepHeading>
      <UploadProgress upload={upload} />
      <p className="org-hint">
        {reading
          ? "A large file is read in the background; the result appears here when it is ready."
          : "The invitations all appear at once when they are written; then their mails go out."}{" "}
        You may close this dialog: the server carries on.
      </p>
      {failure ? (
        <Alert>
          {`Could not check on the upload: ${describeUploadError(failure)} Trying again…`}
        </Alert>
      ) : null}
      {children}
      <div className="org-actions">
        <Button onClick={onClose}>Close</Button>
      </div>
    </>
  );
}

interface DoneProps {
  orgId: string;
  upload: InvitationUpload;
  onClose: () => void;
}

/** The committed upload: what was sent, the report, and where the invitations are. */
export function UploadDone({ orgId, upload, onClose }: DoneProps) {
  const invited = upload.counts.invited;

  return (
    <>
      <StepHeading>Invitations sent</StepHeading>
      <p role="status">
        {formatCount(invited)} {invited === 1 ? "invitation was" : "invitations were"} sent from{" "}
        {upload.filename ?? "the file"}.
      </p>
      <UploadCountList upload={upload} />
      <p className="upload-links">
        <a href={reportUrl(orgId, upload.uploadId)} download>
          Download report (CSV)
        </a>
        <Link to={`/orgs/${encodeURIComponent(orgId)}/invitations`} onClick={onClose}>
          See the invitations
        </Link>
      </p>
      <div className="org-actions">
        <Button variant="primary" onClick={onClose}>
          Done
        </Button>
      </div>
    </>
  );
}

interface FailedProps {
  upload: InvitationUpload;
  onBack: () => void;
  onClose: () => void;
}

/** An upload the server gave up on: nothing from it was sent. */
export function UploadFailed({ upload, onBack, onClose }: FailedProps) {
  return (
    <>
      <StepHeading>The upload failed</StepHeading>
      <Alert>{describeFailedUpload(upload.error?.code ?? "invitation.upload.failed")}</Alert>
      <div className="org-actions">
        <Button variant="primary" onClick={onBack}>
          Choose another file
        </Button>
        <Button onClick={onClose}>Close</Button>
      </div>
    </>
  );
}
