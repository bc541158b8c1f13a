/**
 * A command's work guarded against what a dashboard module does outside it and against signals.
 */

/**
 * Runs `work` until it settles, a dashboard module fails outside it (a timer that throws, an
 * unhandled rejection), or SIGINT or SIGTERM arrives; `cleanUp` runs first in the last two cases.
 * Both become one-line errors; a signal exits with 128 + its number, as a shell reports it,
 * unless `cleanUp` finds nothing to undo (the output was written): then the work finishes.
 * A module failing after the work is done still ends the process with one line and exit 1.
 */
export async function guarded<T>(
  inputs: readonly string[],
  work: () => Promise<T>,
  cleanUp: () => Promise<boolean> = async () => true,
): Promise<T> {
  // Known before any module loads, so a failure is reported the instant it happens.
  const { findModules, moduleFailureMessage } = await import('../build/build.js');
  const modules = await findModules(inputs).catch(() => []);
  let settled = false;
  // Once a signal arrived: the clean-up that ends in its exit, which the work's own failure must not overtake.
  let stopping: Promise<void> | undefined;
  let failed: (error: Error) => void = () => undefined;
  const interrupted = new Promise<never>((_, reject) => (failed = reject));
  const onFailure = (error: unknown) => {
    const failure = new Error(moduleFailureMessage(error, modules));
    if (!settled) return failed(failure);
    console.error(`build-dashboards: ${failure.message}`);
    process.exit(1);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stopping ??= cleanUp().then((undone) => {
      if (!undone) return;
      console.error(`build-dashboards: stopped by ${signal}; nothing was written`);
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    });
  };
  process.on('uncaughtException', onFailure).on('unhandledRejection', onFailure);
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    return await Promise.race([work(), interrupted]);
  } catch (error) {
    await (stopping ?? cleanUp());
    throw error;
  } finally {
    settled = true;
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}
