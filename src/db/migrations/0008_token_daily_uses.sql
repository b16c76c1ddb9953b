-- How often each token was used per day, written in batches by the check rather than once per
-- request.
create table token_daily_uses (
  org_id text not null,
  token_id uuid not null,
  day date not null,
  uses integer not null,
  primary key (org_id, token_id, day),
  foreign key (org_id, token_id) references tokens (org_id, token_id) on delete cascade,
  constraint token_daily_uses_positive check (uses > 0)
);
comment on table token_daily_uses is 'Checks a token passed, per day; flushed from memory every few seconds.';
comment on column token_daily_uses.day is 'The day in UTC.';
comment on column token_daily_uses.uses is 'How many checks answered yes for the token that day.';
