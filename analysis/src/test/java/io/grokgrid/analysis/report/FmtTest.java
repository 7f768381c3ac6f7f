package io.grokgrid.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Numbers and text as the charts and the page print them. */
class FmtTest {
  @Test
  void numbersReadTheWayAPaperWritesThem() {
    assertThat(Fmt.num(1e-16)).isEqualTo("1e-16");
    assertThat(Fmt.num(3.0e8)).isEqualTo("3e8");
    assertThat(Fmt.num(0.05)).isEqualTo("0.05");
    assertThat(Fmt.num(35.355339)).isEqualTo("35.36");
    assertThat(Fmt.num(20000.0)).isEqualTo("20000");
    assertThat(Fmt.num((Object) 7)).isEqualTo("7");
    assertThat(Fmt.num(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    assertThat(Fmt.html("a<b & \"c\"")).isEqualTo("a&lt;b &amp; &quot;c&quot;");
  }
}
