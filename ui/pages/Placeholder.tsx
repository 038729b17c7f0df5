export function Placeholder({ title }: { title: string }) {
  return (
    <section>
      <h1>{title}</h1>
      <p class="muted">Nothing here. Pick a section above.</p>
    </section>
  );
}
