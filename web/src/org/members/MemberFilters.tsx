import { useEffect, useId, useState } from "react";

/** What the members list is narrowed to. */
export interface Filters {
  q: string;
  role: "" | "owner" | "account_admin" | "billing_admin" | "member";
  hasSeat: "" | "true" | "false";
  tokenActive: "" | "true" | "false";
}

export const NO_FILTERS: Filters = { q: "", role: "", hasSeat: "", tokenActive: "" };

/** The listMembers query string for filters and a cursor. */
export function queryOf(filters: Filters, cursor: string | null, limit: number): string {
  const params = new URLSearchParams({ limit: String(limit) });
  if (filters.q.trim()) params.set("q", filters.q.trim());
  if (filters.role) params.set("role", filters.role);
  if (filters.hasSeat) params.set("hasSeat", filters.hasSeat);
  if (filters.tokenActive) params.set("tokenActive", filters.tokenActive);
  if (cursor) params.set("cursor", cursor);

  return params.toString();
}

interface Props {
  filters: Filters;
  onChange: (filters: Filters) => void;
}

/** Search box and filters; the search applies a moment after typing stops. */
export function MemberFilters({ filters, onChange }: Props) {
  const [q, setQ] = useState(filters.q);
  const id = useId();

  useEffect(() => {
    if (q === filters.q) return;
    const timer = setTimeout(() => onChange({ ...filters, q }), 300);
    return () => clearTimeout(timer);
  }, [q, filters, onChange]);

  return (
    <form
      role="search"
      className="org-filters"
      onSubmit={(event) => {
        event.preventDefault();
        onChange({ ...filters, q });
      }}
    >
      <div className="field org-field">
        <label htmlFor={`${id}-q`}>Search members</label>
        <input
          id={`${id}-q`}
          type="search"
          value={q}
          placeholder="Name or email"
          onChange={(event) => setQ(event.target.value)}
        />
      </div>
      <div className="field org-field">
        <label htmlFor={`${id}-role`}>Role</label>
        <select
          id={`${id}-role`}
          value={filters.role}
          onChange={(e) => onChange({ ...filters, q, role: e.target.value as Filters["role"] })}
        >
          <option value="">Any role</option>
          <option value="owner">Owner</option>
          <option value="account_admin">Account admin</option>
          <option value="billing_admin">Billing admin</option>
          <option value="member">No admin role</option>
        </select>
      </div>
      <div className="field org-field">
        <label htmlFor={`${id}-seat`}>Has seat</label>
        <select
          id={`${id}-seat`}
          value={filters.hasSeat}
          onChange={(e) =>
            onChange({ ...filters, q, hasSeat: e.target.value as Filters["hasSeat"] })
          }
        >
          <option value="">Either</option>
          <option value="true">With a seat</option>
          <option value="false">Without a seat</option>
        </select>
      </div>
      <div className="field org-field">
        <label htmlFor={`${id}-token`}>Token active</label>
        <select
          id={`${id}-token`}
          value={filters.tokenActive}
          onChange={(e) =>
            onChange({ ...filters, q, tokenActive: e.target.value as Filters["tokenActive"] })
          }
        >
          <option value="">Either</option>
          <option value="true">Active token</option>
          <option value="false">No active token</option>
        </select>
      </div>
    </form>
  );
}
