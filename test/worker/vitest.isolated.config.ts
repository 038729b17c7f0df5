// The worker tests that need an instance of their own (ISOLATED in vitest.config.ts): a fresh one per file.
import { ISOLATED, workerProject } from "./vitest.config.ts";

export default workerProject("worker-isolated", { include: ISOLATED }, true);
