// Around each page: if rendering throws, say what went wrong (and offer a reload) instead of a blank screen.
import { Component, type ComponentChildren } from "preact";

export class ErrorBoundary extends Component<{ children: ComponentChildren }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  componentDidCatch(error: Error) {
    console.error("watchllm dashboard:", error);
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section class="crash" role="alert" data-testid="page-error">
        <h1>This page failed to show</h1>
        <p>{error.message}</p>
        <button type="button" onClick={() => location.reload()}>
          Reload
        </button>
      </section>
    );
  }
}
