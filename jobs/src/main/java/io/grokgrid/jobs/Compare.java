package io.grokgrid.jobs;

import io.grokgrid.vocab.Columns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;

/**
 * {@code grokgrid compare DIR_A DIR_B}: whether two sweep directories hold the same tables, row
 * for row. Each of {@link Columns#TABLES} is compared as a multiset of rows (Spark
 * {@code exceptAll} both ways, so row order and file layout do not matter), without the timing
 * column {@link Columns#WALL_MS}; columns are matched by name. A table missing on a side, or
 * whose columns (names or types) differ, counts as different.
 */
final class Compare {
  /** Columns that may differ between two runs of the same spec. */
  static final List<String> IGNORED = List.of(Columns.WALL_MS);

  private Compare() {}

  /**
   * One table's verdict.
   *
   * @param rows rows in A (when both sides were compared)
   * @param onlyA rows of A not in B, counting duplicates
   * @param onlyB rows of B not in A, counting duplicates
   * @param problem why the rows could not be compared (a missing table, other columns), or null
   */
  record Table(String name, long rows, long onlyA, long onlyB, String problem) {
    boolean equal() {
      return problem == null && onlyA == 0 && onlyB == 0;
    }

    /** {@code runs: equal (216 rows)}, {@code runs: 3 rows only in A, 3 only in B}, ... */
    String line() {
      if (problem != null) {
        return name + ": " + problem;
      }
      if (equal()) {
        return String.format(Locale.ROOT, "%s: equal (%d %s)", name, rows, rows == 1 ? "row" : "rows");
      }
      return String.format(Locale.ROOT, "%s: %d %s only in A, %d only in B", name, onlyA,
          onlyA == 1 ? "row" : "rows", onlyB);
    }
  }

  /** Compares the tables of sweep directories {@code a} and {@code b} (paths or URIs). */
  static List<Table> tables(SparkSession spark, String a, String b) {
    Path dirA = requireDir(spark, a);
    Path dirB = requireDir(spark, b);
    List<Table> out = new ArrayList<>();
    for (String t : Columns.TABLES) {
      out.add(table(spark, t, new Path(dirA, t), new Path(dirB, t)));
    }
    return out;
  }

  private static Table table(SparkSession spark, String name, Path a, Path b) {
    boolean hasA = exists(spark, a);
    boolean hasB = exists(spark, b);
    if (!hasA || !hasB) {
      return new Table(name, 0, 0, 0, "missing in " + (hasA ? "B" : hasB ? "A" : "A and B"));
    }
    Dataset<Row> da = spark.read().parquet(a.toString()).drop(IGNORED.toArray(new String[0]));
    Dataset<Row> db = spark.read().parquet(b.toString()).drop(IGNORED.toArray(new String[0]));
    String columns = columnDifference(da, db);
    if (columns != null) {
      return new Table(name, 0, 0, 0, columns);
    }
    // exceptAll matches columns by position: put B's in A's order
    db = db.select(Arrays.stream(da.columns()).map(functions::col).toArray(Column[]::new));
    return new Table(name, da.count(), da.exceptAll(db).count(), db.exceptAll(da).count(), null);
  }

  /** What differs between the two sides' columns (names, then types), or null if nothing. */
  private static String columnDifference(Dataset<Row> a, Dataset<Row> b) {
    Map<String, String> ta = types(a);
    Map<String, String> tb = types(b);
    List<String> onlyA = ta.keySet().stream().filter(c -> !tb.containsKey(c)).toList();
    List<String> onlyB = tb.keySet().stream().filter(c -> !ta.containsKey(c)).toList();
    if (!onlyA.isEmpty() || !onlyB.isEmpty()) {
      List<String> parts = new ArrayList<>();
      if (!onlyA.isEmpty()) {
        parts.add("only in A: " + String.join(", ", onlyA));
      }
      if (!onlyB.isEmpty()) {
        parts.add("only in B: " + String.join(", ", onlyB));
      }
      return "columns differ (" + String.join("; ", parts) + ")";
    }
    for (Map.Entry<String, String> e : ta.entrySet()) {
      if (!e.getValue().equals(tb.get(e.getKey()))) {
        return "column " + e.getKey() + " is " + e.getValue() + " in A and " + tb.get(e.getKey()) + " in B";
      }
    }
    return null;
  }

  private static Map<String, String> types(Dataset<Row> d) {
    Map<String, String> m = new LinkedHashMap<>();
    for (StructField f : d.schema().fields()) {
      m.put(f.name(), f.dataType().simpleString());
    }
    return m;
  }

  private static Path requireDir(SparkSession spark, String dir) {
    Path p = new Path(dir);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p) || !fs.getFileStatus(p).isDirectory()) {
        throw new IllegalArgumentException("no such sweep directory: " + dir);
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot inspect " + dir, e);
    }
  }

  private static boolean exists(SparkSession spark, Path p) {
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot inspect " + p, e);
    }
  }
}
