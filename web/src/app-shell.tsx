import { NavLink, Outlet, useNavigate } from "react-router";
import { isReadOnly, roleLabels, useCurrentUser, useSignOut } from "./modules/auth/index.ts";
import { initials } from "./ui/format.ts";
import {
  EyeIcon,
  HandshakeIcon,
  KeyIcon,
  ShieldIcon,
  SignOutIcon,
  UsersIcon,
  Wordmark,
} from "./ui/icons.tsx";
import { Banner } from "./ui/states.tsx";

export function AppShell() {
  const user = useCurrentUser();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const nav = [
    { to: "/leads", label: "Leads", icon: <UsersIcon /> },
    { to: "/agreement", label: "Agreement", icon: <HandshakeIcon /> },
    ...(user.role === "admin"
      ? [
          { to: "/audit", label: "Audit log", icon: <ShieldIcon /> },
          { to: "/settings/api-keys", label: "API keys", icon: <KeyIcon /> },
        ]
      : []),
  ];

  const onSignOut = async () => {
    try {
      await signOut.run();
      navigate("/sign-in", { replace: true });
    } catch {
      // signOut.error is shown under the top bar; the person stays signed in.
    }
  };

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="sidebar-brand">
          <Wordmark />
        </div>
        <nav className="sidebar-nav" aria-label="Main">
          {nav.map((item) => (
            <NavLink key={item.to} to={item.to} className="nav-link">
              {item.icon}
              <span>{item.label}</span>
            </NavLink>
          ))}
        </nav>
        <div className="sidebar-foot">
          <p>Marketing and sales, one agreement.</p>
          <a href="/api/docs" target="_blank" rel="noreferrer">
            API reference
          </a>
        </div>
      </aside>
      <div className="main">
        <header className="topbar">
          <div className="topbar-left">
            {isReadOnly(user.role) ? (
              <span className="pill pill-muted" data-testid="read-only-pill">
                <EyeIcon size={14} /> Read-only access
              </span>
            ) : null}
          </div>
          <div className="topbar-user">
            <span className="avatar" aria-hidden="true">
              {initials(user.name)}
            </span>
            <div className="topbar-who">
              <span className="topbar-name" data-testid="current-user">
                {user.name}
              </span>
              <span className="topbar-email">{user.email}</span>
            </div>
            <span className="role-badge" data-role={user.role}>
              {roleLabels[user.role]}
            </span>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={onSignOut}
              disabled={signOut.isPending}
            >
              <SignOutIcon size={16} />
              Sign out
            </button>
          </div>
        </header>
        {signOut.error ? <Banner tone="danger">{signOut.error.message}</Banner> : null}
        <main className="content">
          <Outlet />
        </main>
      </div>
    </div>
  );
}
