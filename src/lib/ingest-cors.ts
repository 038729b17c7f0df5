// CORS for the ways in that browsers may post to (native batches, OTLP/HTTP): any origin, POST only, the headers an
// exporter or `sendBeacon`-style client sends. Keys travel in headers, never cookies, so an open origin leaks nothing.
import { cors } from "hono/cors";

export const ingestCors = cors({
  origin: "*",
  allowMethods: ["POST", "OPTIONS"],
  allowHeaders: ["Authorization", "Content-Type", "Content-Encoding"],
  maxAge: 86400,
});
