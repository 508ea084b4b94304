import type { Role } from "@domain/roles.ts";
import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { ApiError } from "../../api.ts";
import { ErrorState, PageLoader } from "../../ui/states.tsx";
import { useSession } from "./session.ts";

/** Renders its children for a signed-in person; anyone else goes to the sign-in page. */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isLoading) return <PageLoader label="Checking your session" />;
  if (session.error) {
    return (
      <div className="page-center">
        <ErrorState
          error={session.error}
          title="Accord is not answering"
          onRetry={session.refetch}
        />
      </div>
    );
  }
  if (!session.data) {
    return (
      <Navigate to="/sign-in" replace state={{ from: `${location.pathname}${location.search}` }} />
    );
  }
  return children;
}

export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { data } = useSession();
  if (!data || !roles.includes(data.user.role)) {
    return (
      <ErrorState
        error={new ApiError(403, "FORBIDDEN", "This page is for workspace admins.")}
        back={{ to: "/leads", label: "Go to leads" }}
      />
    );
  }
  return children;
}
