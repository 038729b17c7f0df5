// OpenTelemetry GenAI semantic conventions (`gen_ai.*`), current and older generations: attributes
// `gen_ai.input.messages`, indexed `gen_ai.prompt.N.*` (OpenLLMetry), `gen_ai.content.*` and per-message span events.
import { parseJson } from "../attributes.ts";
import { genAiInput, genAiOutput } from "../messages.ts";
import { type Convention, type EventType, type SpanAttrs, usageFrom } from "./convention.ts";

const OPERATION_TYPES: Record<string, EventType> = {
  chat: "model_response",
  text_completion: "model_response",
  generate_content: "model_response",
  embeddings: "model_response",
  execute_tool: "tool_call",
};

/** Events of the 1.2x generations that carried messages; `role` is implied by the name. */
const MESSAGE_EVENTS: Record<string, string> = {
  "gen_ai.system.message": "system",
  "gen_ai.user.message": "user",
  "gen_ai.assistant.message": "assistant",
  "gen_ai.tool.message": "tool",
};

function eventValue(span: SpanAttrs, eventName: string, key: string): unknown {
  const event = span.events.find((e) => e.name === eventName);
  return event ? parseJson(event.attrs[key]) : undefined;
}

function messageEvents(span: SpanAttrs, names: Record<string, string>): unknown[] | undefined {
  const found = span.events.filter((e) => e.name in names);
  if (!found.length) return undefined;
  return found.map((e) => ({ role: names[e.name], ...e.attrs, content: parseJson(e.attrs.content) }));
}

function input(span: SpanAttrs): unknown {
  const messages = parseJson(span.get("gen_ai.input.messages"));
  const system = parseJson(span.get("gen_ai.system_instructions"));
  if (messages !== undefined || system !== undefined) return genAiInput(messages, system);
  return (
    parseJson(span.get("gen_ai.tool.call.arguments")) ??
    parseJson(span.get("gen_ai.prompt")) ??
    span.nested("gen_ai.prompt") ??
    eventValue(span, "gen_ai.content.prompt", "gen_ai.prompt") ??
    messageEvents(span, MESSAGE_EVENTS)
  );
}

function output(span: SpanAttrs): unknown {
  return (
    genAiOutput(parseJson(span.get("gen_ai.output.messages"))) ??
    parseJson(span.get("gen_ai.tool.call.result")) ??
    parseJson(span.get("gen_ai.completion")) ??
    span.nested("gen_ai.completion") ??
    eventValue(span, "gen_ai.content.completion", "gen_ai.completion") ??
    messageEvents(span, { "gen_ai.choice": "assistant" })
  );
}

export const genAi: Convention = {
  name: "gen_ai",
  type: (span) => {
    const operation = span.get("gen_ai.operation.name");
    return typeof operation === "string" ? OPERATION_TYPES[operation] : undefined;
  },
  model: ["gen_ai.response.model", "gen_ai.request.model"],
  provider: ["gen_ai.provider.name", "gen_ai.system"],
  user: ["enduser.id"],
  session: ["gen_ai.conversation.id"],
  tags: [],
  usage: (span) =>
    usageFrom(span, {
      input: ["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"],
      output: ["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"],
      cacheRead: ["gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens"],
      cacheWrite: ["gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens"],
    }),
  cost: (span) => span.number(["gen_ai.usage.cost"]),
  input,
  output,
  // An agent span is named after the agent (`invoke_agent gpt-4o-mini` says less than `weather-bot`).
  spanName: (span) => {
    const agent = span.all["gen_ai.agent.name"];
    const invoke = span.all["gen_ai.operation.name"] === "invoke_agent" || span.name.startsWith("invoke_agent");
    return invoke && typeof agent === "string" && agent ? agent : undefined;
  },
  events: ["gen_ai.content.prompt", "gen_ai.content.completion", "gen_ai.choice", ...Object.keys(MESSAGE_EVENTS)],
};
