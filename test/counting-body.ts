/** A request body of `total` bytes made on demand, counting how many bytes its reader pulled. */
export function countingBody(total: number, chunk = 64 * 1024) {
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.pulled >= total) return controller.close();
        const n = Math.min(chunk, total - counter.pulled);
        counter.pulled += n;
        controller.enqueue(new Uint8Array(n).fill(0x20));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

export const HUNDRED_MB = 100 * 1024 * 1024;
