import { useEffect, useRef, type ReactNode } from "react";

/**
 * The heading of a dialog step that replaces the one before it: it takes the focus when it
 * appears, so a keyboard or screen reader user lands on the new step, not on the page.
 */
export function StepHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    ref.current?.focus();
  }, []);

  return (
    <h3 ref={ref} tabIndex={-1} className="upload-step">
      {children}
    </h3>
  );
}
