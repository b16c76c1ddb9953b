import { Button } from "../../components/Button.tsx";
import { useState } from "react";

/** A stack of cursors for server-side pagination: the top is the page shown. */
export function useCursorStack() {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  const cursor = stack[stack.length - 1] ?? null;

  return {
    cursor,
    page: stack.length,
    next: (nextCursor: string) => setStack([...stack, nextCursor]),
    previous: () => setStack(stack.length > 1 ? stack.slice(0, -1) : stack),
    reset: () => setStack([null]),
  };
}

interface Props {
  page: number;
  nextCursor: string | null;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
}

/** "Previous page" / "Next page" buttons for a cursor stack. */
export function Pager({ page, nextCursor, onNext, onPrevious }: Props) {
  if (page === 1 && !nextCursor) return null;

  return (
    <nav className="org-pager" aria-label="Pages">
      <Button disabled={page === 1} onClick={onPrevious}>
        Previous page
      </Button>
      <span>Page {page}</span>
      <Button disabled={!nextCursor} onClick={() => nextCursor && onNext(nextCursor)}>
        Next page
      </Button>
    </nav>
  );
}
