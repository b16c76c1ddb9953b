import { useEffect, useState, type ReactNode } from "react";
import { ApiError } from "../../api.ts";
import { Alert } from "../../components/Alert.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { useAction } from "../../useAction.ts";
import { useOrg } from "../context.tsx";
import type { SeatProduct } from "../seatProducts.ts";
import type { InvitationUpload } from "../types.ts";
import { ChooseFileForm, type FileChoices } from "./ChooseFileForm.tsx";
import { ColumnChoice } from "./ColumnChoice.tsx";
import { commitUpload, startUpload, useFollowUpload } from "./uploadApi.ts";
import { DryRun, UploadDone, UploadFailed, UploadWorking } from "./UploadSteps.tsx";
import { describeUploadError } from "./uploadWords.ts";
import { RecentUploads } from "./RecentUploads.tsx";

interface Props {
  open: boolean;
  products: SeatProduct[];
  onClose: () => void;
}

/** The columns a file left open, from a needs_column_mapping answer. */
interface Mapping {
  candidates: string[];
  columns: string[];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item) => typeof item === "string") : [];
}

function mappingOf(error: unknown): Mapping | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code !== "invitation.upload.needs_column_mapping") return null;

  const candidates = strings(error.details?.candidates);

  return candidates.length > 0 ? { candidates, columns: strings(error.details?.columns) } : null;
}

const FRESH: FileChoices = { file: null, role: "member", seatProduct: "" };

/** The dialog's state and what moves it on: send the file, confirm, start over. */
function useBulkUpload(orgId: string, open: boolean) {
  const [choices, setChoices] = useState<FileChoices>(FRESH);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [upload, setUpload] = useState<InvitationUpload | null>(null);
  const action = useAction();
  const { run, reset } = action;
  const pollFailure = useFollowUpload(orgId, open ? upload : null, setUpload);

  function startOver() {
    setChoices((last) => ({ ...last, file: null }));
    setUpload(null);
    setMapping(null);
    reset();
  }

  useEffect(() => {
    if (!open) return;
    setChoices(FRESH);
    setUpload(null);
    setMapping(null);
    reset();
  }, [open, reset]);

  function send(column: string | null) {
    const { file, role, seatProduct } = choices;
    if (!file) return;

    void run(async () => {
      try {
        setUpload(await startUpload(orgId, file, { role, seatProduct, column }));
        setMapping(null);
      } catch (failure) {
        const left = mappingOf(failure);
        if (!left) throw failure;
        setMapping(left);
      }
    });
  }

  function confirm(uploadId: string) {
    void run(async () => setUpload(await commitUpload(orgId, uploadId)));
  }

  function choose(next: FileChoices) {
    if (next.file !== choices.file) reset();
    setChoices(next);
  }

  function reopen(earlier: InvitationUpload) {
    reset();
    setUpload(earlier);
  }

  const state = { choices, mapping, upload, pollFailure };

  return { ...action, ...state, choose, send, confirm, startOver, reopen };
}

/**
 * Invites from a CSV file in two steps: the upload answers a dry run (how the file was read, a
 * count of each outcome and the result of every row), and only Confirm sends the invitations.
 * A large file is read and sent by the server in the background, shown by a progress bar.
 */
export function BulkUploadDialog({ open, products, onClose }: Props) {
  const orgId = useOrg().organization.orgId;
  const flow = useBulkUpload(orgId, open);
  const { upload, mapping, busy } = flow;

  const failure = flow.error ? <Alert>{describeUploadError(flow.error)}</Alert> : null;
  let step: ReactNode;
  if (upload?.status === "failed") {
    step = <UploadFailed upload={upload} onBack={flow.startOver} onClose={onClose} />;
  } else if (upload?.status === "committed" && upload.progress.phase === "done") {
    step = <UploadDone orgId={orgId} upload={upload} onClose={onClose} />;
  } else if (upload && upload.status !== "ready") {
    step = (
      <UploadWorking upload={upload} failure={flow.pollFailure} onClose={onClose}>
        {failure}
      </UploadWorking>
    );
  } else if (upload) {
    const confirm = () => flow.confirm(upload.uploadId);
    step = (
      <DryRun orgId={orgId} upload={upload} busy={busy} onConfirm={confirm} onBack={flow.startOver}>
        {failure}
      </DryRun>
    );
  } else if (mapping) {
    step = (
      <ColumnChoice {...mapping} busy={busy} onChoose={flow.send} onBack={flow.startOver}>
        {failure}
      </ColumnChoice>
    );
  } else {
    step = (
      <>
        <ChooseFileForm
          choices={flow.choices}
          onChange={flow.choose}
          products={products}
          busy={busy}
          onUpload={() => flow.send(null)}
          onCancel={onClose}
        >
          {failure}
        </ChooseFileForm>
        {open && <RecentUploads orgId={orgId} onOpen={flow.reopen} />}
      </>
    );
  }

  return (
    <Dialog title="Bulk Upload" open={open} onClose={onClose}>
      {step}
    </Dialog>
  );
}
