// Events put on the queue and not yet written, as this isolate counts them. Only meaningful locally, where `wrangler
// dev` runs the ingest routes and the consumer in one isolate and the queue lives in memory: `npm start` waits for it
// to reach 0 on Ctrl-C so acknowledged events aren't lost. (Deployed, producers and consumers are separate isolates.)
let pending = 0;

export const backlog = {
  sent(events: number) {
    pending += events;
  },
  written(events: number) {
    pending = Math.max(0, pending - events);
  },
  get pending() {
    return pending;
  },
};
