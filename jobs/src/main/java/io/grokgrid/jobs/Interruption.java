package io.grokgrid.jobs;

import org.apache.hadoop.util.ShutdownHookManager;

/**
 * What a sweep does when the JVM is told to stop (Ctrl-C, a kill): a shutdown hook that runs
 * before Spark's own hooks stop the SparkContext and before Hadoop closes its file systems, so it
 * can still cancel the running batch (nothing of it is committed), mark {@code sweep.json},
 * release the lease and say in one line what was kept. The JVM then exits with the signal's
 * status (130 for SIGINT, 143 for SIGTERM).
 */
final class Interruption implements AutoCloseable {
  /**
   * Hadoop runs its shutdown hooks by descending priority: file systems close at 10 and Spark's
   * hooks (the SparkContext's among them) run at 40; this runs before both.
   */
  static final int PRIORITY = 50;

  private static volatile boolean happened;
  private final Runnable hook;

  private Interruption(Runnable hook) {
    this.hook = hook;
  }

  /** Whether an interruption's hook has run in this JVM (its line is said: say nothing more). */
  static boolean happened() {
    return happened;
  }

  /** Installs {@code onSignal} until {@link #close}. */
  static Interruption install(Runnable onSignal) {
    Runnable hook = () -> {
      happened = true;
      onSignal.run();
    };
    ShutdownHookManager.get().addShutdownHook(hook, PRIORITY);
    return new Interruption(hook);
  }

  @Override
  public void close() {
    try {
      ShutdownHookManager.get().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs (or ran)
    }
  }
}
