// The WatchLLM version the Worker reports (HAR exports' creator); kept equal to package.json by a test.
export const VERSION = "0.1.0";
