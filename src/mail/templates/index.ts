import { escapeHtml, layout, type Rendered } from "./layout.ts";

type Values = Record<string, string>;

interface Template {
  subject: (p: Values) => string;
  /** Paragraphs of plain text; the HTML version is made from the same words. */
  body: (
    p: Values,
    s: Values,
  ) => Array<string | { link: string; label: string } | { code: string }>;
}

const hello = (p: Values) => `Hello ${p.name || "there"},`;

const TEMPLATES = {
  "verify-email": {
    subject: () => "Verify your email address for Tessera",
    body: (p, s) => [
      hello(p),
      "Follow this link to verify your email address and finish signing up:",
      { link: s.link ?? "", label: "Verify my email address" },
      "The link works for 24 hours. If you did not sign up, ignore this message.",
    ],
  },
  "change-email": {
    subject: () => "Confirm your new email address for Tessera",
    body: (p, s) => [
      hello(p),
      "Follow this link to make this the address you sign in to Tessera with:",
      { link: s.link ?? "", label: "Use this email address" },
      "The link works for 24 hours. Until then your account keeps its old address. " +
        "If you did not ask for this, ignore this message.",
    ],
  },
  "reset-password": {
    subject: () => "Reset your Tessera password",
    body: (p, s) => [
      hello(p),
      "Someone asked to reset the password of your Tessera account. To choose a new one:",
      { link: s.link ?? "", label: "Choose a new password" },
      "The link works for one hour. If it was not you, ignore this message.",
    ],
  },
  "account-exists": {
    subject: () => "You already have a Tessera account",
    body: (p, s) => [
      hello(p),
      "Someone tried to sign up with this address, but it already has an account.",
      "If it was you, sign in instead, or reset your password here:",
      { link: s.link ?? "", label: "Reset my password" },
    ],
  },
  invitation: {
    subject: (p) => `${p.inviter} invited you to ${p.organization} on Tessera`,
    body: (p, s) => [
      `Hello${p.name ? ` ${p.name}` : ""},`,
      `${p.inviter} invited you to join ${p.organization} on Tessera.`,
      { link: s.link ?? "", label: "Accept the invitation" },
      `The invitation expires on ${p.expires}. Sign in or sign up with ${p.email} to accept it.`,
    ],
  },
  "seat-assigned": {
    subject: (p) => `You have a ${p.product} seat in ${p.organization}`,
    body: (p) => [
      hello(p),
      `${p.organization} gave you a seat for ${p.product}.`,
      "Activate your personal token on the organization's Token Access page:",
      { link: p.link ?? "", label: "Open Token Access" },
    ],
  },
  "token-issued": {
    subject: (p) => `Your ${p.organization} token for the package repository`,
    body: (p, s) => tokenBody(p, s, "Here is your personal access token."),
  },
  "token-reissued": {
    subject: (p) => `Your new ${p.organization} token`,
    body: (p, s) =>
      tokenBody(p, s, "Here is your new personal access token. Your old token no longer works."),
  },
  "member-removed": {
    subject: (p) => `You are no longer a member of ${p.organization}`,
    body: (p) => [
      hello(p),
      `Your membership of ${p.organization} has ended, and with it any seat and token you had there.`,
    ],
  },
} satisfies Record<string, Template>;

function tokenBody(p: Values, s: Values, intro: string) {
  const channel = s.channel ?? "";
  return [
    hello(p),
    intro,
    { code: s.token ?? "" },
    "Keep it to yourself: it is shown only in this message and once on the Token Access page.",
    "1. Install conda: Miniconda or Anaconda from their download pages, or Miniforge.",
    "2. Add the channel with your token in it:",
    { code: `conda config --add channels ${channel}` },
    "or put these lines in your .condarc:",
    { code: `channels:\n  - ${channel}\n  - defaults` },
    `3. Install packages as usual, for example: conda install -c ${channel} <package>`,
    `Products covered: ${p.products ?? ""}.`,
  ];
}

export type TemplateName = keyof typeof TEMPLATES;

export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];

/** Renders a mail from its template, parameters and unsealed secrets. */
export function renderMail(name: TemplateName, params: Values, secrets: Values): Rendered {
  const template: Template = TEMPLATES[name];
  const parts = template.body(params, secrets);
  const subject = template.subject(params);

  const text = parts
    .map((part) => {
      if (typeof part === "string") return part;
      if ("link" in part) return part.link;
      return part.code
        .split("\n")
        .map((line) => `    ${line}`)
        .join("\n");
    })
    .join("\n\n");

  const html = parts
    .map((part) => {
      if (typeof part === "string") return `<p>${escapeHtml(part)}</p>`;
      if ("link" in part) {
        const href = escapeHtml(part.link);
        return `<p><a href="${href}">${escapeHtml(part.label)}</a><br><small>${href}</small></p>`;
      }
      return `<pre>${escapeHtml(part.code)}</pre>`;
    })
    .join("\n");

  return { subject, text: text + "\n", html: layout(subject, html) };
}
