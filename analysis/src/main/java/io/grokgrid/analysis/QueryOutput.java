package io.grokgrid.analysis;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Prints the result of a query as text, for {@code grokgrid sql --format table|csv|json}.
 *
 * <ul>
 *   <li>{@code table}: aligned columns separated by {@code " | "}, a header line, a dashed rule
 *       and a {@code (N rows)} footer, like psql; numbers right-aligned, everything else left;
 *       null prints as {@code NULL}; tabs and line breaks inside a value print escaped
 *       ({@code \t}, {@code \n}, {@code \r}); trailing blanks are trimmed. A result cut at
 *       {@code maxRows} ends with {@code (N rows shown; more omitted)} instead.
 *   <li>{@code csv}: RFC 4180: a header record, CRLF line ends, a field quoted (quotes doubled)
 *       when it holds a comma, a quote, CR or LF; null is an empty field and the empty string
 *       a quoted empty field {@code ""}, so the two stay apart.
 *   <li>{@code json}: one JSON object per line (JSON Lines) with the columns in result order;
 *       null is {@code null}; NaN and the infinities, which JSON cannot spell as numbers, are the
 *       strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 * </ul>
 * In every format a double prints as the shortest decimal that reads back to the same double,
 * in the layout of {@link Double#toString} ({@code 0.05}, {@code 1.0}, {@code 1.0E-15},
 * {@code 1.0E7}), which is what {@code Double.toString} itself prints from Java 19 on;
 * structs, arrays and maps print as JSON in every format; binary values print as Base64.
 */
public final class QueryOutput {
  private QueryOutput() {}

  /** A text table, as a terminal shows it (the default). */
  public static final String TABLE = "table";
  public static final String CSV = "csv";
  public static final String JSON = "json";
  /** The output formats, in the order the error message lists them. */
  public static final List<String> FORMATS = List.of(TABLE, CSV, JSON);

  /**
   * Runs the query and formats at most {@code maxRows} rows of its result.
   *
   * @param result the query result; it is executed once, with a limit of {@code maxRows + 1}
   *     rows so that a cut can be told apart from an exact fit
   * @param format one of {@link #FORMATS}, lower case
   * @param maxRows how many rows to print, {@code >= 0}; {@link Integer#MAX_VALUE} for all
   * @return the text, every line terminated ({@code \n}; {@code \r\n} for csv)
   * @throws IllegalArgumentException on an unknown format or a negative {@code maxRows}
   */
  public static String format(Dataset<Row> result, String format, int maxRows) {
    return formatted(result, format, maxRows).text();
  }

  /**
   * The text of {@link #format} with how many rows it holds (for the shell's
   * {@code (N rows, T s)} line).
   *
   * @param text the formatted rows, as {@link #format} returns them
   * @param rows how many rows {@code text} holds
   * @param truncated whether more rows were left out ({@code maxRows} was reached)
   */
  public record Text(String text, int rows, boolean truncated) {}

  /** As {@link #format}, with the row count of the text. */
  public static Text formatted(Dataset<Row> result, String format, int maxRows) {
    Objects.requireNonNull(result, "result");
    checkFormat(format);
    if (maxRows < 0) {
      throw new IllegalArgumentException("maxRows must be >= 0, got " + maxRows);
    }
    int fetch = maxRows == Integer.MAX_VALUE ? maxRows : maxRows + 1;
    List<Row> rows = result.limit(fetch).collectAsList();
    boolean truncated = rows.size() > maxRows;
    List<Row> shown = truncated ? rows.subList(0, maxRows) : rows;
    return new Text(render(result.schema(), shown, format, truncated), shown.size(), truncated);
  }

  /** Formats rows already in hand; {@code truncated} says that more rows were left out. */
  static String render(StructType schema, List<Row> rows, String format, boolean truncated) {
    checkFormat(format);
    switch (format) {
      case "table":
        return table(schema, rows, truncated);
      case "csv":
        return csv(schema, rows);
      default:
        return json(schema, rows);
    }
  }

  private static void checkFormat(String format) {
    if (format == null || !FORMATS.contains(format)) {
      throw new IllegalArgumentException("format must be one of " + FORMATS + ", got " + format);
    }
  }

  private static String table(StructType schema, List<Row> rows, boolean truncated) {
    StructField[] fields = schema.fields();
    int n = fields.length;
    List<String[]> cells = new ArrayList<>();
    int[] widths = new int[n];
    boolean[] right = new boolean[n];
    for (int j = 0; j < n; j++) {
      widths[j] = length(fields[j].name());
      right[j] = fields[j].dataType() instanceof NumericType;
    }
    for (Row row : rows) {
      String[] line = new String[n];
      for (int j = 0; j < n; j++) {
        line[j] = row.isNullAt(j) ? "NULL" : escapeControl(text(row.get(j), fields[j].dataType()));
        widths[j] = Math.max(widths[j], length(line[j]));
      }
      cells.add(line);
    }
    StringBuilder out = new StringBuilder();
    String[] header = new String[n];
    String[] rule = new String[n];
    for (int j = 0; j < n; j++) {
      header[j] = fields[j].name();
      rule[j] = "-".repeat(widths[j]);
    }
    appendLine(out, header, widths, right, " | ");
    appendLine(out, rule, widths, right, "-+-");
    for (String[] line : cells) {
      appendLine(out, line, widths, right, " | ");
    }
    int count = rows.size();
    String noun = count == 1 ? " row" : " rows";
    out.append(truncated ? "(" + count + noun + " shown; more omitted)" : "(" + count + noun + ")")
        .append('\n');
    return out.toString();
  }

  private static void appendLine(StringBuilder out, String[] cells, int[] widths,
      boolean[] right, String separator) {
    StringBuilder line = new StringBuilder();
    for (int j = 0; j < cells.length; j++) {
      if (j > 0) {
        line.append(separator);
      }
      String pad = " ".repeat(widths[j] - length(cells[j]));
      line.append(right[j] ? pad + cells[j] : cells[j] + pad);
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }

  private static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  private static String escapeControl(String s) {
    return s.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
  }

  private static String csv(StructType schema, List<Row> rows) {
    StructField[] fields = schema.fields();
    StringBuilder out = new StringBuilder();
    for (int j = 0; j < fields.length; j++) {
      out.append(j > 0 ? "," : "").append(csvField(fields[j].name()));
    }
    out.append("\r\n");
    for (Row row : rows) {
      for (int j = 0; j < fields.length; j++) {
        if (j > 0) {
          out.append(',');
        }
        if (!row.isNullAt(j)) {
          out.append(csvField(text(row.get(j), fields[j].dataType())));
        }
      }
      out.append("\r\n");
    }
    return out.toString();
  }

  private static String csvField(String s) {
    boolean quote = s.isEmpty() || s.indexOf(',') >= 0 || s.indexOf('"') >= 0
        || s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }

  private static String json(StructType schema, List<Row> rows) {
    StringBuilder out = new StringBuilder();
    for (Row row : rows) {
      appendJson(out, row, schema);
      out.append('\n');
    }
    return out.toString();
  }

  /** Plain text of a non-null value, as table and csv cells show it. */
  static String text(Object value, DataType type) {
    if (value instanceof Double) {
      return repr((Double) value);
    }
    if (value instanceof Float) {
      return repr((Float) value);
    }
    if (value instanceof BigDecimal) {
      return ((BigDecimal) value).toPlainString();
    }
    if (value instanceof byte[]) {
      return Base64.getEncoder().encodeToString((byte[]) value);
    }
    if (value instanceof Row || value instanceof scala.collection.Iterable
        || value instanceof Iterable || value instanceof Map) {
      StringBuilder out = new StringBuilder();
      appendJson(out, value, type);
      return out.toString();
    }
    return value.toString();
  }

  private static void appendJson(StringBuilder out, Object value, DataType type) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean || value instanceof Byte || value instanceof Short
        || value instanceof Integer || value instanceof Long || value instanceof BigDecimal) {
      out.append(text(value, type));
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      String s = text(value, type);
      if (Double.isFinite(d)) {
        out.append(s);
      } else {
        appendJsonString(out, s);
      }
    } else if (value instanceof Row) {
      Row row = (Row) value;
      StructField[] fields = type instanceof StructType ? ((StructType) type).fields()
          : row.schema() != null ? row.schema().fields() : null;
      out.append('{');
      for (int j = 0; j < row.size(); j++) {
        if (j > 0) {
          out.append(',');
        }
        appendJsonString(out, fields != null && j < fields.length ? fields[j].name() : "_" + j);
        out.append(':');
        appendJson(out, row.get(j),
            fields != null && j < fields.length ? fields[j].dataType() : null);
      }
      out.append('}');
    } else if (value instanceof scala.collection.Map || value instanceof Map) {
      DataType keyType = type instanceof MapType ? ((MapType) type).keyType() : null;
      DataType valueType = type instanceof MapType ? ((MapType) type).valueType() : null;
      out.append('{');
      boolean first = true;
      if (value instanceof Map) {
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          first = appendMember(out, first, entry.getKey(), keyType, entry.getValue(), valueType);
        }
      } else {
        scala.collection.Iterator<?> it = ((scala.collection.Map<?, ?>) value).iterator();
        while (it.hasNext()) {
          scala.Tuple2<?, ?> entry = (scala.Tuple2<?, ?>) it.next();
          first = appendMember(out, first, entry._1(), keyType, entry._2(), valueType);
        }
      }
      out.append('}');
    } else if (value instanceof scala.collection.Iterable || value instanceof Iterable) {
      DataType elementType = type instanceof ArrayType ? ((ArrayType) type).elementType() : null;
      out.append('[');
      boolean first = true;
      if (value instanceof Iterable) {
        for (Object element : (Iterable<?>) value) {
          out.append(first ? "" : ",");
          appendJson(out, element, elementType);
          first = false;
        }
      } else {
        scala.collection.Iterator<?> it = ((scala.collection.Iterable<?>) value).iterator();
        while (it.hasNext()) {
          out.append(first ? "" : ",");
          appendJson(out, it.next(), elementType);
          first = false;
        }
      }
      out.append(']');
    } else {
      appendJsonString(out, text(value, type));
    }
  }

  private static boolean appendMember(StringBuilder out, boolean first, Object key,
      DataType keyType, Object value, DataType valueType) {
    out.append(first ? "" : ",");
    appendJsonString(out, key == null ? "null" : text(key, keyType));
    out.append(':');
    appendJson(out, value, valueType);
    return false;
  }

  private static void appendJsonString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  /**
   * The shortest decimal that reads back as {@code d}, laid out like {@link Double#toString}:
   * plain notation with at least one fractional digit for magnitudes in [1e-3, 1e7), else
   * {@code d.dddE<exponent>}. As in Java 19's specification, two significant digits are always
   * allowed, since the layout prints two anyway ({@code 4.9E-324}, not {@code 5.0E-324}), and
   * of the candidates the one nearest to {@code d} wins. Java 17's {@code Double.toString}
   * sometimes prints more digits than needed (JDK-4511638, fixed in Java 19); this does not.
   */
  static String repr(double d) {
    if (!Double.isFinite(d)) {
      return Double.toString(d);
    }
    if (d == 0) {
      return Double.doubleToRawLongBits(d) < 0 ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(d);
    for (int digits = 2; digits < 17; digits++) {
      BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == d) {
        return layout(rounded, Math.abs(d));
      }
    }
    return layout(exact.round(new MathContext(17, RoundingMode.HALF_EVEN)), Math.abs(d));
  }

  /** As {@link #repr(double)} for a float: the shortest decimal that reads back as {@code f}. */
  static String repr(float f) {
    if (!Float.isFinite(f)) {
      return Float.toString(f);
    }
    if (f == 0) {
      return Float.floatToRawIntBits(f) < 0 ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(f);
    for (int digits = 2; digits < 9; digits++) {
      BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (rounded.floatValue() == f) {
        return layout(rounded, Math.abs(f));
      }
    }
    return layout(exact.round(new MathContext(9, RoundingMode.HALF_EVEN)), Math.abs(f));
  }

  private static String layout(BigDecimal value, double magnitude) {
    BigDecimal v = value.stripTrailingZeros();
    if (magnitude >= 1e-3 && magnitude < 1e7) {
      String plain = v.toPlainString();
      return plain.indexOf('.') >= 0 ? plain : plain + ".0";
    }
    String digits = v.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - v.scale();
    String mantissa = digits.length() == 1 ? digits + ".0"
        : digits.charAt(0) + "." + digits.substring(1);
    return (v.signum() < 0 ? "-" : "") + mantissa + "E" + exponent;
  }
}
