import type { Queryable } from "../db/database.ts";
import { sha256 } from "../secrets.ts";

export interface InvitationBySecret {
  orgId: string;
  invitationId: string;
  email: string;
  emailKey: string;
  status: "pending" | "accepted" | "revoked" | "expired";
  expiresAt: Date;
}

/** The invitation an emailed link's secret belongs to, whatever its state. */
export async function findInvitationBySecret(
  q: Queryable,
  secret: string,
): Promise<InvitationBySecret | null> {
  const result = await q.query<InvitationBySecret>(
    `select i.org_id as "orgId", i.invitation_id as "invitationId", i.email,
            i.email_key as "emailKey", i.status, i.expires_at as "expiresAt"
       from invitation_secrets s
       join invitations i using (org_id, invitation_id)
      where s.secret_hash = $1`,
    [sha256(secret)],
  );

  return result.rows[0] ?? null;
}
