package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.jobs.spec.SweepSpec;
import io.grokgrid.vocab.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The small way's curve rows, without Spark: as {@code explode(arrays_zip(...))} makes them (one
 * row per index up to the longest array, a shorter array's missing entries null, none when an
 * array is null), and the failures of concurrent writes.
 */
class TableWriterTest {
  private static final SweepSpec SPEC = TestSpecs.small();
  private static final StructType SCHEMA = ResultRows.schema(SPEC);
  /** step, then every curve metric: the curves table's arrays. */
  private static final List<String> ARRAYS = new ArrayList<>(List.of(Columns.STEP));

  static {
    ARRAYS.addAll(ResultRows.curveMetrics(SPEC));
  }

  /** A batch row with the given curve arrays (null: a null array) and nulls elsewhere. */
  private static Row batchRow(String runId, List<?>... arrays) {
    Object[] curve = new Object[arrays.length];
    for (int i = 0; i < arrays.length; i++) {
      curve[i] = arrays[i] == null ? null : CollectionConverters.asScala(arrays[i]).toSeq();
    }
    Object[] v = new Object[SCHEMA.size()];
    v[SCHEMA.fieldIndex(Columns.SWEEP)] = "s";
    v[SCHEMA.fieldIndex(Columns.RUN_ID)] = runId;
    v[SCHEMA.fieldIndex(ResultRows.CURVE)] = RowFactory.create(curve);
    return RowFactory.create(v);
  }

  private static List<Double> metric(Double... values) {
    return Arrays.asList(values);
  }

  @Test
  void curveRowsAreTheZippedArraysOnePerStep() {
    int metrics = ResultRows.curveMetrics(SPEC).size();
    List<List<?>> arrays = new ArrayList<>();
    arrays.add(List.of(0, 1, 5));
    for (int m = 0; m < metrics; m++) {
      arrays.add(m == 0 ? metric(0.5, null, 0.25) : metric(m + 0.0, m + 1.0, m + 2.0));
    }
    List<Row> out = new ArrayList<>();
    TableWriter.addCurveRows(batchRow("r1", arrays.toArray(new List<?>[0])), SCHEMA, ARRAYS, out);

    assertThat(out).hasSize(3);
    assertThat(out.get(2).size()).isEqualTo(TableWriter.curvesSchema(SCHEMA, SPEC).size());
    assertThat(out.get(0).get(0)).isEqualTo("s");
    assertThat(out.get(0).get(1)).isEqualTo("r1");
    assertThat(out.get(2).get(2)).isEqualTo(5);
    assertThat(out.get(1).get(3)).isNull(); // a null entry stays null
    assertThat(out.get(2).get(3)).isEqualTo(0.25);
    assertThat(out.get(2).get(4)).isEqualTo(3.0);
  }

  @Test
  void aShorterArrayIsPaddedWithNullsAndANullArrayGivesNoRows() {
    int metrics = ResultRows.curveMetrics(SPEC).size();
    List<List<?>> arrays = new ArrayList<>();
    arrays.add(List.of(0, 1));
    for (int m = 0; m < metrics; m++) {
      arrays.add(m == 0 ? metric(0.5) : metric(1.0, 2.0));
    }
    List<Row> out = new ArrayList<>();
    TableWriter.addCurveRows(batchRow("r2", arrays.toArray(new List<?>[0])), SCHEMA, ARRAYS, out);
    assertThat(out).hasSize(2);
    assertThat(out.get(1).get(3)).isNull();

    arrays.set(1, null);
    out.clear();
    TableWriter.addCurveRows(batchRow("r3", arrays.toArray(new List<?>[0])), SCHEMA, ARRAYS, out);
    assertThat(out).isEmpty();
  }

  /**
   * A row whose curve struct was narrowed to a few arrays and the row count Spark computed for the
   * whole curve (-1: an array of it is null): that many rows, the kept arrays padded with nulls.
   */
  @Test
  void aNarrowedCurveGivesItsCountedRows() {
    StructType curve = new StructType()
        .add(Columns.STEP, org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.IntegerType))
        .add(Columns.TEST_ACC_NOISY, org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.DoubleType))
        .add(TableWriter.CURVE_ROWS, org.apache.spark.sql.types.DataTypes.IntegerType);
    StructType schema = new StructType().add(Columns.SWEEP, "string").add(Columns.RUN_ID, "string")
        .add(ResultRows.CURVE, curve);
    List<String> kept = List.of(Columns.STEP, Columns.TEST_ACC_NOISY);
    Object steps = CollectionConverters.asScala(List.of(0, 10)).toSeq();
    Object acc = CollectionConverters.asScala(metric(0.5, 0.75)).toSeq();
    List<Row> out = new ArrayList<>();
    TableWriter.addCurveRows(RowFactory.create("s", "r4", RowFactory.create(steps, acc, 3)), schema, kept, out);
    assertThat(out).hasSize(3);
    assertThat(out.get(1).toString()).isEqualTo("[s,r4,10,0.75]");
    assertThat(out.get(2).get(2)).isNull();
    assertThat(out.get(2).get(3)).isNull();

    out.clear();
    TableWriter.addCurveRows(RowFactory.create("s", "r5", RowFactory.create(steps, acc, -1)), schema, kept, out);
    assertThat(out).isEmpty();
  }

  @Test
  void aFailedWriteIsRethrownAfterEveryWriteEnded() {
    boolean[] ran = new boolean[2];
    IllegalStateException boom = new IllegalStateException("disk full");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TableWriter.inParallel(List.of(
            () -> {
              throw boom;
            },
            () -> ran[1] = true)))
        .isSameAs(boom);
    assertThat(ran[1]).isTrue();
  }
}
