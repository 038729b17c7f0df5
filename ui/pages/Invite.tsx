// /invite/:token: shows what the invite offers; signed-in users accept it, others sign up with it.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { ApiError, api } from "../api.ts";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { navigate } from "../state/router.ts";
import { loadMe, me } from "../state/session.ts";
import { Auth } from "./Auth.tsx";

type Invite = { org_name: string; role: string };

export function InvitePage({ token }: { token: string }) {
  const invite = useSignal<Invite | null>(null);
  const error = useSignal<string | null>(null);
  useEffect(() => {
    api<{ invite: Invite }>(`/api/invites/${encodeURIComponent(token)}`)
      .then((r) => (invite.value = r.invite))
      .catch((err) => (error.value = err instanceof ApiError ? err.message : String(err)));
  }, [token]);
  if (error.value)
    return (
      <main class="auth">
        <div class="card">
          <ErrorNote error={error.value} />
        </div>
      </main>
    );
  if (!invite.value) return <main class="auth" aria-busy="true" />;
  const offer = (
    <p class="notice">
      You're invited to <strong>{invite.value.org_name}</strong> as <strong>{invite.value.role}</strong>.
    </p>
  );
  if (!me.value)
    return (
      <>
        {offer}
        <Auth mode="signup" inviteToken={token} />
      </>
    );
  return (
    <main class="auth">
      <div class="card">
        {offer}
        <button
          type="button"
          class="primary"
          onClick={async () => {
            await api(`/api/invites/${encodeURIComponent(token)}/accept`, { json: {} });
            await loadMe();
            navigate("/");
          }}
        >
          Join {invite.value.org_name}
        </button>
      </div>
    </main>
  );
}
