import { useState } from "react";
import { api } from "../../api.ts";
import { Menu, type MenuItem } from "../../components/Menu.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { useOrg } from "../context.tsx";
import type { SeatProduct } from "../seatProducts.ts";
import type { Member, Roles } from "../types.ts";
import { SeatDialog } from "./SeatDialog.tsx";

interface Props {
  member: Member;
  products: SeatProduct[];
  /** Called after a change, with what to tell the user. */
  onChanged: (message?: string) => Promise<void>;
  onFailed: (error: unknown) => void;
}

type Open = "assign" | "revoke" | "remove" | null;

/** The "Actions" menu of one member row and the dialogs it opens. */
export function MemberActions({ member, products, onChanged, onFailed }: Props) {
  const { organization, abilities } = useOrg();
  const [open, setOpen] = useState<Open>(null);
  const base = `/organizations/${encodeURIComponent(organization.orgId)}`;
  const memberPath = `${base}/members/${encodeURIComponent(member.userId)}`;

  async function setRole(role: keyof Roles, on: boolean, words: string) {
    try {
      await api("PATCH", memberPath, { [role]: on });
      await onChanged(`${member.name} ${on ? "is now" : "is no longer"} ${words}.`);
    } catch (error) {
      onFailed(error);
    }
  }

  const items: MenuItem[] = [];
  if (abilities.manageSeats) {
    items.push({ label: "Assign seat", onSelect: () => setOpen("assign") });
    if (member.seats.length > 0) {
      items.push({ label: "Revoke seat", onSelect: () => setOpen("revoke") });
    }
  }
  if (abilities.manageMembers && abilities.grantAccountAdmin) {
    const on = !member.roles.accountAdmin;
    items.push({
      label: on ? "Make account admin" : "Remove account admin",
      onSelect: () => void setRole("accountAdmin", on, "an account admin"),
    });
  }
  if (abilities.manageMembers && abilities.grantBillingAdmin) {
    const on = !member.roles.billingAdmin;
    items.push({
      label: on ? "Make billing admin" : "Remove billing admin",
      onSelect: () => void setRole("billingAdmin", on, "a billing admin"),
    });
  }
  if (abilities.manageMembers) {
    items.push({ label: "Remove from organization", onSelect: () => setOpen("remove") });
  }

  if (items.length === 0) return null;

  return (
    <>
      <Menu label="Actions" items={items} align="right" />
      <SeatDialog
        mode={open === "revoke" ? "revoke" : "assign"}
        open={open === "assign" || open === "revoke"}
        member={member}
        products={products}
        onClose={() => setOpen(null)}
        onDone={(message) => void onChanged(message)}
      />
      <ConfirmDialog
        title="Remove from organization"
        open={open === "remove"}
        confirmLabel="Remove member"
        danger
        onClose={() => setOpen(null)}
        onConfirm={async () => {
          await api("DELETE", memberPath);
          await onChanged(`${member.name} was removed from the organization.`);
        }}
      >
        <p>
          Remove {member.name} ({member.email}) from {organization.name}? Their seats are freed and
          their token stops working at once.
        </p>
      </ConfirmDialog>
    </>
  );
}
