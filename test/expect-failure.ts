import { AppError } from "@/lib/errors";

/** The AppError a call fails with; fails the test if it succeeds or throws something else. */
export async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected a failure");
}
