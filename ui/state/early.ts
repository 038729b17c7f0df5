// The reads ui/index.html's inline script started while the HTML parsed (none on a share link's page), each taken once
// by the code that would otherwise have started it.
type Early = {
  trace?: { project: string; path: string; response: Promise<Response> };
  session?: Promise<Response>;
};
const early: Early = (window as { __watchllmEarly?: Early }).__watchllmEarly ?? {};

/** The session probe's response at boot; a later probe (after signing in) asks afresh. */
export function takeEarlySession() {
  const session = early.session;
  early.session = undefined;
  return session;
}

/** The deep link's trace read, if the inline script started it. */
export const earlyTrace = early.trace;
