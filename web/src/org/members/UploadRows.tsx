import { useId, useState } from "react";
import { Loading } from "../../components/Loading.tsx";
import { Pager, useCursorStack } from "../components/Pager.tsx";
import { ErrorText } from "../components/Status.tsx";
import { useLoad } from "../hooks.ts";
import type { InvitationUpload } from "../types.ts";
import { fetchRows } from "./uploadApi.ts";
import { formatCount, isProblem, outcomeName, rowReason } from "./uploadWords.ts";

const PAGE_ROWS = 20;

interface Props {
  orgId: string;
  upload: InvitationUpload;
}

/** The result of each row, a page at a time, with a switch to the problem rows alone. */
export function UploadRows({ orgId, upload }: Props) {
  const [problemsOnly, setProblemsOnly] = useState(false);
  const pages = useCursorStack();
  const id = useId();
  const after = pages.cursor === null ? 0 : Number(pages.cursor);

  const list = useLoad(
    () => fetchRows(orgId, upload.uploadId, { problemsOnly, after, limit: PAGE_ROWS }),
    [orgId, upload.uploadId, problemsOnly, after],
  );
  const rows = list.data?.rows ?? [];
  const nextAfter = list.data?.nextAfter ?? null;

  return (
    <div className="upload-rows">
      <div className="upload-switch">
        <input
          type="checkbox"
          role="switch"
          id={`${id}-problems`}
          checked={problemsOnly}
          onChange={(event) => {
            setProblemsOnly(event.target.checked);
            pages.reset();
          }}
        />
        <label htmlFor={`${id}-problems`}>Show only problems (invalid and duplicate rows)</label>
      </div>
      <ErrorText error={list.error} />
      {list.loading && !list.data && <Loading label="Loading rows…" />}
      {list.data && rows.length === 0 && (
        <p className="org-hint">{problemsOnly ? "No problems in this file." : "No rows."}</p>
      )}
      {rows.length > 0 && (
        // Scrolls sideways on a narrow screen, so it takes the focus to scroll by keyboard.
        <div className="org-table-scroll" role="region" aria-label="Rows of the file" tabIndex={0}>
          <table className="org-table upload-table">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Address as read</th>
                <th scope="col">Outcome</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.line} className={isProblem(row) ? "upload-problem" : undefined}>
                  <td className="org-number">{formatCount(row.line)}</td>
                  <td className="upload-input">{row.input === "" ? "(empty)" : row.input}</td>
                  <td>{outcomeName(row, upload.committed)}</td>
                  <td>{rowReason(row)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && (
        <Pager
          page={pages.page}
          nextCursor={nextAfter === null ? null : String(nextAfter)}
          onNext={pages.next}
          onPrevious={pages.previous}
        />
      )}
    </div>
  );
}
