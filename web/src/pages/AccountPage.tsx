import { useState } from "react";
import { Loading } from "../components/Loading.tsx";
import { Page } from "../components/Page.tsx";
import { useSession } from "../session.tsx";
import { DeleteSection } from "./account/DeleteSection.tsx";
import { EmailSection } from "./account/EmailSection.tsx";
import { NameSection } from "./account/NameSection.tsx";
import { PasswordSection } from "./account/PasswordSection.tsx";
import { SessionsSection } from "./account/SessionsSection.tsx";

/** Account settings: name, password, email, sessions, and deleting the account. */
export function AccountPage() {
  const { user } = useSession();
  // A password change may end other sessions: the list reloads after it.
  const [version, setVersion] = useState(0);

  if (!user) return <Loading />;

  return (
    <Page title="Account" narrow>
      <NameSection user={user} />
      <EmailSection user={user} />
      <PasswordSection onChanged={() => setVersion((value) => value + 1)} />
      <SessionsSection version={version} />
      <DeleteSection />
    </Page>
  );
}
