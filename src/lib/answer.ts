// The one way a route answers JSON: through its entry in the contract's route map, so an answer that drifts from the
// contract fails `npm run typecheck` (an object literal with a field too many or too few, or of the wrong type).
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AnswerOf, JsonRoute } from "../../contract/routes.ts";

/** `c.json(body, status)` with `body` checked against what `route` ("METHOD /path" as mounted) answers. */
export const answer = <K extends JsonRoute>(
  c: Context,
  _route: K,
  body: AnswerOf<K>,
  status?: ContentfulStatusCode,
  headers?: Record<string, string>,
) => c.json(body as never, status, headers);
