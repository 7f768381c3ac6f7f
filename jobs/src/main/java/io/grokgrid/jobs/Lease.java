package io.grokgrid.jobs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The single-writer lease of a sweep directory: the file {@code <out>/_lease} (Spark readers skip
 * names starting with _), holding the writer's {@code host}, {@code pid} and {@code started} time
 * as key=value lines. It is created atomically, failing if it exists: {@code fs.create(path,
 * false)} on HDFS and object stores, {@code CREATE_NEW} on a local disk (Hadoop's local create
 * checks and then opens, which two processes can both pass).
 *
 * <p>Lifecycle: {@link #acquire} before anything in the directory is read for a resume or
 * written; a daemon thread then touches the file every {@link #HEARTBEAT}; {@link #close} stops
 * it and deletes the file (callers close in a {@code finally}).
 *
 * <p>A lease found in place is <em>stale</em>, and taken over with a line on stderr, when its
 * holder is on this host and its pid is not alive, or is on another host and the file has not
 * been touched for {@link #STALE_AFTER} (twenty heartbeats; another host's pids cannot be
 * checked). A lease without a readable pid counts as another host's. Otherwise the second writer is refused with one line naming the holder. A takeover
 * deletes the stale file and creates a new one with the same atomic create, so of two writers
 * taking over at once one wins; the other is refused, unless the loser read the stale lease,
 * the winner deleted and recreated it, and only then the loser deleted it: a window of
 * milliseconds that needs two writers started on one dead sweep at the same moment.
 * A dead holder's pid reused by a live process keeps the lease held; the refusal names the pid,
 * and the user deletes the file.
 *
 * <p>On S3A the create-if-absent is atomic only where the store and Hadoop version support
 * conditional writes ({@code fs.s3a.create.conditional.enabled}); elsewhere two writers starting
 * within the same second can both pass. HDFS and local disks are atomic.
 */
final class Lease implements AutoCloseable {
  static final String NAME = "_lease";
  static final Duration HEARTBEAT = Duration.ofSeconds(30);
  static final Duration STALE_AFTER = Duration.ofMinutes(10);

  private final FileSystem fs;
  private final Path out;
  private final Path file;
  private final long dirTimeBefore;
  private final boolean dirExisted;
  private final ScheduledExecutorService heartbeat;
  private final PrintStream messages;
  private final String text;

  private Lease(FileSystem fs, Path out, String text, long dirTimeBefore, boolean dirExisted, PrintStream messages) {
    this.fs = fs;
    this.text = text;
    this.messages = messages;
    this.out = out;
    this.file = new Path(out, NAME);
    this.dirTimeBefore = dirTimeBefore;
    this.dirExisted = dirExisted;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "grokgrid-lease-heartbeat");
      t.setDaemon(true);
      return t;
    });
    long s = HEARTBEAT.toSeconds();
    heartbeat.scheduleWithFixedDelay(this::touch, s, s, TimeUnit.SECONDS);
  }

  /** The holder recorded in a lease file. */
  record Holder(String host, long pid, String started) {
    static Holder self() {
      return new Holder(localHost(), ProcessHandle.current().pid(), Instant.now().toString());
    }

    String text() {
      return "host=" + host + "\npid=" + pid + "\nstarted=" + started + "\n";
    }

    static Holder parse(String text) {
      Properties p = new Properties();
      try {
        p.load(new StringReader(text));
        return new Holder(p.getProperty("host", "?"), Long.parseLong(p.getProperty("pid", "-1").strip()),
            p.getProperty("started", "?"));
      } catch (IOException | NumberFormatException e) {
        return new Holder("?", -1, "?"); // a torn lease: its writer died while filling it, or is filling it now
      }
    }
  }

  /** This host's name, as the lease records it. */
  static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String h = System.getenv("HOSTNAME");
      return h != null ? h : "localhost";
    }
  }

  /**
   * Takes the lease of {@code out} (creating the directory if needed).
   *
   * @param messages where a takeover of a stale lease is reported
   * @throws IllegalArgumentException if another live writer holds it, or {@code out} cannot be
   *     written (both user errors: the message names the path and the reason)
   */
  static Lease acquire(FileSystem fs, Path out, PrintStream messages) {
    FileSystem lfs = fs instanceof LocalFileSystem l ? l.getRawFileSystem() : fs; // no .crc beside it
    Path file = new Path(out, NAME);
    FileStatus dir = status(lfs, out);
    if (dir != null && !dir.isDirectory()) {
      throw new IllegalArgumentException("cannot write to " + out + ": it is a file, not a directory");
    }
    try {
      mkdirs(lfs, out);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write to " + out + ": " + reason(lfs, out, e), e);
    }
    Holder me = Holder.self();
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        create(lfs, file, me.text());
        return new Lease(lfs, out, me.text(), dir == null ? -1 : dir.getModificationTime(), dir != null, messages);
      } catch (FileAlreadyExistsException | org.apache.hadoop.fs.FileAlreadyExistsException e) {
        FileStatus st = status(lfs, file);
        if (st == null) {
          continue; // released meanwhile
        }
        Holder h = Holder.parse(read(lfs, file));
        String why = staleReason(h, st.getModificationTime());
        if (why == null) {
          throw new IllegalArgumentException(out + " is being written by pid " + h.pid() + " on host " + h.host()
              + " since " + h.started() + " (lease " + file + "); wait for it or, if that process is gone, run again"
              + (h.host().equals(me.host()) ? "" : " (a lease from another host is taken over after "
              + STALE_AFTER.toMinutes() + " min without its heartbeat)"));
        }
        messages.println("grokgrid: taking over the stale lease " + file + " of pid " + h.pid() + " on host "
            + h.host() + " since " + h.started() + " (" + why + ")");
        delete(lfs, file);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot write to " + out + ": " + reason(lfs, out, e), e);
      }
    }
    throw new IllegalArgumentException("cannot take the lease " + file + ": other writers keep taking it; run again");
  }

  /** Null if the holder may be alive, else why the lease is stale. */
  private static String staleReason(Holder h, long touchedMillis) {
    if (h.pid() >= 0 && h.host().equals(localHost())) {
      return ProcessHandle.of(h.pid()).map(ProcessHandle::isAlive).orElse(false) ? null : "that process is gone";
    }
    // another host, or a lease without a pid: its writer may be between creating and filling it
    long idle = System.currentTimeMillis() - touchedMillis;
    return idle > STALE_AFTER.toMillis() ? "no heartbeat for " + idle / 60_000 + " min" : null;
  }

  private static boolean local(FileSystem fs) {
    return "file".equals(fs.getUri().getScheme());
  }

  private static void mkdirs(FileSystem fs, Path dir) throws IOException {
    if (local(fs)) {
      Files.createDirectories(java.nio.file.Path.of(fs.makeQualified(dir).toUri()));
    } else if (!fs.mkdirs(dir)) {
      throw new IOException("cannot create the directory");
    }
  }

  private static void create(FileSystem fs, Path file, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (local(fs)) {
      java.nio.file.Path p = java.nio.file.Path.of(fs.makeQualified(file).toUri());
      try (OutputStream os = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        os.write(bytes);
      }
      return;
    }
    try (OutputStream os = fs.create(file, false)) {
      os.write(bytes);
    }
  }

  private static String reason(FileSystem fs, Path out, IOException e) {
    for (Path p = out; p != null; p = p.getParent()) {
      FileStatus st = status(fs, p);
      if (st != null && !st.isDirectory()) {
        return p + " is a file, not a directory";
      }
      if (st != null) {
        break;
      }
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    String m = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
    return Cli.oneLine(m == null ? e.getClass().getSimpleName() : m);
  }

  private static FileStatus status(FileSystem fs, Path p) {
    try {
      return fs.getFileStatus(p);
    } catch (FileNotFoundException e) {
      return null;
    } catch (IOException e) {
      return null; // e.g. a parent is a file: treated as absent, the create then names the cause
    }
  }

  private static String read(FileSystem fs, Path file) {
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static void delete(FileSystem fs, Path file) {
    try {
      fs.delete(file, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the stale lease " + file, e);
    }
  }

  /** The lease file. */
  Path path() {
    return file;
  }

  /** One heartbeat (the daemon thread calls it every {@link #HEARTBEAT}). */
  void touch() {
    try {
      long now = System.currentTimeMillis();
      fs.setTimes(file, now, -1);
      // object stores such as S3A ignore setTimes: there a heartbeat rewrites the file, if it is
      // still this writer's
      if (fs.getFileStatus(file).getModificationTime() < now - 1_000 && read(fs, file).equals(text)) {
        try (OutputStream os = fs.create(file, true)) {
          os.write(text.getBytes(StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      // a missed heartbeat: the next one, 30 s later, retries; staleness needs twenty in a row
    }
  }

  /** Releases the lease: deletes the file, and leaves the directory as found if nothing was written. */
  @Override
  public void close() {
    release(false);
  }

  /**
   * Releases the lease.
   *
   * @param untouched nothing else was written: an empty directory the lease created is removed,
   *     an existing directory gets its modification time back
   */
  void release(boolean untouched) {
    heartbeat.shutdownNow();
    try {
      fs.delete(file, false);
      if (untouched && !dirExisted && fs.listStatus(out).length == 0) {
        fs.delete(out, false);
      } else if (untouched && dirExisted) {
        fs.setTimes(out, dirTimeBefore, -1);
      }
    } catch (IOException e) {
      // not thrown: it would hide the run's own outcome; the next writer on this host finds
      // this pid gone and takes the lease over
      messages.println("grokgrid: cannot delete the lease " + file + ": " + Cli.oneLine(e.getMessage()));
    }
  }
}
