package io.grokgrid.jobs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;

/**
 * The one place grokgrid builds a {@link SparkSession}: the command line, the benchmark and the
 * tests all start Spark here.
 *
 * <p>Every session: the given master and application name, no console progress bar (grokgrid
 * draws its own). A local master ({@code local}, {@code local[N]}, {@code local[*]},
 * {@code local[N,F]}, {@code local-cluster[...]}) also gets the driver on the loopback address
 * (no firewall prompt, no dependence on the host name resolving), the web UI only if asked, and
 * as many SQL shuffle partitions as the master has task slots (at least 2) instead of Spark's
 * 200, most of which would be empty for grokgrid's small aggregations.
 *
 * <p>{@code getOrCreate} returns the active session if there is one: tests hold one session per
 * class in a static field and stop it in {@code @AfterAll}.
 */
public final class Sessions {
  private static final Pattern LOCAL_SLOTS = Pattern.compile("local\\[(\\d+|\\*)(,\\d+)?]");

  private Sessions() {}

  /**
   * A builder with grokgrid's settings (see the class comment).
   *
   * @param ui whether a local master starts Spark's web UI (a cluster's is left on)
   */
  public static SparkSession.Builder builder(String master, String app, boolean ui) {
    SparkSession.Builder b = SparkSession.builder().master(master).appName(app)
        .config("spark.ui.showConsoleProgress", "false");
    if (master.startsWith("local")) {
      b.config("spark.ui.enabled", String.valueOf(ui))
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", String.valueOf(Math.max(2, localSlots(master))));
    }
    return b;
  }

  /**
   * A local session for tests and the benchmark: UI off, Spark's own logging at WARN.
   *
   * @param master a local master, e.g. {@code local[2]} or {@code local[2,2]} (task retries)
   */
  public static SparkSession local(String master, String app) {
    if (!master.startsWith("local")) {
      throw new IllegalArgumentException("a local session needs a local[...] master, got " + master);
    }
    SparkSession s = builder(master, app, false).getOrCreate();
    s.sparkContext().setLogLevel("WARN");
    return s;
  }

  /**
   * Task slots of a local master: N of {@code local[N]} or {@code local[N,F]}, the available
   * processors for {@code local[*]} and any other local form, 1 for {@code local}.
   */
  static int localSlots(String master) {
    if (master.equals("local")) {
      return 1;
    }
    Matcher m = LOCAL_SLOTS.matcher(master);
    if (m.matches() && !m.group(1).equals("*")) {
      return Integer.parseInt(m.group(1));
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * The session of a command-line verb: {@code master}, else spark-submit's {@code spark.master},
   * else {@code local[*]}. Logging at WARN (INFO and a local web UI with {@code verbose}). A
   * {@code spark://} master is checked before and after the session starts (see
   * {@link #requireReachable} and {@link #requireRegistered}).
   */
  static SparkSession forCli(String master, String app, boolean verbose) {
    Configurator.setRootLevel(verbose ? Level.INFO : Level.WARN);
    if (!verbose) {
      // an aborted write is reported once, by the command, not as a logged stack trace
      Configurator.setLevel("org.apache.spark.sql.execution.datasources.FileFormatWriter", Level.OFF);
    }
    String m = master != null ? master : System.getProperty("spark.master");
    if (m == null) {
      m = "local[*]";
    }
    if (m.startsWith("spark://")) {
      requireReachable(m);
    }
    SparkSession s = builder(m, app, verbose).getOrCreate();
    if (m.startsWith("spark://")) {
      requireRegistered(s, m);
    }
    s.sparkContext().setLogLevel(verbose ? "INFO" : "WARN");
    return s;
  }

  /**
   * A {@code spark://} master none of whose {@code HOST:PORT} accepts a connection is refused at
   * once: Spark itself would retry registering for about a minute before giving up.
   */
  static void requireReachable(String master) {
    String hosts = master.substring("spark://".length());
    for (String hostPort : hosts.split(",")) {
      int colon = hostPort.lastIndexOf(':');
      int port = -1;
      try {
        port = colon < 0 ? -1 : Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        // reported below
      }
      if (colon <= 0 || port < 1 || port > 65535) {
        throw new IllegalArgumentException("--master must be spark://HOST:PORT[,HOST:PORT...], got " + master);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(hostPort.substring(0, colon), port), 5000);
        return;
      } catch (IOException | IllegalArgumentException e) {
        // not this one; try the next (standby masters)
      }
    }
    throw new IllegalArgumentException("no Spark master answers at " + master
        + " (start one, e.g. cluster-configs/local-cluster start, or check --master)");
  }

  /**
   * A standalone master that refuses the application (wrong or missing
   * {@code spark.authenticate.secret}, or no master there) makes Spark give up after its
   * registration retries, yet {@code getOrCreate} still returns a context that is being stopped.
   * Refuse before anything is written. The master's accepted applications have ids
   * {@code app-...}; without registration Spark falls back to {@code spark-application-...}.
   */
  static void requireRegistered(SparkSession s, String master) {
    String id = s.sparkContext().isStopped() ? "" : s.sparkContext().applicationId();
    if (!id.startsWith("app-")) {
      s.stop();
      throw new IllegalArgumentException("the Spark master " + master + " did not accept this application"
          + " (is the master up, and is spark.authenticate.secret the cluster's secret?)");
    }
  }
}
