create table invitations (
  org_id text not null references organizations (org_id) on delete cascade,
  invitation_id uuid not null default gen_random_uuid(),
  email text not null,
  email_key text not null,
  name text,
  role text not null default 'member',
  seat_product text,
  status text not null default 'pending',
  expires_at timestamptz not null,
  invited_by text references "user" ("id") on delete set null,
  created_at timestamptz not null default now(),
  sent_at timestamptz not null default now(),
  accepted_at timestamptz,
  accepted_by text references "user" ("id") on delete set null,
  revoked_at timestamptz,
  primary key (org_id, invitation_id),
  constraint invitations_role check (role in ('member', 'account_admin', 'billing_admin')),
  constraint invitations_status check (status in ('pending', 'accepted', 'revoked', 'expired'))
);
comment on table invitations is 'An address asked to join an organization.';
comment on column invitations.email is 'The address as the inviter wrote it, for display.';
comment on column invitations.email_key is 'The address key that matching and duplicates use.';
comment on column invitations.seat_product is 'A product to give a seat for on acceptance, if one is free.';
comment on column invitations.status is 'pending until accepted, revoked or found expired.';
create unique index invitations_one_pending on invitations (org_id, email_key)
  where status = 'pending';
create index invitations_by_time on invitations (org_id, created_at);

create table invitation_secrets (
  secret_hash bytea primary key,
  org_id text not null,
  invitation_id uuid not null,
  foreign key (org_id, invitation_id) references invitations (org_id, invitation_id)
    on delete cascade
);
comment on table invitation_secrets is 'SHA-256 of the secret in an invitation link, to find it by.';
create index invitation_secrets_by_invitation on invitation_secrets (org_id, invitation_id);
