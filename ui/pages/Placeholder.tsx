export function Placeholder({ title }: { title: string }) {
  return (
    <section>
      <h1>{title}</h1>
      <p class="muted">Coming next: see the roadmap in README.</p>
    </section>
  );
}
