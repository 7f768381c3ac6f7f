package io.grokgrid.jobs.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Every process the cluster tests start, and everything those start (executors), so that all of
 * them are stopped: by the tests' {@code finally} / {@code @AfterAll}, and by a JVM shutdown hook
 * if the test JVM itself is ended early.
 */
final class Procs {
  private static final List<ProcessHandle> TRACKED = new CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Procs::stopAll, "stop-cluster-test-processes"));
  }

  private Procs() {}

  /** Starts {@code cmd} with stdout and stderr into {@code log}, and tracks it. */
  static Process start(List<String> cmd, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    TRACKED.add(p.toHandle());
    return p;
  }

  /**
   * Kills only this process (SIGKILL), as a machine or a JVM crash would; its children are
   * remembered first, since they outlive it as orphans and {@link #stopAll} must still find them.
   */
  static void killOnly(Process p) throws InterruptedException {
    TRACKED.addAll(p.descendants().toList());
    p.destroyForcibly();
    p.waitFor(60, TimeUnit.SECONDS);
  }

  /** Kills this process and everything it started. */
  static void killTree(Process p) {
    List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
    all.add(p.toHandle());
    kill(all);
  }

  /** Kills every tracked process and all their descendants (idempotent). */
  static synchronized void stopAll() {
    List<ProcessHandle> all = new ArrayList<>();
    for (ProcessHandle h : TRACKED) {
      all.addAll(h.descendants().toList());
    }
    all.addAll(TRACKED);
    kill(all);
  }

  private static void kill(List<ProcessHandle> all) {
    for (ProcessHandle h : all) {
      h.destroyForcibly();
    }
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // already gone, or not ours to wait for: the kill signal has been sent either way
      }
    }
  }
}
