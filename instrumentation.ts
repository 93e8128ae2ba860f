// Runs once when a server process starts, before it serves requests. A failed start (bad or
// missing configuration, database schema or catalogue problems) prints why and ends the process
// with a non-zero code, instead of listening and answering every request with a 500.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootstrap } = await import("./lib/bootstrap");
  try {
    await bootstrap();
  } catch (err) {
    console.error(`\n[gatehouse] cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
