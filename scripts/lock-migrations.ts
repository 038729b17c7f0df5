// `npm run migrations:lock`: records the SHA-256 of new migration files in migrations/CHECKSUMS. It only appends:
// a migration already listed must never change (installed instances never rerun it), so a changed one is refused.
import { migrationChecksums, readLocked } from "./migrations.ts";

const locked = readLocked();
const lines: string[] = [];
for (const [file, sum] of migrationChecksums()) {
  const was = locked.get(file);
  if (was && was !== sum) {
    console.error(`${file} changed after it was committed. Restore it and put the change in a new migration.`);
    process.exit(1);
  }
  if (!was) console.log(`locked ${file}`);
  lines.push(`${sum}  ${file}`);
}
const { writeFileSync } = await import("node:fs");
writeFileSync("migrations/CHECKSUMS", `${lines.join("\n")}\n`);
