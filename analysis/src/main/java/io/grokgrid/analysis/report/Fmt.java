package io.grokgrid.analysis.report;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Short, readable text for parameter values and metrics in chart labels and HTML tables. */
final class Fmt {
  private Fmt() {}

  /**
   * A value as a reader wants it on an axis tick or in a table cell: integers plainly, moderate
   * doubles with up to 4 significant digits, tiny or huge ones as {@code 1e-16}, {@code 3e8}.
   */
  static String num(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Double || value instanceof Float) {
      return num(((Number) value).doubleValue());
    }
    return value.toString();
  }

  static String num(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    double a = Math.abs(d);
    if (d == Math.rint(d) && a < 1e6) {
      return Long.toString((long) d);
    }
    if (a >= 1e-3 && a < 1e6) {
      return strip(String.format(Locale.ROOT, "%.4g", d));
    }
    String s = String.format(Locale.ROOT, "%.3e", d);
    int e = s.indexOf('e');
    String mantissa = strip(s.substring(0, e));
    int exponent = Integer.parseInt(s.substring(e + 1));
    return mantissa + "e" + exponent;
  }

  /** Drops trailing zeros after a decimal point (and the point itself if nothing is left). */
  private static String strip(String s) {
    if (s.indexOf('.') < 0 || s.indexOf('e') >= 0) {
      return s;
    }
    String t = s.replaceAll("0+$", "");
    return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
  }

  /** {@code name=value, name=value} for labels. */
  static String assignments(List<String> names, List<Object> values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(names.get(i)).append('=').append(num(values.get(i)));
    }
    return b.toString();
  }

  /** Orders values of one column: nulls first, numbers by value, anything else by its text. */
  static final Comparator<Object> VALUE_ORDER = (a, b) -> {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    if (a instanceof Number && b instanceof Number) {
      return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
    }
    return a.toString().compareTo(b.toString());
  };

  /** Orders lists of values position by position with {@link #VALUE_ORDER}. */
  static final Comparator<List<Object>> KEY_ORDER = (a, b) -> {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = VALUE_ORDER.compare(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  };

  /** Escapes text for HTML element content and attribute values. */
  static String html(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<': b.append("&lt;"); break;
        case '>': b.append("&gt;"); break;
        case '&': b.append("&amp;"); break;
        case '"': b.append("&quot;"); break;
        case '\'': b.append("&#39;"); break;
        default: b.append(c);
      }
    }
    return b.toString();
  }
}
