package io.grokgrid.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QueryOutputIT {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start(QueryOutputIT.class);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("name", DataTypes.StringType, true),
      DataTypes.createStructField("n", DataTypes.IntegerType, true),
      DataTypes.createStructField("x", DataTypes.DoubleType, true),
      DataTypes.createStructField("ok", DataTypes.BooleanType, true),
      DataTypes.createStructField("tags",
          DataTypes.createArrayType(DataTypes.StringType), true)));

  /** A comma, quotes, a line break, nulls, an empty string, tiny and huge doubles. */
  private static final List<Row> ROWS = List.of(
      RowFactory.create("a,b", 1, 0.1, true, List.of("x", "y")),
      RowFactory.create(null, 22, null, false, null),
      RowFactory.create("say \"hi\"\nbye", -3, 1.0e-15, null, List.of()),
      RowFactory.create("", 4000, 1.0e7, true, List.of("q\"")));

  @Test
  void table() {
    assertThat(QueryOutput.render(SCHEMA, ROWS, "table", false)).isEqualTo(""
        + "name          |    n |       x | ok    | tags\n"
        + "--------------+------+---------+-------+----------\n"
        + "a,b           |    1 |     0.1 | true  | [\"x\",\"y\"]\n"
        + "NULL          |   22 |    NULL | false | NULL\n"
        + "say \"hi\"\\nbye |   -3 | 1.0E-15 | NULL  | []\n"
        + "              | 4000 |   1.0E7 | true  | [\"q\\\"\"]\n"
        + "(4 rows)\n");
  }

  @Test
  void tableFooterCountsAndSaysWhenRowsWereLeftOut() {
    assertThat(QueryOutput.render(SCHEMA, ROWS.subList(0, 1), "table", false))
        .endsWith("\n(1 row)\n");
    assertThat(QueryOutput.render(SCHEMA, ROWS.subList(0, 2), "table", true))
        .endsWith("\n(2 rows shown; more omitted)\n");
    assertThat(QueryOutput.render(SCHEMA, List.of(), "table", false)).isEqualTo(""
        + "name | n | x | ok | tags\n"
        + "-----+---+---+----+-----\n"
        + "(0 rows)\n");
  }

  @Test
  void csv() {
    assertThat(QueryOutput.render(SCHEMA, ROWS, "csv", false)).isEqualTo(""
        + "name,n,x,ok,tags\r\n"
        + "\"a,b\",1,0.1,true,\"[\"\"x\"\",\"\"y\"\"]\"\r\n"
        + ",22,,false,\r\n"
        + "\"say \"\"hi\"\"\nbye\",-3,1.0E-15,,[]\r\n"
        + "\"\",4000,1.0E7,true,\"[\"\"q\\\"\"\"\"]\"\r\n");
  }

  @Test
  void json() {
    assertThat(QueryOutput.render(SCHEMA, ROWS, "json", false)).isEqualTo(""
        + "{\"name\":\"a,b\",\"n\":1,\"x\":0.1,\"ok\":true,\"tags\":[\"x\",\"y\"]}\n"
        + "{\"name\":null,\"n\":22,\"x\":null,\"ok\":false,\"tags\":null}\n"
        + "{\"name\":\"say \\\"hi\\\"\\nbye\",\"n\":-3,\"x\":1.0E-15,\"ok\":null,\"tags\":[]}\n"
        + "{\"name\":\"\",\"n\":4000,\"x\":1.0E7,\"ok\":true,\"tags\":[\"q\\\"\"]}\n");
  }

  @Test
  void jsonSpellsNonFiniteDoublesAsStrings() {
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("v", DataTypes.DoubleType, true)));
    List<Row> rows = List.of(RowFactory.create(Double.NaN),
        RowFactory.create(Double.POSITIVE_INFINITY), RowFactory.create(Double.NEGATIVE_INFINITY));
    assertThat(QueryOutput.render(schema, rows, "json", false))
        .isEqualTo("{\"v\":\"NaN\"}\n{\"v\":\"Infinity\"}\n{\"v\":\"-Infinity\"}\n");
    assertThat(QueryOutput.render(schema, rows, "csv", false))
        .isEqualTo("v\r\nNaN\r\nInfinity\r\n-Infinity\r\n");
  }

  @Test
  void sparkResultsWithNestedTypes() {
    Dataset<Row> result = spark.sql("SELECT 'a' AS s, 1.5D AS d, CAST(NULL AS INT) AS i,"
        + " array(1, 2) AS arr, named_struct('k', 1, 'v', 'x') AS st, map('a', 1) AS m");
    assertThat(QueryOutput.format(result, "table", 10)).isEqualTo(""
        + "s |   d |    i | arr   | st              | m\n"
        + "--+-----+------+-------+-----------------+--------\n"
        + "a | 1.5 | NULL | [1,2] | {\"k\":1,\"v\":\"x\"} | {\"a\":1}\n"
        + "(1 row)\n");
    assertThat(QueryOutput.format(result, "json", 10)).isEqualTo(
        "{\"s\":\"a\",\"d\":1.5,\"i\":null,\"arr\":[1,2],\"st\":{\"k\":1,\"v\":\"x\"},"
            + "\"m\":{\"a\":1}}\n");
    assertThat(QueryOutput.format(result, "csv", 10)).isEqualTo(
        "s,d,i,arr,st,m\r\na,1.5,,\"[1,2]\",\"{\"\"k\"\":1,\"\"v\"\":\"\"x\"\"}\",\"{\"\"a\"\":1}\"\r\n");
  }

  @Test
  void maxRowsCutsTheResult() {
    Dataset<Row> ids = spark.range(5).toDF("id").orderBy("id");
    assertThat(QueryOutput.format(ids, "table", 2))
        .isEqualTo("id\n--\n 0\n 1\n(2 rows shown; more omitted)\n");
    assertThat(QueryOutput.format(ids, "table", 5)).endsWith(" 4\n(5 rows)\n");
    assertThat(QueryOutput.format(ids, "csv", 2)).isEqualTo("id\r\n0\r\n1\r\n");
    assertThat(QueryOutput.format(ids, "json", Integer.MAX_VALUE)).isEqualTo(
        "{\"id\":0}\n{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n{\"id\":4}\n");
    assertThat(QueryOutput.format(ids, "json", 0)).isEmpty();
  }

  @Test
  void badArgumentsAreNamed() {
    Dataset<Row> ids = spark.range(1).toDF("id");
    assertThatThrownBy(() -> QueryOutput.format(ids, "xml", 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("format must be one of [table, csv, json], got xml");
    assertThatThrownBy(() -> QueryOutput.format(ids, null, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("format must be one of [table, csv, json], got null");
    assertThatThrownBy(() -> QueryOutput.format(ids, "csv", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxRows must be >= 0, got -1");
  }

  @Test
  void doublesPrintInJavasLayout() {
    assertThat(QueryOutput.repr(0.1)).isEqualTo("0.1");
    assertThat(QueryOutput.repr(1.0)).isEqualTo("1.0");
    assertThat(QueryOutput.repr(100.0)).isEqualTo("100.0");
    assertThat(QueryOutput.repr(0.001)).isEqualTo("0.001");
    assertThat(QueryOutput.repr(9.99e-4)).isEqualTo("9.99E-4");
    assertThat(QueryOutput.repr(9999999.5)).isEqualTo("9999999.5");
    assertThat(QueryOutput.repr(1.0e7)).isEqualTo("1.0E7");
    assertThat(QueryOutput.repr(1.2345678e7)).isEqualTo("1.2345678E7");
    assertThat(QueryOutput.repr(-2.5)).isEqualTo("-2.5");
    assertThat(QueryOutput.repr(-1.0e-15)).isEqualTo("-1.0E-15");
    assertThat(QueryOutput.repr(0.0)).isEqualTo("0.0");
    assertThat(QueryOutput.repr(-0.0)).isEqualTo("-0.0");
    assertThat(QueryOutput.repr(1.0 / 3)).isEqualTo("0.3333333333333333");
    assertThat(QueryOutput.repr(Double.MIN_VALUE)).isEqualTo("4.9E-324");
    assertThat(QueryOutput.repr(Double.MAX_VALUE)).isEqualTo("1.7976931348623157E308");
    assertThat(QueryOutput.repr(Double.NaN)).isEqualTo("NaN");
    assertThat(QueryOutput.repr(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
    // Java 17's Double.toString prints these as 9.999999999999999E22 and 1.9999999999999998E23
    // (JDK-4511638), yet 1.0E23 and 2.0E23 read back as the same doubles
    assertThat(QueryOutput.repr(1.0e23)).isEqualTo("1.0E23");
    assertThat(QueryOutput.repr(2.0e23)).isEqualTo("2.0E23");
    assertThat(QueryOutput.repr(0.1f)).isEqualTo("0.1");
    assertThat(QueryOutput.repr(1.0e10f)).isEqualTo("1.0E10");
  }

  @Test
  void doublesReadBackExactlyAndAreNeverLongerThanJavas() {
    Random random = new Random(20240601L);
    for (int i = 0; i < 20_000; i++) {
      double d = Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(d)) {
        continue;
      }
      String s = QueryOutput.repr(d);
      assertThat(Double.parseDouble(s)).as(s).isEqualTo(d);
      assertThat(s.length()).as(s).isLessThanOrEqualTo(Double.toString(d).length());
    }
  }
}
