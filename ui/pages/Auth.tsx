// Sign-up and login (one form, two modes). After sign-up the new project's keys are remembered for onboarding.
import { ErrorNote } from "../components/ErrorNote.tsx";
import { Link } from "../components/Link.tsx";
import { api } from "../lib/api.ts";
import { useAction } from "../lib/use-api.ts";
import { navigate } from "../state/router.ts";
import { loadMe, rememberKey } from "../state/session.ts";

export function Auth({ mode, inviteToken }: { mode: "login" | "signup"; inviteToken?: string }) {
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const field = (name: string) => String(form.get(name) ?? "");
    const login = { email: field("email"), password: field("password") };
    void action.run(async (init) => {
      if (mode === "signup") {
        const res = await api("/api/auth/signup", {
          method: "POST",
          ...init,
          json: { ...login, name: field("name"), invite_token: inviteToken },
        });
        rememberKey(res.project.id, "ingest", res.keys.ingest);
        rememberKey(res.project.id, "secret", res.keys.secret);
        await loadMe();
        navigate(`/p/${res.project.id}/traces`);
      } else {
        await api("/api/auth/login", { method: "POST", ...init, json: login });
        await loadMe();
        navigate("/");
      }
    });
  };
  return (
    <main class="auth">
      <h1>◉ WatchLLM</h1>
      <form class="card" onSubmit={submit}>
        <h2>{mode === "signup" ? "Create your account" : "Log in"}</h2>
        {mode === "signup" && (
          <label>
            Name
            <input name="name" autoComplete="name" required />
          </label>
        )}
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            minLength={mode === "signup" ? 12 : 1}
            required
            autoComplete={mode === "signup" ? "new-password" : "current-password"}
          />
        </label>
        <ErrorNote error={action.error} />
        <button type="submit" class="primary" disabled={action.busy.value}>
          {mode === "signup" ? "Sign up" : "Log in"}
        </button>
        <p class="muted">
          {mode === "signup" ? (
            <>
              Have an account? <Link href="/login">Log in</Link>
            </>
          ) : (
            <>
              New here? <Link href="/signup">Create an account</Link>
            </>
          )}
        </p>
      </form>
    </main>
  );
}
