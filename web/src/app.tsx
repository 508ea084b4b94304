import { useState } from "react";
import { createBrowserRouter, Navigate, RouterProvider } from "react-router";
import { AppShell } from "./app-shell.tsx";
import { AgreementPage } from "./modules/agreement/index.ts";
import { ApiKeysPage } from "./modules/api-keys/index.ts";
import { AuditPage } from "./modules/audit/index.ts";
import { RequireRole, RequireSession, SignInPage } from "./modules/auth/index.ts";
import { LeadListPage, LeadPage } from "./modules/leads/index.ts";
import { createQueryClient, QueryClientProvider } from "./query.ts";
import { EmptyState } from "./ui/states.tsx";

const router = createBrowserRouter([
  { path: "/sign-in", element: <SignInPage /> },
  {
    path: "/",
    element: (
      <RequireSession>
        <AppShell />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Navigate to="/leads" replace /> },
      { path: "leads", element: <LeadListPage /> },
      { path: "leads/:id", element: <LeadPage /> },
      { path: "agreement", element: <AgreementPage /> },
      {
        path: "audit",
        element: (
          <RequireRole roles={["admin"]}>
            <AuditPage />
          </RequireRole>
        ),
      },
      {
        path: "settings/api-keys",
        element: (
          <RequireRole roles={["admin"]}>
            <ApiKeysPage />
          </RequireRole>
        ),
      },
      { path: "*", element: <NotFound /> },
    ],
  },
]);

function NotFound() {
  return (
    <EmptyState
      title="There is no page here"
      action={
        <a className="btn btn-primary" href="/leads">
          Go to leads
        </a>
      }
    >
      The link may be old or mistyped.
    </EmptyState>
  );
}

export function App() {
  const [client] = useState(createQueryClient);
  return (
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
