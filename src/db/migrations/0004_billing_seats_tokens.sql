create table subscriptions (
  org_id text not null references organizations (org_id) on delete cascade,
  subscription_id uuid not null default gen_random_uuid(),
  plan_id text not null,
  product text not null,
  period text not null,
  price_per_seat integer not null,
  currency text not null,
  seats integer not null,
  next_period_seats integer,
  status text not null default 'active',
  current_period_start timestamptz not null,
  current_period_end timestamptz not null,
  created_at timestamptz not null default now(),
  cancelled_at timestamptz,
  primary key (org_id, subscription_id),
  constraint subscriptions_seats check (seats > 0 and (next_period_seats is null or next_period_seats > 0)),
  constraint subscriptions_period check (period in ('month', 'year')),
  constraint subscriptions_status check (status in ('active', 'cancelled', 'lapsed'))
);
comment on table subscriptions is 'Seats of one product bought for an organization, period by period.';
comment on column subscriptions.next_period_seats is 'A lowered seat count that starts with the next period.';
comment on column subscriptions.status is 'active renews; cancelled runs to its period end; lapsed is over.';
create unique index subscriptions_one_live_per_product on subscriptions (org_id, product)
  where status <> 'lapsed';
create index subscriptions_due on subscriptions (current_period_end) where status <> 'lapsed';

create table invoices (
  org_id text not null references organizations (org_id) on delete cascade,
  invoice_id uuid not null default gen_random_uuid(),
  subscription_id uuid not null,
  kind text not null,
  description text not null,
  seats integer not null,
  unit_price integer not null,
  amount integer not null,
  currency text not null,
  period_start timestamptz not null,
  period_end timestamptz not null,
  issued_at timestamptz not null,
  primary key (org_id, invoice_id),
  foreign key (org_id, subscription_id) references subscriptions (org_id, subscription_id),
  constraint invoices_kind check (kind in ('purchase', 'renewal', 'seats_added')),
  constraint invoices_amount check (amount >= 0)
);
comment on table invoices is 'What a purchase, renewal or seat change costs, prices copied at the time.';
comment on column invoices.amount is 'Total in integer minor units of currency.';
create index invoices_by_time on invoices (org_id, issued_at desc);

create table seats (
  org_id text not null,
  product text not null,
  user_id text not null,
  subscription_id uuid not null,
  assigned_by text,
  assigned_at timestamptz not null default now(),
  primary key (org_id, product, user_id),
  foreign key (org_id, user_id) references members (org_id, user_id) on delete cascade,
  foreign key (org_id, subscription_id) references subscriptions (org_id, subscription_id)
);
comment on table seats is 'A member holding one seat of a product; at most one per product.';
create index seats_by_member on seats (org_id, user_id);
create index seats_by_subscription on seats (org_id, subscription_id);

create table tokens (
  org_id text not null references organizations (org_id) on delete cascade,
  token_id uuid not null default gen_random_uuid(),
  user_id text not null,
  hint text not null,
  status text not null default 'active',
  created_at timestamptz not null default now(),
  ended_at timestamptz,
  last_used_at timestamptz,
  primary key (org_id, token_id),
  constraint tokens_status check (status in ('active', 'reissued', 'revoked', 'ended'))
);
comment on table tokens is 'A member''s personal token for the package repository in one organization.';
comment on column tokens.hint is 'The last characters, so a person can tell tokens apart.';
comment on column tokens.status is 'active; reissued or revoked (refused as unknown); ended by removal.';
create unique index tokens_one_active on tokens (org_id, user_id) where status = 'active';

create table token_hashes (
  token_hash bytea primary key,
  org_id text not null,
  token_id uuid not null,
  foreign key (org_id, token_id) references tokens (org_id, token_id) on delete cascade
);
comment on table token_hashes is 'SHA-256 of each token, to find it by on every check.';
