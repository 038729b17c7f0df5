// Routes: public pages (login, sign-up, invite, a shared trace) and the project pages under /p/:project/:section, each inside an
// error boundary and loaded with its own code.
import type { ComponentChildren } from "preact";
import { useEffect, useMemo } from "preact/hooks";
import { ErrorBoundary } from "./components/ErrorBoundary.tsx";
import { ErrorNote } from "./components/ErrorNote.tsx";
import { type Section, Shell } from "./components/Shell.tsx";
import { lazy } from "./lib/lazy.tsx";
import { Placeholder } from "./pages/Placeholder.tsx";
import { match, navigate, path } from "./state/router.ts";
import { allProjects, bootError, canManage, me, projectById } from "./state/session.ts";

// Each page loads with its chunk when first shown (ui/lib/lazy.tsx; which pages share a chunk: ui/pages/chunks/).
const Auth = lazy(() => import("./pages/chunks/account.ts").then((m) => m.Auth));
const InvitePage = lazy(() => import("./pages/chunks/account.ts").then((m) => m.InvitePage));
const NoProjects = lazy(() => import("./pages/chunks/settings.ts").then((m) => m.NoProjects));
const AlertList = lazy(() => import("./pages/chunks/alerts.ts").then((m) => m.AlertList));
const AlertDetail = lazy(() => import("./pages/chunks/alerts.ts").then((m) => m.AlertDetail));
const Compare = lazy(() => import("./pages/chunks/traces.ts").then((m) => m.Compare));
const Costs = lazy(() => import("./pages/chunks/insights.ts").then((m) => m.Costs));
const GroupList = lazy(() => import("./pages/chunks/traces.ts").then((m) => m.GroupList));
const GroupDetail = lazy(() => import("./pages/chunks/traces.ts").then((m) => m.GroupDetail));
const Overview = lazy(() => import("./pages/chunks/insights.ts").then((m) => m.Overview));
const Settings = lazy(() => import("./pages/chunks/settings.ts").then((m) => m.Settings));
const SharedTrace = lazy(() => import("./pages/chunks/account.ts").then((m) => m.SharedTrace));
const Trace = lazy(() => import("./pages/chunks/trace.ts").then((m) => m.Trace));
const Traces = lazy(() => import("./pages/chunks/traces.ts").then((m) => m.Traces));

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, true), [to]);
  return null;
}

function Page({
  section,
  id,
  project,
}: {
  section: Section;
  id?: string;
  project: ReturnType<typeof projectById> & {};
}) {
  if (section === "traces") return <Traces project={project.id} />;
  if (section === "overview") return <Overview project={project.id} />;
  if (section === "compare") return <Compare project={project.id} />;
  if (section === "sessions" || section === "users") {
    return id ? (
      <GroupDetail key={id} project={project.id} by={section} id={id} />
    ) : (
      <GroupList project={project.id} by={section} />
    );
  }
  if (section === "alerts") {
    const manager = canManage(project.org.role);
    return id ? (
      <AlertDetail key={id} project={project.id} id={id} canManage={manager} />
    ) : (
      <AlertList project={project.id} canManage={manager} />
    );
  }
  if (section === "costs") return <Costs project={project.id} org={project.org} />;
  if (section === "settings") return <Settings project={project.id} org={project.org} tab={id} />;
  return <Placeholder title="Not found" />;
}

/** The frame around a project's page: the same elements before and after the session answers, so nothing remounts. */
const framed = (project: string, section: Section, page: ComponentChildren, fill = false) => (
  <Shell project={project} section={section} fill={fill}>
    <ErrorBoundary key={path.value}>{page}</ErrorBoundary>
  </Shell>
);

export function App() {
  // One trace page's element while the path stays on it: the session's answer re-renders the frame around the page
  // (shown before it on a deep link), not the page.
  const link = match("/p/:project/traces/:id");
  const trace = useMemo(
    () => link && <Trace key={link.id} project={link.project!} traceId={link.id!} />,
    [link?.project, link?.id],
  );
  const invite = match("/invite/:token");
  if (invite) return <InvitePage token={invite.token!} />;
  // A share link is public: it shows its trace whoever (if anyone) is signed in.
  const shared = match("/share/:token");
  if (shared) return <SharedTrace token={shared.token!} />;
  if (bootError.value) {
    return (
      <main class="auth">
        <ErrorNote error={`WatchLLM could not load your account: ${bootError.value}`} />
      </main>
    );
  }
  // A deep link to a trace shows its first screen without waiting for the session (only boot waits for it): the
  // trace's read (started at boot, ui/state/trace-fetch.ts) proves access, and the page shows a failure only once the
  // session is known (signed out: sign-in; a project not the user's: redirected, both below).
  if (me.value === undefined)
    return link ? framed(link.project!, "traces", trace, true) : <div class="boot" aria-busy="true" />;
  if (path.value === "/signup") return me.value ? <Redirect to="/" /> : <Auth mode="signup" />;
  if (path.value === "/login") return me.value ? <Redirect to="/" /> : <Auth mode="login" />;
  if (!me.value) return <Redirect to="/login" />;

  const page = match("/p/:project/:section") ?? match("/p/:project/:section/:id");
  const current = projectById(page?.project);
  if (!page || !current) {
    const first = allProjects.value[0];
    return first ? <Redirect to={`/p/${first.id}/overview`} /> : <NoProjects />;
  }
  const section = page.section as Section;
  return section === "traces" && page.id
    ? framed(current.id, section, trace, true)
    : framed(current.id, section, <Page section={section} id={page.id} project={current} />);
}
