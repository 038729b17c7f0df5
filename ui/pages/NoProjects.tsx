// Signed in without a project (the last one was deleted, or an org was made empty): create one in an org you manage.
import { ErrorNote } from "../components/ErrorNote.tsx";
import { onFields } from "../components/ListForm.tsx";
import { NameForm } from "../components/NameForm.tsx";
import { createProjectIn } from "../lib/projects.ts";
import { useAction } from "../lib/use-api.ts";
import { canManage, me } from "../state/session.ts";

export function NoProjects() {
  const orgs = (me.value?.orgs ?? []).filter((o) => canManage(o.role));
  const action = useAction();
  const create = onFields((field) => void action.run((init) => createProjectIn(field("org"), field("name"), init)));
  return (
    <main class="page">
      <section>
        <h1>No projects yet</h1>
        {orgs.length ? (
          <>
            <p class="muted">Create one to get its keys and start sending events.</p>
            <ErrorNote error={action.error} />
            <NameForm
              label="Project name"
              placeholder="e.g. support-bot"
              button="Create project"
              busy={action.busy.value}
              onSubmit={create}
            >
              {orgs.length > 1 && (
                <label>
                  Org
                  <select name="org">
                    {orgs.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.name}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              {orgs.length === 1 && <input type="hidden" name="org" value={orgs[0]!.id} />}
            </NameForm>
          </>
        ) : (
          <p class="muted">Ask an admin of your org to create a project or invite you to one.</p>
        )}
      </section>
    </main>
  );
}
