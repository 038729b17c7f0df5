// Routes: public pages (login, sign-up, invite) and the project pages under /p/:project/:section.
import { useEffect } from "preact/hooks";
import { Shell, type Section } from "./components/Shell.tsx";
import { Auth } from "./pages/Auth.tsx";
import { InvitePage } from "./pages/Invite.tsx";
import { Placeholder } from "./pages/Placeholder.tsx";
import { Settings } from "./pages/Settings.tsx";
import { Traces } from "./pages/Traces.tsx";
import { match, navigate, path } from "./state/router.ts";
import { allProjects, me, projectById } from "./state/session.ts";

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, true), [to]);
  return null;
}

export function App() {
  const invite = match("/invite/:token");
  if (invite) return <InvitePage token={invite.token!} />;
  if (me.value === undefined) return <div class="boot" aria-busy="true" />;
  if (path.value === "/signup") return me.value ? <Redirect to="/" /> : <Auth mode="signup" />;
  if (path.value === "/login") return me.value ? <Redirect to="/" /> : <Auth mode="login" />;
  if (!me.value) return <Redirect to="/login" />;

  const page = match("/p/:project/:section");
  const current = projectById(page?.project);
  if (!page || !current) {
    const first = allProjects.value[0];
    return first ? <Redirect to={`/p/${first.id}/traces`} /> : <Placeholder title="No projects yet" />;
  }
  const section = page.section as Section;
  const body =
    section === "traces" ? <Traces project={current.id} /> :
    section === "settings" ? <Settings project={current.id} org={current.org} /> :
    <Placeholder title={section[0]!.toUpperCase() + section.slice(1)} />;
  return <Shell project={current.id} section={section}>{body}</Shell>;
}
