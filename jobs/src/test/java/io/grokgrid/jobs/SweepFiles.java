package io.grokgrid.jobs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies and damages of sweep directories, for the tests of what a damaged file does. */
final class SweepFiles {
  private SweepFiles() {}

  /** Copies the directory tree {@code from} to {@code to}. */
  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path dst = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(p, dst);
        }
      }
    }
  }

  /**
   * Cuts the first Parquet file of {@code sweep}'s {@code runs} table to half its length (and
   * drops its checksum, so the damage reaches the reader); returns the file.
   */
  static Path truncateFirstRunsFile(Path sweep) throws IOException {
    Path damaged;
    try (Stream<Path> files = Files.list(sweep.resolve("runs"))) {
      damaged = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
    }
    Files.deleteIfExists(damaged.resolveSibling("." + damaged.getFileName() + ".crc"));
    try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    return damaged;
  }
}
