// One fault-injecting ingest server for the SDK suites (Node and workerd reach it over HTTP).
import type { TestProject } from "vitest/node";
import { startFaultServer } from "./fault-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    faultServer: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startFaultServer();
  project.provide("faultServer", server.url);
  return () => server.close();
}
