// Vercel AI SDK telemetry (`ai.*` spans: ai.generateText → ai.generateText.doGenerate, ai.toolCall, ai.embed.doEmbed),
// both usage generations (promptTokens/completionTokens and inputTokens/outputTokens). The outer spans carry their
// children's usage totals: they are plain spans here, so only the doGenerate/doStream/doEmbed calls count tokens.
import { parseJson } from "../attributes.ts";
import { vercelInput, vercelOutput } from "../messages.ts";
import { type Convention, type EventType, type SpanAttrs, usageFrom } from "./convention.ts";

const MODEL_CALL = /^ai\.[A-Za-z]+\.(doGenerate|doStream|doEmbed)$/;
/** The outer span of a call (ai.generateText, ai.streamText, ai.embed, …), which the user's functionId names. */
const OUTER_CALL = /^ai\.[A-Za-z]+$/;

function operation(span: SpanAttrs): string {
  const id = span.all["ai.operationId"];
  return typeof id === "string" ? id : span.name;
}

function output(span: SpanAttrs): unknown {
  const toolResult = parseJson(span.get("ai.toolCall.result") ?? span.get("ai.toolCall.output"));
  if (toolResult !== undefined) return toolResult;
  const object = parseJson(span.get("ai.response.object"));
  if (object !== undefined) return object;
  return vercelOutput(span.get("ai.response.text"), parseJson(span.get("ai.response.toolCalls")));
}

export const vercelAi: Convention = {
  name: "vercel-ai",
  type: (span): EventType | undefined => {
    const op = operation(span);
    if (MODEL_CALL.test(op)) return "model_response";
    if (op === "ai.toolCall") return "tool_call";
    return undefined;
  },
  model: ["ai.response.model", "ai.model.id"],
  provider: ["ai.model.provider"],
  user: ["ai.telemetry.metadata.userId", "ai.settings.context.userId"],
  session: ["ai.telemetry.metadata.sessionId", "ai.settings.context.sessionId"],
  tags: ["ai.telemetry.metadata.tags", "ai.settings.context.tags"],
  usage: (span) =>
    usageFrom(span, {
      input: ["ai.usage.inputTokens", "ai.usage.promptTokens", "ai.usage.tokens"],
      output: ["ai.usage.outputTokens", "ai.usage.completionTokens"],
      cacheRead: ["ai.usage.inputTokenDetails.cacheReadTokens", "ai.usage.cachedInputTokens"],
      cacheWrite: ["ai.usage.inputTokenDetails.cacheWriteTokens"],
    }),
  cost: () => undefined,
  input: (span) => {
    const messages = parseJson(span.get("ai.prompt.messages"));
    if (messages !== undefined) return vercelInput(messages);
    return parseJson(span.first(["ai.prompt", "ai.toolCall.args", "ai.toolCall.input", "ai.values", "ai.value"]));
  },
  output,
  spanName: (span) => {
    const id = span.all["ai.telemetry.functionId"];
    return typeof id === "string" && id && OUTER_CALL.test(operation(span)) && operation(span) !== "ai.toolCall"
      ? id
      : undefined;
  },
  events: ["ai.stream.firstChunk", "ai.stream.finish"],
};
