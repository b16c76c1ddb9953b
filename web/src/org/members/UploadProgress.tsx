import { useId } from "react";
import type { InvitationUpload } from "../types.ts";
import { describeProgress } from "./uploadWords.ts";

/**
 * The progress of a large upload as a bar (a native <progress>, which assistive technology
 * reads as a progressbar with its value and maximum) and in words.
 */
export function UploadProgress({ upload }: { upload: InvitationUpload }) {
  const { phase, done, total } = upload.progress;
  const id = useId();
  const words = describeProgress(phase, done, total);

  return (
    <div className="upload-progress">
      <label htmlFor={id}>{words}</label>
      {total > 0 ? (
        <progress id={id} value={Math.min(done, total)} max={total}>
          {words}
        </progress>
      ) : (
        <progress id={id}>{words}</progress>
      )}
    </div>
  );
}
