package io.grokgrid.analysis;

import io.grokgrid.vocab.Columns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
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
        throw new IllegalArgumentException(
            "not a sweep directory (no " + Columns.RUNS + "/ table): " + dir);
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

  private static boolean exists(Path path, Configuration conf, String dir) {
    try {
      return path.getFileSystem(conf).exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read sweep directory " + dir + ": " + e.getMessage(),
          e);
    }
  }
}
