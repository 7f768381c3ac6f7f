package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jline.reader.EOFError;
import org.jline.reader.Parser.ParseContext;
import org.junit.jupiter.api.Test;

/** The shell's statement splitting and JLine parser, without Spark. */
class SqlShellTest {
  @Test
  void statementsEndAtSemicolonsOutsideQuotesAndComments() {
    SqlShell.Split s = SqlShell.split("SELECT 1;\nSELECT ';' AS a, \"x;\" AS `b;` -- c;\n /* d; /* e; */ ; */ ;;SELECT 3");
    assertThat(s.statements()).containsExactly("SELECT 1",
        "SELECT ';' AS a, \"x;\" AS `b;` -- c;\n /* d; /* e; */ ; */");
    assertThat(s.rest()).isEqualTo("SELECT 3");
    assertThat(s.restHasCode()).isTrue();
  }

  @Test
  void escapedQuoteStaysInsideTheString() {
    SqlShell.Split s = SqlShell.split("SELECT 'it\\'s; fine';");
    assertThat(s.statements()).containsExactly("SELECT 'it\\'s; fine'");
    assertThat(s.restHasCode()).isFalse();
  }

  @Test
  void commentsAndBlanksAreNoStatement() {
    assertThat(SqlShell.Split.hasCode("  -- only a comment\n /* and another */ ")).isFalse();
    assertThat(SqlShell.Split.hasCode("SELECT 'open")).isTrue();
    assertThat(SqlShell.Split.hasCode("/* open comment")).isTrue();
  }

  @Test
  void parserAsksForMoreLinesUntilTheSemicolon() {
    SqlShell.StatementParser p = new SqlShell.StatementParser();
    assertThatThrownBy(() -> p.parse("SELECT *\nFROM runs", 17, ParseContext.ACCEPT_LINE)).isInstanceOf(EOFError.class);
    assertThat(p.parse("SELECT *\nFROM runs;", 18, ParseContext.ACCEPT_LINE).line()).isEqualTo("SELECT *\nFROM runs;");
    assertThat(p.parse("\\tables", 7, ParseContext.ACCEPT_LINE).line()).isEqualTo("\\tables");
    assertThat(p.parse("", 0, ParseContext.ACCEPT_LINE).line()).isEmpty();
    assertThat(p.parse("SELECT count(run", 16, ParseContext.COMPLETE).word()).isEqualTo("run");
    assertThat(p.parse("SELECT runs.st FROM runs", 14, ParseContext.COMPLETE).word()).isEqualTo("runs.st");
  }

  @Test
  void aQueryHasABlankADirectoryNot() {
    assertThat(SqlShell.isQuery("SELECT 1")).isTrue();
    assertThat(SqlShell.isQuery("results/quickstart")).isFalse();
    assertThat(SqlShell.isQuery("s3a://bucket/sweep")).isFalse();
    assertThat(SqlShell.isQuery(System.getProperty("java.io.tmpdir"))).isFalse();
  }
}
