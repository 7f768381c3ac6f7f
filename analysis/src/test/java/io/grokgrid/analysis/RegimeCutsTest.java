package io.grokgrid.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RegimeCutsTest {

  @Test
  void defaultsAreOneTenthAndNineTenths() {
    assertThat(RegimeCuts.DEFAULTS).isEqualTo(new RegimeCuts(0.1, 0.9));
  }

  @Test
  void theWholeUnitIntervalIsAllowed() {
    assertThat(new RegimeCuts(0, 1)).isEqualTo(new RegimeCuts(0.0, 1.0));
  }

  @Test
  void outOfRangeCutsAreRefusedWithKeyValueAndRule() {
    assertThatThrownBy(() -> new RegimeCuts(-0.1, 0.9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("regime cut benign must be >= 0, got -0.1");
    assertThatThrownBy(() -> new RegimeCuts(0.1, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("regime cut catastrophic must be <= 1, got 1.5");
    assertThatThrownBy(() -> new RegimeCuts(0.5, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("regime cut benign must be < catastrophic, got benign=0.5, catastrophic=0.5");
    assertThatThrownBy(() -> new RegimeCuts(Double.NaN, 0.9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("regime cut benign must be >= 0, got NaN");
    assertThatThrownBy(() -> new RegimeCuts(0.1, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("regime cut catastrophic must be <= 1, got NaN");
  }

  @Test
  void textRoundTrips() {
    RegimeCuts cuts = new RegimeCuts(0.05, 0.75);
    assertThat(cuts.toText()).isEqualTo("benign=0.05,catastrophic=0.75");
    assertThat(RegimeCuts.parse(cuts.toText())).isEqualTo(cuts);
    assertThat(RegimeCuts.parse(RegimeCuts.DEFAULTS.toText())).isEqualTo(RegimeCuts.DEFAULTS);
  }

  @Test
  void parseFillsDefaultsAndIgnoresBlanks() {
    assertThat(RegimeCuts.parse(" catastrophic = 0.8 ")).isEqualTo(new RegimeCuts(0.1, 0.8));
    assertThat(RegimeCuts.parse("")).isEqualTo(RegimeCuts.DEFAULTS);
  }

  @Test
  void parseNamesWhatIsWrong() {
    assertThatThrownBy(() -> RegimeCuts.parse("mild=0.2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown regime cut mild, expected benign or catastrophic");
    assertThatThrownBy(() -> RegimeCuts.parse("benign=low"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("regime cut benign must be a number, got low");
    assertThatThrownBy(() -> RegimeCuts.parse("0.1,0.9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("regime cuts must look like benign=0.1,catastrophic=0.9, got 0.1,0.9");
    assertThatThrownBy(() -> RegimeCuts.parse("benign=0.1,benign=0.2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("regime cut benign given twice in benign=0.1,benign=0.2");
    assertThatThrownBy(() -> RegimeCuts.parse("benign=0.95"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("regime cut benign must be < catastrophic, got benign=0.95, catastrophic=0.9");
  }
}
