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
import { eraseStep } from "../../src/db/writes/erase.ts";
import { writeMessages } from "../../src/db/writes/events.ts";
import { d1Runner, EVENTS_REKEY_JOB, finishEventsRekey } from "../../src/db/writes/events-rekey.ts";
import { eventCostsSet } from "../../src/db/writes/reprice.ts";
import worker from "../../src/index.ts";
import { validateEvents } from "../../src/ingest/validate.ts";
import { eventsRekeyJobStep } from "../../src/maintenance/events-rekey.ts";
import { searchBackfillStep } from "../../src/maintenance/search-backfill.ts";
import { eventColumnsOf } from "./fixtures.ts";

const jobRow = async (d1: D1Database, id: string) => (await dataDb(d1).select().from(jobs).where(eq(jobs.id, id)))[0]!;

/** Migration 0029's end state: the events keyed by (project, trace, event), with one other index, nothing left over. */
async function expectRekeyed(d1: D1Database) {
  expect(await d1.prepare("SELECT sql FROM sqlite_master WHERE name = 'events'").first("sql")).toMatch(
    /PRIMARY KEY\(`project_id`, `trace_id`, `event_id`\)/,
  );
  const objects = await d1
    .prepare(
      "SELECT type, name, tbl_name AS tbl FROM sqlite_master WHERE tbl_name LIKE 'events%' AND tbl_name NOT LIKE 'events_fts%' ORDER BY name",
    )
    .all();
  expect(objects.results).toEqual([
    { type: "table", name: "events", tbl: "events" },
    { type: "index", name: "events_zero_cost_v2", tbl: "events" },
    { type: "index", name: "sqlite_autoindex_events_1", tbl: "events" },
  ]);
  expect(
    await d1
      .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'events%'")
      .first("n"),
  ).toBe(0);
}

/** The migrations a release shipped, up to and including number `last`. */
const migrationsUpTo = (last: number) => env.TEST_MIGRATIONS.filter((m) => Number(m.name.slice(0, 4)) <= last);

/**
 * An older release's events: 2,500 spans in 50 traces of `prj_old`, one named "quokka lookup" (with `bodies`, each
 * has an input and one asks "the wombat question").
 */
const olderEvents = (bodies: boolean) =>
  validateEvents(
    Array.from({ length: 2_500 }, (_, i) => ({
      event_id: `old-${i}`,
      trace_id: `old-trace-${i % 50}`,
      type: "span",
      name: i === 7 ? "quokka lookup" : "step",
      timestamp: 1_764_000_000_000 + i,
      ...(bodies ? { body: { input: i === 2_222 ? "the wombat question" : "hello" } } : {}),
    })),
  ).events;

describe("upgrading from the release whose search index used word positions (migration 0002)", () => {
  it("rebuilds the index in the background and search finds the events stored before the upgrade", async () => {
    const db = env.UPGRADE_DB;
    // The release before the search-index rebuild shipped migrations 0000–0005.
    await applyD1Migrations(db, migrationsUpTo(5));
    expect(await db.prepare("SELECT sql FROM sqlite_master WHERE name = 'events_fts'").first("sql")).not.toMatch(
      /detail/,
    );
    const events = olderEvents(true);
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
    // Migration 0029 left the events where they were, and queued their copy to the new key (the next test follows it).
    expect(await db.prepare("SELECT count(*) AS n FROM events_0029").first("n")).toBe(0);
    expect(JSON.parse((await jobRow(db, EVENTS_REKEY_JOB)).params)).toEqual({ last_rowid: 2_500 });
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
    // The same runs copied the events to the new key, swapped the tables and dropped the old one: every row kept with
    // its rowid (the search index maps its rows to events by rowid).
    expect(await jobRow(db, EVENTS_REKEY_JOB)).toMatchObject({ status: "done" });
    await expectRekeyed(db);
    const oldColumns = Object.keys(storedBefore[0]!);
    const storedAfter = (await stored()).results.map((r) => Object.fromEntries(oldColumns.map((c) => [c, r[c]])));
    expect(storedAfter).toEqual(storedBefore);
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

  it("copies the events to their new key (migration 0029) in bounded steps while events are written, updated and deleted", async () => {
    // A database of the release before 0029, with 2,500 events in 50 traces.
    const db = env.UPGRADE_DATA_1;
    await applyD1Migrations(db, migrationsUpTo(28));
    const events = olderEvents(false);
    for (let i = 0; i < events.length; i += 500)
      await writeMessages(db, [{ project_id: "prj_old", received_at: 1, events: events.slice(i, i + 500) }]);
    await applyD1Migrations(db, env.TEST_MIGRATIONS);

    const job = () => jobRow(db, EVENTS_REKEY_JOB);
    const step = async () => eventsRekeyJobStep(db, await job(), 1_000);
    const copied = async () => Number(await db.prepare("SELECT count(*) AS n FROM events_0029").first("n"));
    const write = (id: string, traceId: string, received = 2) =>
      writeMessages(db, [
        {
          project_id: "prj_old",
          received_at: received,
          events: validateEvents([
            { event_id: id, trace_id: traceId, type: "span", name: id, timestamp: 1_764_100_000_000 },
          ]).events,
        },
      ]);

    expect(await step()).toBe(false);
    expect(JSON.parse((await job()).progress)).toEqual({ phase: "copy", next_rowid: 1_000 });
    expect(await copied()).toBe(1_000);

    // During the copy: a deletion takes a trace whose events are on both sides of the copy's cursor, the last rowid
    // among them (so the next insert reuses it, before the copy reaches it); an insert; a redelivery (nothing
    // written); cost updates on both sides of the cursor.
    expect(
      await eraseStep(
        db,
        null,
        "prj_old",
        { kind: "trace", traceId: "old-trace-49" },
        { limit: 1_000, rollups: false },
      ),
    ).toBe(50);
    await write("mid-1", "mid-trace");
    expect(await db.prepare("SELECT rowid FROM events WHERE event_id = 'mid-1'").first("rowid")).toBe(2_500);
    await writeMessages(db, [{ project_id: "prj_old", received_at: 3, events: events.slice(0, 1) }]);
    await db.batch([
      eventCostsSet(db, "prj_old", [
        [10, 0, "client"],
        [1_999, 0, "client"],
      ]),
    ]);

    expect(await step()).toBe(false);
    // 1,000 events a step: past the 20 rowids the deletion freed.
    expect(JSON.parse((await job()).progress)).toEqual({ phase: "copy", next_rowid: 2_020 });
    await write("mid-2", "old-trace-3");
    // Until the swap an event is written twice: the old table's row and 2 index entries, the new table's row and key.
    const insert = (id: string) =>
      db
        .prepare(
          `INSERT INTO events (project_id, event_id, trace_id, type, name, ts, status, batch_id, received_at)
           VALUES ('prj_metered', ?1, 'metered', 'log', 'metered', 1, 'ok', 'b', 1)`,
        )
        .bind(id)
        .run();
    expect((await insert("metered-1")).meta.rows_written).toBe(5);

    // A step that fails midway (here the swap, after its copy: the old table's new name is taken) leaves nothing
    // behind, and the same step run again goes on.
    const countBefore = await copied();
    await db.prepare("CREATE TABLE events_0028 (blocker)").run();
    await expect(step()).rejects.toThrow(/events_0028/);
    expect(await copied()).toBe(countBefore);
    expect(JSON.parse((await job()).progress)).toEqual({ phase: "copy", next_rowid: 2_020 });
    expect(
      await db
        .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'events_0029%'")
        .first("n"),
    ).toBe(3);
    await db.prepare("DROP TABLE events_0028").run();

    const stored = () => db.prepare("SELECT rowid AS rowid, * FROM events ORDER BY rowid").all();
    const before = (await stored()).results;
    expect(before).toHaveLength(2_500 - 50 + 3);
    // The last copy step swaps the tables; the old one is then emptied 1,000 rows a step and dropped.
    expect(await step()).toBe(false);
    expect(JSON.parse((await job()).progress)).toEqual({ phase: "clean" });
    let steps = 0;
    while (!(await step())) steps++;
    expect(steps).toBe(3);
    expect(await job()).toMatchObject({ status: "done" });
    await expectRekeyed(db);
    const columns = Object.keys(before[0]!);
    expect((await stored()).results.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])))).toEqual(before);
    // The costs set during the copy, on both sides of its cursor, are in the new table's zero-cost index.
    const zeroCost = await db
      .prepare(
        "SELECT rowid FROM events INDEXED BY events_zero_cost_v2 WHERE project_id = 'prj_old' AND ts > 0 AND cost_source = 'client' AND cost_usd = 0 ORDER BY rowid",
      )
      .all<{ rowid: number }>();
    expect(zeroCost.results.map((r) => r.rowid)).toEqual([10, 1_999]);

    // Search still finds events copied, written during the copy and after; a redelivered event is stored once.
    const search = async (q: string) =>
      (await traceListQuery(dataDb(db), "prj_old", traceListParams.parse({ q }))).map((t) => t.traceId);
    expect(await search("quokka")).toEqual(["old-trace-7"]);
    expect(await search("mid")).toEqual(expect.arrayContaining(["mid-trace", "old-trace-3"]));
    await writeMessages(db, [{ project_id: "prj_old", received_at: 4, events: events.slice(0, 2) }]);
    expect(await db.prepare("SELECT count(*) AS n FROM events WHERE event_id IN ('old-0', 'old-1')").first("n")).toBe(
      2,
    );
    await write("after-1", "old-trace-3");
    expect((await insert("metered-2")).meta.rows_written).toBe(2);
    expect(await db.prepare("SELECT rowid FROM events WHERE event_id = 'after-1'").first("rowid")).toBe(2_503);
    // The query plans read the new key: a trace's events through it.
    const plan = await db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM events WHERE project_id = 'prj_old' AND trace_id = 'old-trace-3'")
      .all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join()).toMatch(
      /sqlite_autoindex_events_1 \(project_id=\? AND trace_id=\?\)/,
    );
    // A finished job is not run again.
    await finishEventsRekey(d1Runner(db));
    expect(await job()).toMatchObject({ status: "done" });
  });
});
