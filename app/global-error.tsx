"use client";

/** The last resort when even the root layout failed: plain HTML, no app styles or providers. */
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", display: "grid", placeItems: "center", minHeight: "100dvh", margin: 0 }}>
        <main style={{ maxWidth: 420, textAlign: "center" }} data-testid="temporarily-unavailable">
          <h1 style={{ fontSize: 20 }}>Temporarily unavailable</h1>
          <p>Gatehouse could not complete this request. You are still signed in; try again in a few seconds.</p>
          <button type="button" onClick={() => reset()}>
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
