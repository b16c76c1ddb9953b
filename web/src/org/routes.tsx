import { Route, Routes } from "react-router-dom";
import { AuditPage } from "./AuditPage.tsx";
import { InvitationsPage } from "./InvitationsPage.tsx";
import { MembersPage } from "./members/MembersPage.tsx";
import { NotFoundTab } from "./NotFoundTab.tsx";
import { OrgLayout } from "./OrgLayout.tsx";
import { OverviewPage } from "./OverviewPage.tsx";
import { SettingsPage } from "./SettingsPage.tsx";
import { SubscriptionsPage } from "./SubscriptionsPage.tsx";
import { TokenPage } from "./TokenPage.tsx";

/** The pages inside one organization, mounted at /orgs/:orgId/*. */
export function OrgRoutes() {
  return (
    <Routes>
      <Route element={<OrgLayout />}>
        <Route index element={<OverviewPage />} />
        <Route path="members" element={<MembersPage />} />
        <Route path="invitations" element={<InvitationsPage />} />
        <Route path="subscriptions" element={<SubscriptionsPage />} />
        <Route path="token" element={<TokenPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFoundTab />} />
      </Route>
    </Routes>
  );
}
