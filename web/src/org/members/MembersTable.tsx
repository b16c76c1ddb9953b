import { describeRoles } from "../access.ts";
import { formatDate, formatDateTime } from "../hooks.ts";
import type { SeatProduct } from "../seatProducts.ts";
import type { Member } from "../types.ts";
import { MemberActions } from "./MemberActions.tsx";

interface Props {
  members: Member[];
  selectable: boolean;
  selected: Set<string>;
  onSelect: (selected: Set<string>) => void;
  products: SeatProduct[];
  onChanged: (message?: string) => Promise<void>;
  onFailed: (error: unknown) => void;
}

const TOKEN_WORDS = { active: "Active", inactive: "Inactive", none: "None" } as const;

/** One page of members, in a table that scrolls sideways on narrow screens. */
function usesToday(uses: number): string {
  return `${uses.toLocaleString()} ${uses === 1 ? "use" : "uses"} today`;
}

export function MembersTable(props: Props) {
  const { members, selectable, selected, onSelect, products, onChanged, onFailed } = props;
  const allSelected = members.every((m) => selected.has(m.userId));

  function toggle(userId: string, on: boolean) {
    const next = new Set(selected);
    if (on) next.add(userId);
    else next.delete(userId);
    onSelect(next);
  }

  return (
    <div className="org-table-scroll" tabIndex={0} role="region" aria-label="Members table">
      <table className="org-table">
        <thead>
          <tr>
            {selectable && (
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select all members on this page"
                  checked={allSelected}
                  onChange={(e) =>
                    onSelect(e.target.checked ? new Set(members.map((m) => m.userId)) : new Set())
                  }
                />
              </th>
            )}
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Roles</th>
            <th scope="col">Seats</th>
            <th scope="col">Token</th>
            <th scope="col">Joined</th>
            <th scope="col">
              <span className="org-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.userId}>
              {selectable && (
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${member.name}`}
                    checked={selected.has(member.userId)}
                    onChange={(e) => toggle(member.userId, e.target.checked)}
                  />
                </td>
              )}
              <td>{member.name}</td>
              <td>{member.email}</td>
              <td>{describeRoles(member.roles)}</td>
              <td>
                {member.seats.length > 0 ? member.seats.map((s) => s.product).join(", ") : "—"}
              </td>
              <td>
                {TOKEN_WORDS[member.token.status]}
                {member.token.lastUsedAt && (
                  <span className="org-hint">
                    {" "}
                    (last used {formatDateTime(member.token.lastUsedAt)},{" "}
                    {usesToday(member.token.usesToday)})
                  </span>
                )}
              </td>
              <td>{formatDate(member.joinedAt)}</td>
              <td>
                <MemberActions
                  member={member}
                  products={products}
                  onChanged={onChanged}
                  onFailed={onFailed}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
