import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { Link } from "react-router-dom";

/** One entry of a menu: a link to a page, or an action. */
export type MenuItem =
  | { label: string; to: string; onSelect?: never; disabled?: never }
  | { label: string; onSelect: () => void; to?: never; disabled?: boolean };

export interface MenuProps {
  /** The button's visible text. */
  label: string;
  /** A fuller name for the button, when the visible text alone is ambiguous. */
  ariaLabel?: string;
  items: MenuItem[];
  align?: "left" | "right";
  className?: string;
}

/**
 * A menu button: Enter, Space or arrow keys open it, arrow keys, Home and End move, Escape
 * closes it and puts focus back on the button, Tab closes it, a click outside closes it.
 */
export function Menu({ label, ariaLabel, items, align = "left", className }: MenuProps) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const menuId = useId();

  const entries = () =>
    Array.from(list.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
  const focusAt = (index: number) => {
    const all = entries();
    if (all.length === 0) return;
    all[(index + all.length) % all.length]?.focus();
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;

    const outside = (event: MouseEvent) => {
      const target = event.target as Node;
      if (!list.current?.contains(target) && !button.current?.contains(target)) close(false);
    };
    document.addEventListener("mousedown", outside);

    return () => document.removeEventListener("mousedown", outside);
  }, [open]);

  const onButtonKey = (event: KeyboardEvent) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    setOpen(true);
    const last = event.key === "ArrowUp";
    requestAnimationFrame(() => focusAt(last ? -1 : 0));
  };

  const onListKey = (event: KeyboardEvent) => {
    const all = entries();
    const index = all.indexOf(document.activeElement as HTMLElement);
    const moves: Record<string, () => void> = {
      ArrowDown: () => focusAt(index + 1),
      ArrowUp: () => focusAt(index - 1),
      Home: () => focusAt(0),
      End: () => focusAt(-1),
      Escape: () => close(true),
    };
    if (event.key === "Tab") return close(false);

    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    move();
  };

  const toggle = () => {
    const opening = !open;
    setOpen(opening);
    if (opening) requestAnimationFrame(() => focusAt(0));
  };

  return (
    <div className={["menu", className].filter(Boolean).join(" ")}>
      <button
        ref={button}
        type="button"
        className="button button-secondary menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={ariaLabel}
        onClick={toggle}
        onKeyDown={onButtonKey}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      <ul
        ref={list}
        id={menuId}
        role="menu"
        aria-label={ariaLabel ?? label}
        className={`menu-list menu-${align}`}
        hidden={!open}
        onKeyDown={onListKey}
      >
        {items.map((item) => (
          <li key={item.label} role="none">
            {item.to !== undefined ? (
              <Link role="menuitem" tabIndex={-1} to={item.to} onClick={() => close(false)}>
                {item.label}
              </Link>
            ) : (
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                disabled={item.disabled}
                onClick={() => {
                  close(true);
                  item.onSelect();
                }}
              >
                {item.label}
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
