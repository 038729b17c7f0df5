// The settings tabs usage and model prices, one chunk (account.ts says why a module per chunk).
export { Prices } from "../Prices.tsx";
export { Usage } from "../Usage.tsx";
