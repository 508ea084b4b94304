import { useEffect, useState } from "react";
import { NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { isReadOnly, roleLabels, useCurrentUser, useSignOut } from "./modules/auth/index.ts";
import { initials } from "./ui/format.ts";
import {
  EyeIcon,
  HandshakeIcon,
  KeyIcon,
  MenuIcon,
  ShieldIcon,
  SignOutIcon,
  UsersIcon,
  Wordmark,
  XIcon,
} from "./ui/icons.tsx";
import { Banner } from "./ui/states.tsx";

export function AppShell() {
  const user = useCurrentUser();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const location = useLocation();
  // On a phone the navigation folds into a menu under the top bar (theme.css); it closes when
  // the person goes somewhere, presses Escape or taps outside it.
  const [menuOpen, setMenuOpen] = useState(false);
  const [menuPath, setMenuPath] = useState(location.pathname);
  if (menuPath !== location.pathname) {
    setMenuPath(location.pathname);
    setMenuOpen(false);
  }
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setMenuOpen(false);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [menuOpen]);
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
    <div className={`shell ${menuOpen ? "menu-open" : ""}`}>
      <aside className="sidebar" id="app-menu">
        <div className="sidebar-brand">
          <Wordmark />
        </div>
        <nav className="sidebar-nav" aria-label="Main">
          {nav.map((item) => (
            <NavLink
              key={item.to}
              to={item.to}
              className="nav-link"
              onClick={() => setMenuOpen(false)}
            >
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
      {menuOpen ? (
        <button
          type="button"
          className="menu-scrim"
          // For a tap outside the menu; keyboards close it with Escape or the menu button.
          aria-hidden="true"
          tabIndex={-1}
          onClick={() => setMenuOpen(false)}
        />
      ) : null}
      <div className="main">
        <header className="topbar">
          <div className="topbar-left">
            <button
              type="button"
              className="btn-icon menu-toggle"
              aria-label="Menu"
              aria-expanded={menuOpen}
              aria-controls="app-menu"
              onClick={() => setMenuOpen((open) => !open)}
            >
              {menuOpen ? <XIcon size={22} /> : <MenuIcon size={22} />}
            </button>
            <span className="topbar-brand">
              <Wordmark />
            </span>
            {isReadOnly(user.role) ? (
              <span
                className="pill pill-muted"
                data-testid="read-only-pill"
                title="Read-only access"
              >
                <EyeIcon size={14} /> <span className="read-only-text">Read-only access</span>
              </span>
            ) : null}
          </div>
          <div className="topbar-user">
            <span className="avatar" aria-hidden="true" title={`${user.name} · ${user.email}`}>
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
