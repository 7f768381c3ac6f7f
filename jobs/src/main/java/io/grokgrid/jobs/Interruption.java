package io.grokgrid.jobs;

import java.util.List;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

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

  /**
   * Where Spark logs the races of its own shutdown (a stopping executor rejecting the tasks it
   * was handed: "Inbox: Ignoring error" with a stack trace) after the one line has been said.
   */
  private static final List<String> SHUTDOWN_NOISE = List.of("org.apache.spark.rpc.netty.Inbox",
      "org.apache.spark.executor.Executor", "org.apache.spark.scheduler.TaskSetManager",
      "org.apache.spark.scheduler.TaskSchedulerImpl");

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
      quietShutdown();
      onSignal.run();
    };
    ShutdownHookManager.get().addShutdownHook(hook, PRIORITY);
    return new Interruption(hook);
  }

  /** Turns off {@link #SHUTDOWN_NOISE} unless the run is verbose (root level INFO or finer). */
  private static void quietShutdown() {
    if (LogManager.getRootLogger().getLevel().isMoreSpecificThan(Level.WARN)) {
      for (String logger : SHUTDOWN_NOISE) {
        Configurator.setLevel(logger, Level.OFF);
      }
    }
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
