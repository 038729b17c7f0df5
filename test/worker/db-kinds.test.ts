// The two kinds of handle: a statement on a table of the other kind does not compile (each `@ts-expect-error` below
// fails `npm run typecheck` if it stops being an error), and the right kind runs against the real local D1.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { controlDb, dataDb, jobsDb } from "../../src/db/client.ts";
import { events, jobs, projects, traces, users } from "../../src/db/schema.ts";

describe("database kinds", () => {
  it("keeps control-plane and data tables to their own handles", async () => {
    const control = controlDb(env.DB);
    const data = dataDb(env.DB);
    const either = jobsDb(env.DB);
    // @ts-expect-error events live in a data database
    control.select().from(events);
    // @ts-expect-error trace summaries too
    control.delete(traces);
    // @ts-expect-error projects live in the control plane
    data.select({ id: projects.id }).from(projects);
    // @ts-expect-error users too
    data.update(users).set({ name: "x" });
    // @ts-expect-error a handle on either kind takes only what both have (jobs)
    either.insert(events);
    // @ts-expect-error a control handle is not a data handle
    const wrong: typeof data = control;
    expect(wrong).toBeDefined();

    expect(await control.select({ id: projects.id }).from(projects).where(eq(projects.id, "prj_none"))).toEqual([]);
    expect(await data.select({ id: events.eventId }).from(events).where(eq(events.projectId, "prj_none"))).toEqual([]);
    expect(await either.select().from(jobs).where(eq(jobs.id, "job_none"))).toEqual([]);
    expect(await control.select().from(jobs).where(eq(jobs.id, "job_none"))).toEqual([]);
  });
});
