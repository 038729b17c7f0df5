// A conversation (ui/lib/conversation.ts) as turns: role, text (long text folded), tool calls with their arguments,
// tool results, images as placeholders.
import { useSignal } from "@preact/signals";
import type { Part, Turn } from "../lib/conversation.ts";
import { grouped } from "../lib/format.ts";

const FOLD_CHARS = 1200;
const FOLD_LINES = 18;

const pretty = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value, null, 2));

/** Text, folded to its first lines when long (all of it stays in the page, for find), with a button to unfold. */
function Folded({ text }: { text: string }) {
  const open = useSignal(false);
  const long = text.length > FOLD_CHARS || text.split("\n").length > FOLD_LINES;
  return (
    <div class="turn-text">
      <p class={long && !open.value ? "folded" : undefined}>{text}</p>
      {long && (
        <button type="button" class="link" onClick={() => (open.value = !open.value)}>
          {open.value ? "Show less" : `Show all (${grouped(text.length)} characters)`}
        </button>
      )}
    </div>
  );
}

function PartView({ part }: { part: Part }) {
  switch (part.kind) {
    case "text":
      return <Folded text={part.text} />;
    case "tool_call":
      return (
        <div class="turn-tool" data-testid="tool-call">
          <span class="turn-label">
            Tool call <strong>{part.name}</strong>
            {part.id && <code>{part.id}</code>}
          </span>
          <pre>{pretty(part.args ?? {})}</pre>
        </div>
      );
    case "tool_result":
      return (
        <div class="turn-tool" data-testid="tool-result">
          <span class="turn-label">
            Result{part.name && <strong> {part.name}</strong>}
            {part.id && <code>{part.id}</code>}
          </span>
          <pre>{pretty(part.content)}</pre>
        </div>
      );
    case "image":
      return <span class="turn-placeholder">[{part.label}]</span>;
    case "data":
      return (
        <div class="turn-tool">
          <span class="turn-label">{part.label}</span>
          <pre>{pretty(part.value)}</pre>
        </div>
      );
  }
}

export function Conversation({ turns }: { turns: Turn[] }) {
  return (
    <ol class="conversation" data-testid="conversation">
      {turns.map((turn, i) => (
        <li key={i} class={`turn role-${/^(system|user|assistant|tool)$/.test(turn.role) ? turn.role : "other"}`}>
          <span class="turn-role">
            {turn.role}
            {turn.name && ` · ${turn.name}`}
          </span>
          {turn.parts.map((part, j) => (
            <PartView key={j} part={part} />
          ))}
        </li>
      ))}
    </ol>
  );
}
