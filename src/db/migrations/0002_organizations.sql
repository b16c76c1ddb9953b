-- Organizations, their members and roles. Every tenant-owned table leads its keys with org_id,
-- so the data can be distributed by organization.

create table organizations (
  org_id text primary key,
  name text not null,
  billing_email text,
  website text,
  address text,
  description text,
  created_by text references "user" ("id") on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint organizations_org_id_format
    check (org_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(org_id) between 2 and 39),
  constraint organizations_name_length check (length(name) between 1 and 100)
);
comment on table organizations is 'A team that buys seats and hands them to its members.';
comment on column organizations.org_id is 'The organization ID: chosen at creation, in URLs, never changed.';
comment on column organizations.name is 'The display name, changeable at any time.';

create table retired_organization_ids (
  org_id text primary key,
  retired_at timestamptz not null default now()
);
comment on table retired_organization_ids is 'IDs of deleted organizations, never given out again.';

create table members (
  org_id text not null references organizations (org_id) on delete cascade,
  user_id text not null references "user" ("id") on delete cascade,
  is_owner boolean not null default false,
  is_account_admin boolean not null default false,
  is_billing_admin boolean not null default false,
  joined_at timestamptz not null default now(),
  primary key (org_id, user_id)
);
comment on table members is 'Who belongs to an organization, with their role flags.';
comment on column members.is_owner is 'Owners can do everything, including renaming and deleting.';
comment on column members.is_account_admin is 'Invites, assigns and revokes seats, manages members.';
comment on column members.is_billing_admin is 'Buys subscriptions and seats, sees invoices.';
create index members_by_user on members (user_id);
create index members_by_join on members (org_id, joined_at, user_id);

create table audit_events (
  org_id text not null references organizations (org_id) on delete cascade,
  event_id bigint generated always as identity,
  actor_id text,
  action text not null,
  target_type text,
  target_id text,
  details jsonb not null default '{}',
  created_at timestamptz not null default now(),
  primary key (org_id, event_id)
);
comment on table audit_events is 'What admins did, written in the same transaction as the change.';
comment on column audit_events.actor_id is 'The user who acted; kept after the account is gone.';
create index audit_events_by_time on audit_events (org_id, created_at desc, event_id desc);
