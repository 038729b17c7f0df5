// Both kinds of database's schema, for drizzle-kit (drizzle.config.ts) and the migrations generated from it: every
// database receives every migration (DATA_0 is the control plane's database too). Code imports the tables from here
// or from the kind's own file; which database a statement may go to is checked by the handle's type (client.ts).
export * from "./control-schema.ts";
export * from "./data-schema.ts";
