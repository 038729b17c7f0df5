// Upgrading an instance: a database that applied the migrations of an older release, with events stored by it, gets
// the newer migrations, and everything it stored still works (here: search, after the index was rebuilt).
import {
  applyD1Migrations,
  createExecutionContext,
  createScheduledController,
  env,
  waitOnExecutionContext,
} from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { traceListParams } from "../../contract/trace-query.ts";
import { dataDb } from "../../src/db/client.ts";
import { traceListQuery } from "../../src/db/queries/trace-list.ts";
import { jobs } from "../../src/db/schema.ts";
import { writeMessages } from "../../src/db/writes/events.ts";
import worker from "../../src/index.ts";
import { validateEvents } from "../../src/ingest/validate.ts";
import { searchBackfillStep } from "../../src/maintenance/search-backfill.ts";
import { eventColumnsOf } from "./fixtures.ts";

/** The release before the search-index rebuild shipped migrations 0000–0005. */
const released = (name: string) => Number(name.slice(0, 4)) <= 5;

describe("upgrading from the release whose search index used word positions (migration 0002)", () => {
  it("rebuilds the index in the background and search finds the events stored before the upgrade", async () => {
    const db = env.UPGRADE_DB;
    await applyD1Migrations(
      db,
      env.TEST_MIGRATIONS.filter((m) => released(m.name)),
    );
    expect(await db.prepare("SELECT sql FROM sqlite_master WHERE name = 'events_fts'").first("sql")).not.toMatch(
      /detail/,
    );
    const { events } = validateEvents(
      Array.from({ length: 2_500 }, (_, i) => ({
        event_id: `old-${i}`,
        trace_id: `old-trace-${i % 50}`,
        type: "span",
        name: i === 7 ? "quokka lookup" : "step",
        timestamp: 1_764_000_000_000 + i,
        body: { input: i === 2_222 ? "the wombat question" : "hello" },
      })),
    );
    for (let i = 0; i < events.length; i += 500) {
      await writeMessages(
        db,
        [{ project_id: "prj_old", received_at: 1, events: events.slice(i, i + 500) }],
        Date.now(),
        await eventColumnsOf(db),
      );
    }

    const summaries = () => db.prepare("SELECT * FROM traces ORDER BY project_id, trace_id").all();
    const before = (await summaries()).results;
    expect(before).toHaveLength(50);
    const stored = () => db.prepare("SELECT rowid AS rowid, * FROM events ORDER BY rowid").all();
    const storedBefore = (await stored()).results;
    expect(storedBefore).toHaveLength(2_500);

    await applyD1Migrations(db, env.TEST_MIGRATIONS);
    // Migration 0029 rebuilt the events keyed by (project, trace, event), with no other index than the zero-cost
    // one, and kept every row with its rowid (the search index maps its rows to events by rowid).
    expect(await db.prepare("SELECT sql FROM sqlite_master WHERE name = 'events'").first("sql")).toMatch(
      /PRIMARY KEY\(`project_id`, `trace_id`, `event_id`\)/,
    );
    const eventIndexes = await db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name")
      .all<{ name: string }>();
    expect(eventIndexes.results.map((i) => i.name)).toEqual(["events_zero_cost", "sqlite_autoindex_events_1"]);
    const oldColumns = Object.keys(storedBefore[0]!);
    const storedAfter = (await stored()).results.map((r) => Object.fromEntries(oldColumns.map((c) => [c, r[c]])));
    expect(storedAfter).toEqual(storedBefore);
    // Migration 0025 rebuilt the summaries WITHOUT ROWID, with three indexes fewer, and kept every row as it was.
    expect(await db.prepare("SELECT sql FROM sqlite_master WHERE name = 'traces'").first("sql")).toMatch(
      /WITHOUT ROWID/,
    );
    const indexes = await db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'traces' ORDER BY name")
      .all<{ name: string }>();
    // (0029 dropped the sessions' index.)
    expect(indexes.results.map((i) => i.name)).toEqual(["traces_project_start", "traces_project_user"]);
    expect((await summaries()).results).toEqual(before);
    const search = async (q: string) =>
      (await traceListQuery(dataDb(db), "prj_old", traceListParams.parse({ q }))).map((t) => t.traceId);
    expect(await search("quokka")).toEqual([]); // the new index starts empty…

    // …and fills in bounded steps (2,000 events each) that can stop anywhere and resume…
    // The latest rebuild (migration 0022) supersedes the one 0007 queued.
    const job = async () => (await dataDb(db).select().from(jobs).where(eq(jobs.id, "search-rebuild-0022")))[0]!;
    expect(await searchBackfillStep(db, await job())).toBe(false);
    expect(JSON.parse((await job()).progress)).toEqual({ next_rowid: 2_000 });
    expect(await search("quokka")).toEqual(["old-trace-7"]);
    expect(await search("wombat")).toEqual([]);

    // …run by the scheduled handler, which finishes the job.
    const upgraded = { ...env, DB: db };
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), upgraded, ctx);
    await waitOnExecutionContext(ctx);
    expect(await job()).toMatchObject({ status: "done" });
    expect(await search("quokka")).toEqual(["old-trace-7"]);
    expect(await search("wombat")).toEqual([`old-trace-${2_222 % 50}`]);
    // One index row per trace and step: 50 traces in each of the two steps.
    expect(await db.prepare("SELECT count(*) AS n FROM events_fts").first("n")).toBe(100);

    // Events written after the upgrade are indexed on write, with the index's new shape.
    const { events: fresh } = validateEvents([
      { event_id: "new-1", trace_id: "new-trace", type: "log", name: "platypus", timestamp: 1_764_100_000_000 },
    ]);
    await writeMessages(db, [{ project_id: "prj_old", received_at: 2, events: fresh }]);
    expect(await search("platypus")).toEqual(["new-trace"]);

    // An event stored before the upgrade, delivered again, is still stored once (the new key holds its trace).
    await writeMessages(db, [{ project_id: "prj_old", received_at: 4, events: events.slice(0, 1) }]);
    expect(await db.prepare("SELECT count(*) AS n FROM events WHERE event_id = 'old-0'").first("n")).toBe(1);

    // …and merged into the summaries copied by 0025, which every sort of the list still reads.
    const { events: more } = validateEvents([
      { event_id: "new-2", trace_id: "old-trace-3", type: "span", name: "later", timestamp: 1_764_200_000_000 },
    ]);
    await writeMessages(db, [{ project_id: "prj_old", received_at: 3, events: more }]);
    const merged = await db.prepare("SELECT span_count, end_ts FROM traces WHERE trace_id = 'old-trace-3'").first();
    expect(merged).toEqual({ span_count: 51, end_ts: 1_764_200_000_000 });
    const first = async (sort: string) =>
      (await traceListQuery(dataDb(db), "prj_old", traceListParams.parse({ sort, limit: "1" })))[0]?.traceId;
    expect(await first("span_count")).toBe("old-trace-3");
    expect(await first("duration")).toBe("old-trace-3");
  });
});
