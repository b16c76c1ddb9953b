import { Navigate, Outlet, Route, Routes } from "react-router-dom";
import { Header } from "./components/Header.tsx";
import { Loading } from "./components/Loading.tsx";
import { OrgRoutes } from "./org/routes.tsx";
import { AccountPage } from "./pages/AccountPage.tsx";
import { ForgotPasswordPage } from "./pages/ForgotPasswordPage.tsx";
import { InvitePage } from "./pages/InvitePage.tsx";
import { NotFoundPage } from "./pages/NotFoundPage.tsx";
import { OrganizationsPage } from "./pages/OrganizationsPage.tsx";
import { ResetPasswordPage } from "./pages/ResetPasswordPage.tsx";
import { SignInPage } from "./pages/SignInPage.tsx";
import { SignUpPage } from "./pages/SignUpPage.tsx";
import { SubscriptionsPage } from "./pages/SubscriptionsPage.tsx";
import { TokenAccessPage } from "./pages/TokenAccessPage.tsx";
import { VerifyEmailPage } from "./pages/VerifyEmailPage.tsx";
import { RequireSignIn, useSession } from "./session.tsx";

function Layout() {
  return (
    <>
      <Header />
      <Outlet />
    </>
  );
}

function Home() {
  const { user, loading } = useSession();
  if (loading) return <Loading />;

  return <Navigate to={user ? "/orgs" : "/signin"} replace />;
}

function SignedIn() {
  return (
    <RequireSignIn>
      <Outlet />
    </RequireSignIn>
  );
}

/** Every page of the app, by path. */
export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="signup" element={<SignUpPage />} />
        <Route path="signin" element={<SignInPage />} />
        {/* The names other sites use for these pages. */}
        <Route path="login" element={<Navigate to="/signin" replace />} />
        <Route path="register" element={<Navigate to="/signup" replace />} />
        <Route path="verify-email" element={<VerifyEmailPage />} />
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="invite/:secret" element={<InvitePage />} />
        <Route element={<SignedIn />}>
          <Route path="orgs" element={<OrganizationsPage />} />
          <Route path="orgs/:orgId/*" element={<OrgRoutes />} />
          <Route path="account" element={<AccountPage />} />
          <Route path="subscriptions" element={<SubscriptionsPage />} />
          <Route path="token-access" element={<TokenAccessPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
