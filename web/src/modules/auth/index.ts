export { RequireRole, RequireSession } from "./require-session.tsx";
export {
  isReadOnly,
  roleLabels,
  type SessionUser,
  useCurrentUser,
  useSession,
  useSignOut,
} from "./session.ts";
export { SignInPage } from "./sign-in-page.tsx";
export { type User, useUserNames, useUsers } from "./users.ts";
