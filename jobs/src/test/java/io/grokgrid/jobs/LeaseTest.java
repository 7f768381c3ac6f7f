package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lease on the local file system, without Spark: refusal, stale takeover, release, unwritable paths. */
class LeaseTest {
  static FileSystem fs;
  @TempDir Path tmp;
  final ByteArrayOutputStream messages = new ByteArrayOutputStream();
  final PrintStream err = new PrintStream(messages, true, StandardCharsets.UTF_8);

  @BeforeAll
  static void localFs() throws IOException {
    fs = FileSystem.getLocal(new Configuration());
  }

  Lease acquire(Path out) {
    return Lease.acquire(fs, new org.apache.hadoop.fs.Path(out.toString()), err);
  }

  static void writeLease(Path out, String host, long pid, String started) throws IOException {
    Files.createDirectories(out);
    Files.writeString(out.resolve(Lease.NAME), new Lease.Holder(host, pid, started).text());
  }

  /** The pid of a process that has exited (and been reaped). */
  static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long pid = p.pid();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    return pid;
  }

  String messages() {
    return messages.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theLeaseNamesItsHolderAndIsGoneAfterRelease() throws IOException {
    Path out = tmp.resolve("a");
    Lease lease = acquire(out);
    Lease.Holder h = Lease.Holder.parse(Files.readString(out.resolve(Lease.NAME)));
    assertThat(h.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(h.host()).isEqualTo(Lease.localHost());
    assertThat(Instant.parse(h.started())).isBetween(Instant.now().minusSeconds(60), Instant.now());
    try (var s = Files.list(out)) {
      assertThat(s.map(p -> p.getFileName().toString())).as("no checksum file beside it").containsExactly("_lease");
    }
    lease.release(false);
    assertThat(out).isEmptyDirectory();
    assertThat(messages()).isEmpty();
  }

  @Test
  void aLiveHolderOnThisHostIsRefusedWithOneLineNamingIt() throws IOException {
    Path out = tmp.resolve("held");
    Lease first = acquire(out);
    Lease.Holder h = Lease.Holder.parse(Files.readString(out.resolve(Lease.NAME)));
    assertThatThrownBy(() -> acquire(out)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(out + " is being written by pid " + h.pid() + " on host " + h.host() + " since " + h.started()
            + " (lease " + out.resolve(Lease.NAME) + "); wait for it or, if that process is gone, run again");
    assertThat(Lease.Holder.parse(Files.readString(out.resolve(Lease.NAME)))).isEqualTo(h);
    first.release(false);
  }

  @Test
  void aDeadHolderOnThisHostIsTakenOverWithAMessage() throws Exception {
    Path out = tmp.resolve("dead");
    long pid = deadPid();
    writeLease(out, Lease.localHost(), pid, "2026-11-30T07:40:00Z");
    Lease lease = acquire(out);
    assertThat(messages()).isEqualTo("grokgrid: taking over the stale lease " + out.resolve(Lease.NAME) + " of pid "
        + pid + " on host " + Lease.localHost() + " since 2026-11-30T07:40:00Z (that process is gone)"
        + System.lineSeparator());
    assertThat(Lease.Holder.parse(Files.readString(out.resolve(Lease.NAME))).pid())
        .isEqualTo(ProcessHandle.current().pid());
    lease.release(false);
  }

  @Test
  void anotherHostsLeaseIsHeldWhileItsHeartbeatIsRecentAndTakenOverAfterTenMinutes() throws IOException {
    Path out = tmp.resolve("other");
    writeLease(out, "elsewhere.example", 1, "2026-11-30T07:40:00Z");
    assertThatThrownBy(() -> acquire(out)).hasMessage(out + " is being written by pid 1 on host elsewhere.example"
        + " since 2026-11-30T07:40:00Z (lease " + out.resolve(Lease.NAME) + "); wait for it or, if that process is"
        + " gone, run again (a lease from another host is taken over after 10 min without its heartbeat)");
    // just inside the limit: still held
    Files.setLastModifiedTime(out.resolve(Lease.NAME),
        FileTime.from(Instant.now().minus(Lease.STALE_AFTER).plusSeconds(60)));
    assertThatThrownBy(() -> acquire(out)).hasMessageContaining("is being written by pid 1");
    Files.setLastModifiedTime(out.resolve(Lease.NAME),
        FileTime.from(Instant.now().minus(Lease.STALE_AFTER).minus(Duration.ofMinutes(2))));
    Lease lease = acquire(out);
    assertThat(messages()).isEqualTo("grokgrid: taking over the stale lease " + out.resolve(Lease.NAME)
        + " of pid 1 on host elsewhere.example since 2026-11-30T07:40:00Z (no heartbeat for 12 min)"
        + System.lineSeparator());
    lease.release(false);
  }

  @Test
  void anEmptyLeaseMayBeBeingWrittenAndIsHeldUntilStale() throws IOException {
    Path out = tmp.resolve("empty");
    Files.createDirectories(out);
    Files.writeString(out.resolve(Lease.NAME), "");
    assertThatThrownBy(() -> acquire(out)).hasMessageContaining("is being written by pid -1 on host ?");
  }

  @Test
  void releaseOfAnUntouchedDirectoryLeavesItAsFound() throws IOException {
    Path fresh = tmp.resolve("fresh").resolve("deeper");
    acquire(fresh).release(true);
    assertThat(fresh).doesNotExist();
    Path existing = Files.createDirectories(tmp.resolve("existing"));
    Files.writeString(existing.resolve("x"), "x");
    FileTime before = FileTime.fromMillis(Files.getLastModifiedTime(existing).toMillis() - 5_000);
    Files.setLastModifiedTime(existing, before);
    acquire(existing).release(true);
    assertThat(Files.getLastModifiedTime(existing)).isEqualTo(before);
    assertThat(existing.resolve(Lease.NAME)).doesNotExist();
  }

  @Test
  void anOutputUnderARegularFileIsAUserErrorNamingTheFile() throws IOException {
    Path file = Files.writeString(tmp.resolve("plain.txt"), "not a directory");
    assertThatThrownBy(() -> acquire(file.resolve("sweep"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot write to " + file.resolve("sweep") + ": " + file + " is a file, not a directory");
    assertThatThrownBy(() -> acquire(file)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot write to " + file + ": it is a file, not a directory");
    assertThat(Files.readString(file)).isEqualTo("not a directory");
  }

  @Test
  void aReadOnlyOutputIsAUserError() throws IOException {
    Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root writes to read-only directories");
    Path ro = Files.createDirectories(tmp.resolve("ro"));
    assertThat(ro.toFile().setWritable(false, false)).isTrue();
    try {
      assertThatThrownBy(() -> acquire(ro)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("cannot write to " + ro + ": permission denied");
    } finally {
      ro.toFile().setWritable(true, false);
    }
  }

  @Test
  void aHeartbeatTouchesTheLeaseWithoutChangingIt() throws IOException {
    Path out = tmp.resolve("heartbeat");
    Lease lease = acquire(out);
    Path file = out.resolve(Lease.NAME);
    String text = Files.readString(file);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(20))));
    lease.touch();
    assertThat(Files.getLastModifiedTime(file).toInstant()).isAfter(Instant.now().minusSeconds(60));
    assertThat(Files.readString(file)).isEqualTo(text);
    lease.release(false);
  }
}
