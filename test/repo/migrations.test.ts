// Migrations are append-only: installed instances never rerun one, so a committed migration must never change.
import { describe, expect, it } from "vitest";
import { migrationChecksums, readLocked } from "../../scripts/migrations.ts";

describe("migrations", () => {
  const files = migrationChecksums();
  const locked = readLocked();

  it("are all recorded in migrations/CHECKSUMS (run `npm run migrations:lock` after adding one)", () => {
    expect(files.map(([f]) => f).filter((f) => !locked.has(f))).toEqual([]);
  });

  it("never change or disappear once recorded", () => {
    const current = new Map(files);
    const changed = [...locked].filter(([file, sum]) => current.get(file) !== sum).map(([file]) => file);
    expect(changed, "restore these and put the change in a new migration").toEqual([]);
  });

  it("are numbered in order without gaps or repeats", () => {
    const numbers = files.map(([f]) => Number(f.slice(0, 4)));
    expect(numbers).toEqual(numbers.map((_, i) => i));
  });
});
