-- Accounts, sessions and sign-in limits, in the shape the auth library (better-auth) expects.
-- A test compares this with the library's own schema, so the two cannot drift apart.

create table "user" (
  "id" text not null primary key,
  "name" text not null,
  "email" text not null unique,
  "emailVerified" boolean not null,
  "image" text,
  "createdAt" timestamptz default current_timestamp not null,
  "updatedAt" timestamptz default current_timestamp not null
);
comment on table "user" is 'An account: one person who signs in.';
comment on column "user"."email" is 'The address key (see the address rules): local part and ASCII domain, lower case.';
comment on column "user"."emailVerified" is 'True once the person followed a link mailed to the address.';

create table "session" (
  "id" text not null primary key,
  "expiresAt" timestamptz not null,
  "token" text not null unique,
  "createdAt" timestamptz default current_timestamp not null,
  "updatedAt" timestamptz not null,
  "ipAddress" text,
  "userAgent" text,
  "userId" text not null references "user" ("id") on delete cascade
);
comment on table "session" is 'A signed-in browser or script; the cookie carries the token.';
create index "session_userId_idx" on "session" ("userId");

create table "account" (
  "id" text not null primary key,
  "accountId" text not null,
  "providerId" text not null,
  "userId" text not null references "user" ("id") on delete cascade,
  "accessToken" text,
  "refreshToken" text,
  "idToken" text,
  "accessTokenExpiresAt" timestamptz,
  "refreshTokenExpiresAt" timestamptz,
  "scope" text,
  "password" text,
  "createdAt" timestamptz default current_timestamp not null,
  "updatedAt" timestamptz not null
);
comment on table "account" is 'A way to sign in to a user: here the password credential, hashed.';
create index "account_userId_idx" on "account" ("userId");

create table "verification" (
  "id" text not null primary key,
  "identifier" text not null,
  "value" text not null,
  "expiresAt" timestamptz not null,
  "createdAt" timestamptz default current_timestamp not null,
  "updatedAt" timestamptz default current_timestamp not null
);
comment on table "verification" is 'Pending email verifications and password resets.';
create index "verification_identifier_idx" on "verification" ("identifier");

create table "rateLimit" (
  "id" text not null primary key,
  "key" text not null unique,
  "count" integer not null,
  "lastRequest" bigint not null
);
comment on table "rateLimit" is 'Request counts per client and path, shared by every instance.';
