package io.grokgrid.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grokgrid.vocab.Columns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViewsIT {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start(ViewsIT.class);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Writes one Parquet table; columns given as name, type pairs, rows as value arrays. */
  private static void write(Path dir, String table, Object[] columns, Object[]... rows) {
    List<StructField> fields = new ArrayList<>();
    for (int i = 0; i < columns.length; i += 2) {
      fields.add(DataTypes.createStructField((String) columns[i], (DataType) columns[i + 1],
          true));
    }
    List<Row> data = new ArrayList<>();
    for (Object[] row : rows) {
      data.add(RowFactory.create(row));
    }
    spark.createDataFrame(data, DataTypes.createStructType(fields)).coalesce(1).write()
        .parquet(dir.resolve(table).toString());
  }

  /** Sweep a (a width parameter, with curves) and sweep b (a dim parameter, with grokking). */
  private static List<String> twoSweeps(Path tmp) {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Object[] runsA = {Columns.SWEEP, DataTypes.StringType, Columns.RUN_ID, DataTypes.StringType,
        Columns.WIDTH, DataTypes.IntegerType};
    Object[] runsB = {Columns.SWEEP, DataTypes.StringType, Columns.RUN_ID, DataTypes.StringType,
        Columns.DIM, DataTypes.IntegerType};
    write(a, Columns.RUNS, runsA, new Object[] {"a", "r1", 10});
    write(a, Columns.CURVES, new Object[] {Columns.RUN_ID, DataTypes.StringType, Columns.STEP,
        DataTypes.IntegerType}, new Object[] {"r1", 0}, new Object[] {"r1", 1});
    write(b, Columns.RUNS, runsB, new Object[] {"b", "r2", 40}, new Object[] {"b", "r3", null});
    write(b, Columns.GROKKING, new Object[] {Columns.RUN_ID, DataTypes.StringType,
        Columns.PHASE, DataTypes.StringType}, new Object[] {"r2", "grokking"});
    return List.of(a.toString(), b.toString());
  }

  @Test
  void unionsSweepsByColumnNameAndRegistersOnlyPresentTables(@TempDir Path tmp) {
    List<String> registered = Views.register(spark, twoSweeps(tmp));

    assertThat(registered).containsExactly(Columns.RUNS, Columns.CURVES, Columns.GROKKING);
    List<Row> runs = spark.sql("SELECT sweep, run_id, width, dim FROM runs ORDER BY run_id")
        .collectAsList();
    assertThat(runs).extracting(Row::toString)
        .containsExactly("[a,r1,10,null]", "[b,r2,null,40]", "[b,r3,null,null]");
    assertThat(spark.sql("SELECT count(*) FROM curves").first().getLong(0)).isEqualTo(2);
    assertThat(spark.sql("SELECT phase FROM grokking").first().getString(0))
        .isEqualTo("grokking");
    assertThat(spark.catalog().tableExists(Columns.OVERFITTING_COST)).isFalse();
  }

  @Test
  void registeringAgainDropsViewsOfTablesNoLongerPresent(@TempDir Path tmp) {
    List<String> dirs = twoSweeps(tmp);
    Views.register(spark, dirs);
    assertThat(spark.catalog().tableExists(Columns.CURVES)).isTrue();

    assertThat(Views.register(spark, dirs.subList(1, 2)))
        .containsExactly(Columns.RUNS, Columns.GROKKING);
    assertThat(spark.catalog().tableExists(Columns.CURVES)).isFalse();
    assertThat(spark.sql("SELECT count(*) FROM runs").first().getLong(0)).isEqualTo(2);
  }

  @Test
  void aMissingDirectoryIsNamedAndNoViewChanges(@TempDir Path tmp) {
    List<String> dirs = twoSweeps(tmp);
    Views.register(spark, dirs);
    String missing = tmp.resolve("nope").toString();

    assertThatThrownBy(() -> Views.register(spark, List.of(dirs.get(1), missing)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sweep directory does not exist: " + missing);
    assertThat(spark.catalog().tableExists(Columns.CURVES)).isTrue();
  }

  @Test
  void aDirectoryWithoutRunsIsNotASweep(@TempDir Path tmp) throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    assertThatThrownBy(() -> Views.register(spark, List.of(empty.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a sweep directory (no runs/ table): " + empty);
  }

  @Test
  void aSweepStoppedBeforeItsTablesIsToldToResume(@TempDir Path tmp) throws Exception {
    Path stopped = Files.createDirectory(tmp.resolve("stopped"));
    Files.writeString(stopped.resolve(io.grokgrid.vocab.SpecKeys.SWEEP_JSON), "{}");
    assertThatThrownBy(() -> Views.register(spark, List.of(stopped.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sweep directory " + stopped + " has no tables yet (stopped before writing them?);"
            + " finish it with 'grokgrid run SPEC.yaml --out " + stopped + " --resume'");
  }

  /** What a sweep stopped while rewriting its tables leaves: a table directory with no data file. */
  @Test
  void aTableWithoutParquetFilesIsNamedWithTheWayToRebuildIt(@TempDir Path tmp) throws Exception {
    List<String> dirs = twoSweeps(tmp);
    Path curves = Path.of(dirs.get(0)).resolve(Columns.CURVES);
    try (var files = Files.list(curves)) {
      for (Path f : files.toList()) {
        if (f.getFileName().toString().endsWith(".parquet")) {
          Files.delete(f);
        }
      }
    }
    Files.createDirectories(curves.resolve("_temporary").resolve("0"));
    assertThatThrownBy(() -> Views.register(spark, dirs))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table " + new org.apache.hadoop.fs.Path(curves.toString()) + " has no Parquet file"
            + " (its writing was interrupted?); rebuild the tables from the stored batches with"
            + " 'grokgrid run SPEC.yaml --out " + dirs.get(0) + " --resume'");
  }

  @Test
  void atLeastOneDirectoryIsRequired() {
    assertThatThrownBy(() -> Views.register(spark, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("at least one sweep directory is required, got none");
  }
}
