-- Bulk invitations from an uploaded CSV file. The file is kept in parts; its rows are read in
-- committed chunks into invitation_upload_rows (the dry run), then published as invitations in
-- committed chunks that stay invisible until the upload's published_at is set in one short
-- transaction, so a crash leaves either nothing or everything.
create table invitation_uploads (
  org_id text not null references organizations (org_id) on delete cascade,
  upload_id uuid not null default gen_random_uuid(),
  created_by text references "user" ("id") on delete set null,
  filename text,
  byte_size integer not null default 0,
  status text not null default 'receiving',
  role text not null default 'member',
  seat_product text,
  may_grant_billing_admin boolean not null default false,
  column_choice text,
  layout jsonb,
  total_rows integer not null default 0,
  read_rows integer not null default 0,
  published_through integer not null default 0,
  published_rows integer not null default 0,
  mailed_through integer not null default 0,
  mailed_rows integer not null default 0,
  commit_requested_by text references "user" ("id") on delete set null,
  invited integer not null default 0,
  already_member integer not null default 0,
  already_invited integer not null default 0,
  duplicate integer not null default 0,
  invalid integer not null default 0,
  skipped integer not null default 0,
  error_code text,
  created_at timestamptz not null default now(),
  commit_requested_at timestamptz,
  published_at timestamptz,
  finished_at timestamptz,
  primary key (org_id, upload_id),
  constraint invitation_uploads_status check (status in
    ('receiving', 'reading', 'ready', 'committing', 'committed', 'failed')),
  constraint invitation_uploads_role check (role in ('member', 'account_admin', 'billing_admin'))
);
comment on table invitation_uploads is 'A CSV file of addresses to invite, from upload to published invitations.';
comment on column invitation_uploads.layout is 'What the reader found: encoding, delimiter, header, columns.';
comment on column invitation_uploads.read_rows is 'Data records read into invitation_upload_rows so far.';
comment on column invitation_uploads.published_through is 'Last line whose invitation is inserted (invisible until published_at).';
comment on column invitation_uploads.mailed_through is 'Last line whose invitation mail is in the outbox.';
create index invitation_uploads_by_time on invitation_uploads (org_id, created_at);

create table invitation_upload_parts (
  org_id text not null,
  upload_id uuid not null,
  part integer not null,
  bytes bytea not null,
  primary key (org_id, upload_id, part),
  foreign key (org_id, upload_id) references invitation_uploads (org_id, upload_id)
    on delete cascade
);
comment on table invitation_upload_parts is 'The uploaded file, in order, in parts of at most 256 KiB.';

create table invitation_upload_rows (
  org_id text not null,
  upload_id uuid not null,
  line integer not null,
  input text not null,
  email text,
  email_key text,
  name text,
  role text,
  seat_product text,
  outcome text not null,
  reason text,
  duplicate_of integer,
  invitation_id uuid,
  primary key (org_id, upload_id, line),
  foreign key (org_id, upload_id) references invitation_uploads (org_id, upload_id)
    on delete cascade,
  constraint invitation_upload_rows_outcome check (outcome in
    ('invited', 'already_member', 'already_invited', 'duplicate', 'invalid', 'skipped'))
);
comment on table invitation_upload_rows is 'One result per data record of an upload: the dry run, then what the commit did.';
comment on column invitation_upload_rows.line is 'The physical line where the record starts, as a spreadsheet shows it.';
comment on column invitation_upload_rows.invitation_id is 'Chosen when read, so publishing needs no write back.';
create index invitation_upload_rows_by_key on invitation_upload_rows (org_id, upload_id, email_key);

alter table invitations add column upload_id uuid;
comment on column invitations.upload_id is 'The upload that made it; hidden until that upload is published.';
create index invitations_by_upload on invitations (org_id, upload_id) where upload_id is not null;
