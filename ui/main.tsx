import { render } from "preact";

function App() {
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", padding: "2rem" }}>
      <h1>WatchLLM</h1>
      <p>Your LLM traces will appear here.</p>
    </main>
  );
}

render(<App />, document.getElementById("app")!);
