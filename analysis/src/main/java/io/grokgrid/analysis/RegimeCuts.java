package io.grokgrid.analysis;

import io.grokgrid.vocab.Values;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the overfitting regimes of Mallinar et al. (2022, "Benign, Tempered, or Catastrophic:
 * A Taxonomy of Overfitting") are cut on the excess-risk scale of {@link DerivedTables}.
 *
 * <p>The excess risk of the interpolating model (weight decay 0) is
 * {@code (risk_interp - bayes_risk) / (chance_risk - bayes_risk)}: 0 at the Bayes risk, 1 at
 * chance. A group is {@code benign} when its excess is {@code <= benign}, {@code catastrophic}
 * when it is {@code >= catastrophic}, and {@code tempered} in between.
 *
 * <p>Text form (see {@link #parse} and {@link #toText}): {@code benign=0.1,catastrophic=0.9}.
 *
 * @param benign excess risk at or below which overfitting is benign, in [0, catastrophic)
 * @param catastrophic excess risk at or above which overfitting is catastrophic, in (benign, 1]
 */
public record RegimeCuts(double benign, double catastrophic) {

  /** The default cuts: benign at or below 0.1, catastrophic at or above 0.9. */
  public static final RegimeCuts DEFAULTS = new RegimeCuts(0.1, 0.9);

  /**
   * Checks {@code 0 <= benign < catastrophic <= 1}; NaN fails every rule.
   *
   * @param benign excess risk at or below which overfitting is benign
   * @param catastrophic excess risk at or above which overfitting is catastrophic
   * @throws IllegalArgumentException naming the cut, its value and the rule it breaks
   */
  public RegimeCuts {
    if (!(benign >= 0)) {
      throw new IllegalArgumentException("regime cut " + Values.BENIGN + " must be >= 0, got "
          + benign);
    }
    if (!(catastrophic <= 1)) {
      throw new IllegalArgumentException(
          "regime cut " + Values.CATASTROPHIC + " must be <= 1, got " + catastrophic);
    }
    if (!(benign < catastrophic)) {
      throw new IllegalArgumentException("regime cut " + Values.BENIGN + " must be < "
          + Values.CATASTROPHIC + ", got " + Values.BENIGN + "=" + benign + ", "
          + Values.CATASTROPHIC + "=" + catastrophic);
    }
  }

  /**
   * The text form, which {@link #parse} reads back to an equal record.
   *
   * @return {@code benign=<b>,catastrophic=<c>}, numbers as {@link Double#toString} prints them
   */
  public String toText() {
    return Values.BENIGN + "=" + benign + "," + Values.CATASTROPHIC + "=" + catastrophic;
  }

  /**
   * Reads the text form {@code benign=<b>,catastrophic=<c>}; a key left out keeps its default
   * from {@link #DEFAULTS}, blanks around keys and values are ignored.
   *
   * @param text the text form, e.g. {@code benign=0.05,catastrophic=0.75}
   * @return the cuts it describes
   * @throws IllegalArgumentException naming the key and the value on an unknown key, a repeated
   *     key, a value that is not a number, or cuts that break the rules of the constructor
   */
  public static RegimeCuts parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("regime cuts must look like " + DEFAULTS.toText()
          + ", got null");
    }
    Map<String, Double> values = new LinkedHashMap<>();
    for (String part : text.split(",", -1)) {
      if (part.isBlank() && text.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("regime cuts must look like " + DEFAULTS.toText()
            + ", got " + text);
      }
      String key = part.substring(0, eq).strip();
      String value = part.substring(eq + 1).strip();
      if (!key.equals(Values.BENIGN) && !key.equals(Values.CATASTROPHIC)) {
        throw new IllegalArgumentException(
            "unknown regime cut " + key + ", expected " + Values.BENIGN + " or "
                + Values.CATASTROPHIC);
      }
      double number;
      try {
        number = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "regime cut " + key + " must be a number, got " + value);
      }
      if (values.put(key, number) != null) {
        throw new IllegalArgumentException("regime cut " + key + " given twice in " + text);
      }
    }
    return new RegimeCuts(values.getOrDefault(Values.BENIGN, DEFAULTS.benign),
        values.getOrDefault(Values.CATASTROPHIC, DEFAULTS.catastrophic));
  }
}
