// `npm run fake:upstream`: a local stand-in for the OpenAI and Anthropic APIs (the one every test uses, serving the
// recorded answers of test/fixtures/providers), so every way in can be tried without a provider key: answers with
// usage, streams, embeddings, the Responses API, and tool calls, rate limits and errors on request
// (`X-Fake-Scenario: tools | 429 | 500`). 127.0.0.1 only; any key works.
import { startFakeUpstream } from "../test/support/fake-upstream.ts";

const upstream = await startFakeUpstream(Number(process.env.PORT ?? 8790));
console.log(`Fake OpenAI and Anthropic APIs on ${upstream.url}/v1 (any API key; Ctrl-C stops it).

  SDK clients (openai, Vercel AI SDK):  export OPENAI_BASE_URL=${upstream.url}/v1 OPENAI_API_KEY=sk-fake
  The gateway:                          OPENAI_UPSTREAM_URL=${upstream.url}/v1 ANTHROPIC_UPSTREAM_URL=${upstream.url}/v1 npm start
`);
