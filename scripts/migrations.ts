// Migration files and their recorded checksums (migrations/CHECKSUMS, in `sha256sum` format).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const DIR = "migrations";

/** Every migration file with the SHA-256 of its content, in apply order. */
export function migrationChecksums(dir = DIR): Array<[string, string]> {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => [
      f,
      createHash("sha256")
        .update(readFileSync(join(dir, f)))
        .digest("hex"),
    ]);
}

/** The checksums recorded when each migration was committed. */
export function readLocked(dir = DIR): Map<string, string> {
  const file = join(dir, "CHECKSUMS");
  if (!existsSync(file)) return new Map();
  return new Map(
    readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [sum, name] = line.split(/\s+/);
        return [name!, sum!];
      }),
  );
}
