create table jobs (
  job_id bigint generated always as identity primary key,
  kind text not null,
  payload jsonb not null,
  priority integer not null default 100,
  status text not null default 'queued',
  run_at timestamptz not null default now(),
  attempts integer not null default 0,
  max_attempts integer not null default 8,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  constraint jobs_status check (status in ('queued', 'running', 'done', 'failed'))
);
comment on table jobs is 'Background work shared by every instance: mail delivery, large uploads.';
comment on column jobs.priority is 'Lower runs first: account mail before bulk invitation mail.';
comment on column jobs.payload is 'For mail: template, recipient, parameters; secrets encrypted, erased once sent.';
comment on column jobs.locked_until is 'A running job whose worker died is taken again after this.';
create index jobs_ready on jobs (priority, run_at) where status in ('queued', 'running');

create table mailbox (
  mail_id bigint generated always as identity primary key,
  job_id bigint,
  recipient text not null,
  subject text not null,
  text_body text not null,
  html_body text not null,
  created_at timestamptz not null default now()
);
comment on table mailbox is 'Development mailbox: delivered mail kept when no SMTP server is set.';
