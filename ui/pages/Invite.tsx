// /invite/:token: shows what the invite offers; signed-in users accept it, others sign up with it.
import { ErrorNote } from "../components/ErrorNote.tsx";
import { api } from "../lib/api.ts";
import { useAction, useApi } from "../lib/use-api.ts";
import { navigate } from "../state/router.ts";
import { loadMe, me } from "../state/session.ts";
import { Auth } from "./Auth.tsx";

export function InvitePage({ token }: { token: string }) {
  const offer = useApi(`/api/invites/${encodeURIComponent(token)}`);
  const accept = useAction();
  if (offer.error.value) {
    return (
      <main class="auth">
        <div class="card">
          <ErrorNote error={offer.error.value} />
        </div>
      </main>
    );
  }
  const invite = offer.data.value?.invite;
  if (!invite) return <main class="auth" aria-busy="true" />;
  const notice = (
    <p class="notice">
      You're invited to <strong>{invite.org_name}</strong> as <strong>{invite.role}</strong>.
    </p>
  );
  if (!me.value) {
    return (
      <>
        {notice}
        <Auth mode="signup" inviteToken={token} />
      </>
    );
  }
  return (
    <main class="auth">
      <div class="card">
        {notice}
        <ErrorNote error={accept.error} />
        <button
          type="button"
          class="primary"
          disabled={accept.busy.value}
          onClick={() =>
            accept.run(async (init) => {
              await api(`/api/invites/${encodeURIComponent(token)}/accept`, { method: "POST", ...init, json: {} });
              await loadMe();
              navigate("/");
            })
          }
        >
          Join {invite.org_name}
        </button>
      </div>
    </main>
  );
}
