import { type FormEvent, useState } from "react";
import { Navigate, useLocation, useNavigate } from "react-router";
import { Wordmark } from "../../ui/icons.tsx";
import { Banner, PageLoader, Spinner } from "../../ui/states.tsx";
import { useSession, useSignIn } from "./session.ts";

function returnPath(state: unknown): string {
  const from = (state as { from?: string } | null)?.from;
  return from?.startsWith("/") && !from.startsWith("/sign-in") ? from : "/leads";
}

export function SignInPage() {
  const session = useSession();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [missing, setMissing] = useState(false);

  if (session.isLoading) return <PageLoader label="Checking your session" />;
  if (session.data) return <Navigate to={returnPath(location.state)} replace />;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setMissing(!email.trim() || !password);
    if (!email.trim() || !password) return;
    try {
      await signIn.run({ email: email.trim(), password });
      navigate(returnPath(location.state), { replace: true });
    } catch {
      // The error is on signIn.error and shown below the heading.
    }
  };

  const error = signIn.error;
  return (
    <div className="auth-layout">
      <aside className="auth-aside">
        <Wordmark />
        <div className="auth-pitch">
          <h2>One agreement between marketing and sales. Enforced.</h2>
          <ul>
            <li>Every stage defined in writing, signed by both teams.</li>
            <li>Every move recorded with who, why and under which version.</li>
            <li>Rejections need a reason, so marketing learns what sales needs.</li>
          </ul>
        </div>
        <p className="auth-foot">Accord · the shared system of record for your lead funnel</p>
      </aside>
      <main className="auth-main">
        <form className="auth-card" onSubmit={onSubmit} noValidate>
          <div className="auth-card-brand">
            <Wordmark />
          </div>
          <h1>Sign in</h1>
          <p className="muted">Use the email and password your workspace admin gave you.</p>
          {missing ? <Banner tone="warning">Enter your email and your password.</Banner> : null}
          {error && !missing ? (
            <Banner tone={error.status === 429 ? "warning" : "danger"}>
              <span data-testid="sign-in-error">{error.message}</span>
            </Banner>
          ) : null}
          <label className="form-field">
            <span className="form-label">Work email</span>
            <input
              className="input"
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              placeholder="you@company.com"
            />
          </label>
          <label className="form-field">
            <span className="form-label">Password</span>
            <input
              className="input"
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <button type="submit" className="btn btn-primary btn-block" disabled={signIn.isPending}>
            {signIn.isPending ? <Spinner label="Signing in" /> : null}
            {signIn.isPending ? "Signing in…" : "Sign in"}
          </button>
        </form>
      </main>
    </div>
  );
}
