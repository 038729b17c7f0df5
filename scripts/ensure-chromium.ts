// Browser tests drive Debian's Chromium. `npm test` and `npm run test:browser` call this first: when Chromium is
// missing it is installed (as root, with apt), or the run stops with one line saying how to get it.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(path)) {
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    console.log("Installing Debian's Chromium for the browser tests (apt-get install -y chromium)…");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env });
  }
  if (!existsSync(path)) {
    console.error(
      `Browser tests need Chromium at ${path}: run \`sudo apt-get install -y chromium\` (or set CHROMIUM_PATH), then run the tests again.`,
    );
    process.exit(1);
  }
}
