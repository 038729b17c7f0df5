"""Which provider served a call: from the client's host, else from the model's name (ids as in the price table)."""

from typing import Optional

HOSTS = (
    ("azure.com", "azure"),
    ("openai.com", "openai"),
    ("openrouter.ai", "openrouter"),
    ("groq.com", "groq"),
    ("together.xyz", "together"),
    ("together.ai", "together"),
    ("fireworks.ai", "fireworks"),
    ("mistral.ai", "mistral"),
    ("deepseek.com", "deepseek"),
    ("x.ai", "x-ai"),
    ("perplexity.ai", "perplexity"),
    ("cerebras.ai", "cerebras"),
    ("googleapis.com", "google"),
    ("anthropic.com", "anthropic"),
    ("novita.ai", "novita"),
    ("moonshot.ai", "moonshotai"),
    ("moonshot.cn", "moonshotai"),
    ("z.ai", "zai"),
    ("bigmodel.cn", "zai"),
    ("cohere.com", "cohere"),
    ("cohere.ai", "cohere"),
)
MODELS = (
    (
        (
            "gpt-",
            "o1",
            "o3",
            "o4",
            "chatgpt",
            "text-embedding",
            "davinci",
            "babbage",
            "dall-e",
            "whisper",
            "tts-",
            "omni-moderation",
            "codex",
        ),
        "openai",
    ),
    (("claude",), "anthropic"),
    (("gemini", "gemma"), "google"),
    (("mistral", "mixtral", "codestral", "ministral", "pixtral", "magistral", "devstral"), "mistral"),
    (("deepseek",), "deepseek"),
    (("grok",), "x-ai"),
    (("command",), "cohere"),
    (("sonar",), "perplexity"),
    (("kimi", "moonshot"), "moonshotai"),
    (("glm",), "zai"),
)
NAMESPACES = {
    "openai": "openai",
    "anthropic": "anthropic",
    "google": "google",
    "mistralai": "mistral",
    "deepseek": "deepseek",
    "x-ai": "x-ai",
    "cohere": "cohere",
    "moonshotai": "moonshotai",
}
LOCAL = ("localhost", "127.0.0.1", "::1", "0.0.0.0")


def provider_for(host: str, model: str) -> Optional[str]:
    """A known host wins; then the model (`gpt-4o`, `anthropic/claude-…`); then the host itself unless it is local."""
    host = (host or "").lower()
    for domain, provider in HOSTS:
        if host == domain or host.endswith("." + domain):
            return provider
    name = (model or "").lower()
    if "/" in name:
        namespace, _, name = name.partition("/")
        if namespace in NAMESPACES:
            return NAMESPACES[namespace]
    for prefixes, provider in MODELS:
        if name.startswith(prefixes):
            return provider
    if host and host not in LOCAL and not host.endswith(".local"):
        return host[:64]
    return None
