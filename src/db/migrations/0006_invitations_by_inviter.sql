-- The hourly invitation limit also counts per inviter, across every organization they admin,
-- so creating organizations does not multiply it.
create index invitations_by_inviter on invitations (invited_by, created_at);
