package io.grokgrid.analysis;

import io.grokgrid.vocab.Columns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Registers the tables of one or more sweep directories as Spark SQL temporary views named
 * after the tables ({@link Columns#TABLES}: {@code runs}, {@code curves}, {@code grokking},
 * {@code overfitting_cost}), so that {@code grokgrid sql} and the report can query them.
 *
 * <p>Directories are paths or URIs that Hadoop's file systems understand (local paths,
 * {@code file:}, {@code hdfs:}, {@code s3a:}, ...), resolved with the session's Hadoop
 * configuration. The views live as long as the session, or until the next {@link #register}.
 */
public final class Views {
  private Views() {}

  /**
   * Reads every table present in each sweep directory and registers one temporary view per
   * table. A table found in several directories is their union by column name: a column that
   * one sweep lacks (another task's parameter, say) is null in that sweep's rows. A table found
   * in none of the directories is not registered, and a view of that name left by an earlier
   * call is dropped, so the views always describe exactly {@code dirs}. Every directory is
   * checked before any view is replaced.
   *
   * @param spark the session to register the views in
   * @param dirs sweep output directories, at least one; each must hold a {@code runs/} table
   * @return the names of the registered views, in {@link Columns#TABLES} order
   * @throws IllegalArgumentException if {@code dirs} is empty, a directory does not exist, or a
   *     directory has no {@code runs/} table; the message names the directory
   * @throws UncheckedIOException if the file system cannot be asked
   */
  public static List<String> register(SparkSession spark, List<String> dirs) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(dirs, "dirs");
    if (dirs.isEmpty()) {
      throw new IllegalArgumentException("at least one sweep directory is required, got none");
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    for (String dir : dirs) {
      if (dir == null || dir.isBlank()) {
        throw new IllegalArgumentException("sweep directory must not be blank, got '" + dir + "'");
      }
      if (!exists(new Path(dir), conf, dir)) {
        throw new IllegalArgumentException("sweep directory does not exist: " + dir);
      }
      if (!exists(new Path(new Path(dir), Columns.RUNS), conf, dir)) {
        if (exists(new Path(new Path(dir), io.grokgrid.vocab.SpecKeys.SWEEP_JSON), conf, dir)) {
          // a sweep stopped before its tables were (re)written: its batches hold the runs
          throw new IllegalArgumentException("sweep directory " + dir + " has no tables yet (stopped before"
              + " writing them?); finish it with 'grokgrid run SPEC.yaml --out " + dir + " --resume'");
        }
        throw new IllegalArgumentException(
            "not a sweep directory (no " + Columns.RUNS + "/ table): " + dir);
      }
      for (String table : Columns.TABLES) {
        Path path = new Path(new Path(dir), table);
        if (exists(path, conf, dir) && !hasParquet(path, conf, dir)) {
          // what a sweep stopped while rewriting its tables leaves (Spark reports it as "unable
          // to infer schema")
          throw new IllegalArgumentException("table " + path + " has no Parquet file (its writing was"
              + " interrupted?); rebuild the tables from the stored batches with"
              + " 'grokgrid run SPEC.yaml --out " + dir + " --resume'");
        }
      }
    }
    List<String> registered = new ArrayList<>();
    for (String table : Columns.TABLES) {
      Dataset<Row> union = null;
      for (String dir : dirs) {
        Path path = new Path(new Path(dir), table);
        if (!exists(path, conf, dir)) {
          continue;
        }
        Dataset<Row> one = spark.read().parquet(path.toString());
        union = union == null ? one : union.unionByName(one, true);
      }
      if (union == null) {
        spark.catalog().dropTempView(table);
      } else {
        union.createOrReplaceTempView(table);
        registered.add(table);
      }
    }
    return List.copyOf(registered);
  }

  /**
   * The Parquet files of the tables in {@code dirs} that cannot be whole: too short, or without
   * the {@code PAR1} magic at both ends, or with a footer length that does not fit in the file
   * (what an interrupted copy or a full disk leaves). Spark reports such a file as "Exception
   * thrown in awaitResult" without its name; this names it. Only the ends of each file are read.
   *
   * @return one entry per damaged file, {@code "<path> (<why>)"}, in listing order
   * @throws UncheckedIOException if the file system cannot be asked
   */
  public static List<String> damagedFiles(SparkSession spark, List<String> dirs) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<String> damaged = new ArrayList<>();
    for (String dir : dirs) {
      for (String table : Columns.TABLES) {
        Path tableDir = new Path(new Path(dir), table);
        try {
          FileSystem fs = tableDir.getFileSystem(conf);
          if (!fs.exists(tableDir)) {
            continue;
          }
          RemoteIterator<LocatedFileStatus> files = fs.listFiles(tableDir, true);
          while (files.hasNext()) {
            LocatedFileStatus f = files.next();
            String name = f.getPath().getName();
            if (isDataFile(name)) {
              String why = parquetDamage(fs, f.getPath(), f.getLen());
              if (why != null) {
                damaged.add(f.getPath() + " (" + why + ")");
              }
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read sweep directory " + dir + ": " + e.getMessage(), e);
        }
      }
    }
    return damaged;
  }

  private static final byte[] MAGIC = "PAR1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Why a Parquet file cannot be whole, or null; see {@link #damagedFiles}. */
  private static String parquetDamage(FileSystem fs, Path file, long length) throws IOException {
    // the smallest file: magic, footer length (4 bytes), magic
    if (length < 12) {
      return length + " bytes, too short for Parquet";
    }
    byte[] head = new byte[4];
    byte[] tail = new byte[8];
    try (FSDataInputStream in = fs.open(file)) {
      in.readFully(0, head);
      in.readFully(length - 8, tail);
    }
    if (!java.util.Arrays.equals(head, MAGIC)) {
      return "does not start as Parquet";
    }
    if (!java.util.Arrays.equals(java.util.Arrays.copyOfRange(tail, 4, 8), MAGIC)) {
      return "truncated: no Parquet footer at the end";
    }
    long footer = (tail[0] & 0xffL) | (tail[1] & 0xffL) << 8 | (tail[2] & 0xffL) << 16 | (tail[3] & 0xffL) << 24;
    if (footer > length - 12) {
      return "footer length " + footer + " does not fit in " + length + " bytes";
    }
    return null;
  }

  /** A table's Parquet data file: neither hidden (checksums) nor Spark's {@code _} files. */
  private static boolean isDataFile(String name) {
    return name.endsWith(".parquet") && !name.startsWith(".") && !name.startsWith("_");
  }

  /** Whether the table directory holds a data file ({@link #isDataFile}). */
  private static boolean hasParquet(Path table, Configuration conf, String dir) {
    try {
      for (org.apache.hadoop.fs.FileStatus f : table.getFileSystem(conf).listStatus(table)) {
        String name = f.getPath().getName();
        if (f.isFile() && isDataFile(name)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read sweep directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static boolean exists(Path path, Configuration conf, String dir) {
    try {
      return path.getFileSystem(conf).exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read sweep directory " + dir + ": " + e.getMessage(),
          e);
    }
  }
}
