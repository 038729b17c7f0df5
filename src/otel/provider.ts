// Provider names as the price table knows them: `openai.chat` → `openai`, `gcp.vertex_ai` → `google`, `aws.bedrock` → `aws`.
const ALIASES: Record<string, string> = {
  aws: "aws",
  amazon: "aws",
  "amazon-bedrock": "aws",
  bedrock: "aws",
  gcp: "google",
  vertex: "google",
  vertexai: "google",
  gemini: "google",
  "google-vertex": "google",
  az: "azure",
  azure_openai: "azure",
  mistral_ai: "mistral",
  mistralai: "mistral",
  x_ai: "x-ai",
  xai: "x-ai",
  togetherai: "together",
  together_ai: "together",
  fireworks_ai: "fireworks",
};

/** Lowercased, first dotted part, known aliases resolved; null when absent. */
export function normalizeProvider(value: string | undefined): string | null {
  if (!value) return null;
  const head = value.trim().toLowerCase().split(/[./]/)[0] ?? "";
  return (ALIASES[head] ?? head).slice(0, 64) || null;
}
