// Routes: public pages (login, sign-up, invite) and the project pages under /p/:project/:section.
import { useEffect } from "preact/hooks";
import { type Section, Shell } from "./components/Shell.tsx";
import { Auth } from "./pages/Auth.tsx";
import { Compare } from "./pages/Compare.tsx";
import { Costs } from "./pages/Costs.tsx";
import { GroupDetail, GroupList } from "./pages/Groups.tsx";
import { InvitePage } from "./pages/Invite.tsx";
import { Placeholder } from "./pages/Placeholder.tsx";
import { Settings } from "./pages/Settings.tsx";
import { Trace } from "./pages/Trace.tsx";
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

  const page = match("/p/:project/:section") ?? match("/p/:project/:section/:id");
  const current = projectById(page?.project);
  if (!page || !current) {
    const first = allProjects.value[0];
    return first ? <Redirect to={`/p/${first.id}/traces`} /> : <Placeholder title="No projects yet" />;
  }
  const section = page.section as Section;
  const id = page.id;
  const body =
    section === "traces" ? (
      id ? (
        <Trace key={id} project={current.id} traceId={id} />
      ) : (
        <Traces project={current.id} />
      )
    ) : section === "compare" ? (
      <Compare project={current.id} />
    ) : section === "sessions" || section === "users" ? (
      id ? (
        <GroupDetail key={id} project={current.id} by={section} id={id} />
      ) : (
        <GroupList project={current.id} by={section} />
      )
    ) : section === "costs" ? (
      <Costs project={current.id} org={current.org} />
    ) : section === "settings" ? (
      <Settings project={current.id} org={current.org} />
    ) : (
      <Placeholder title="Not found" />
    );
  return (
    <Shell project={current.id} section={section}>
      {body}
    </Shell>
  );
}
