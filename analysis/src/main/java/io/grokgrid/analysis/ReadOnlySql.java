package io.grokgrid.analysis;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoDir;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ParsedStatement;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Tells queries from statements that write, for {@code grokgrid sql}, which is read-only unless
 * {@code --allow-writes}: a sweep's tables are results, and one {@code INSERT OVERWRITE
 * DIRECTORY '<sweep>/runs'} would replace them.
 *
 * <p>The decision reads Spark's parsed plan, not the text: every node of it (a {@code WITH}
 * can wrap an {@code INSERT}) must be a query node or one of the commands that only look
 * ({@code SHOW ...}, {@code DESCRIBE ...}, {@code EXPLAIN}, {@code SET}). Everything else that
 * Spark runs as a command (CREATE, DROP, ALTER, INSERT, CACHE, ADD JAR, ...) is refused.
 */
public final class ReadOnlySql {
  private ReadOnlySql() {}

  /** Commands that only read the catalog or the session, by their plan node's class name. */
  private static final Set<String> LOOKING = Set.of("ExplainCommand", "SetCommand", "DescribeQueryCommand");

  /**
   * Refuses a statement that is not read-only.
   *
   * @param spark the session whose parser reads {@code query}
   * @param query one Spark SQL statement
   * @throws IllegalArgumentException naming the kind of statement, e.g. {@code sql is read-only:
   *     INSERT OVERWRITE DIRECTORY writes; use --allow-writes if you mean it}
   * @throws ParseException if the query does not parse
   */
  public static void check(SparkSession spark, String query) throws ParseException {
    Objects.requireNonNull(spark, "spark");
    String kind = writer(spark.sessionState().sqlParser().parsePlan(query));
    if (kind != null) {
      throw new IllegalArgumentException("sql is read-only: " + kind + "; use --allow-writes if you mean it");
    }
  }

  /** What the first node of {@code plan} that is not read-only does, or null if none. */
  static String writer(LogicalPlan plan) {
    Deque<LogicalPlan> todo = new ArrayDeque<>();
    todo.push(plan);
    while (!todo.isEmpty()) {
      LogicalPlan p = todo.pop();
      String kind = kind(p);
      if (kind != null) {
        return kind;
      }
      CollectionConverters.asJava(p.children()).forEach(todo::push);
    }
    return null;
  }

  private static String kind(LogicalPlan p) {
    if (p instanceof InsertIntoDir) {
      return (((InsertIntoDir) p).isLocal() ? "INSERT OVERWRITE LOCAL DIRECTORY" : "INSERT OVERWRITE DIRECTORY")
          + " writes";
    }
    if (p instanceof InsertIntoStatement) {
      return (((InsertIntoStatement) p).overwrite() ? "INSERT OVERWRITE" : "INSERT INTO") + " writes";
    }
    String name = p.getClass().getSimpleName();
    if (!(p instanceof Command || p instanceof ParsedStatement)
        || LOOKING.contains(name) || name.startsWith("Show") || name.startsWith("Describe")) {
      return null;
    }
    // CreateTableAsSelect -> CREATE TABLE AS SELECT, DropTable -> DROP TABLE
    String words = name.replaceAll("(Command|Statement)$", "")
        .replaceAll("([a-z0-9])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
    return words + " is not a query";
  }
}
