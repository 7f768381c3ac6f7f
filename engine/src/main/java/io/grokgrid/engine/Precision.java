package io.grokgrid.engine;

import io.grokgrid.vocab.SpecKeys;
import io.grokgrid.vocab.Values;
import org.nd4j.linalg.api.buffer.DataType;

/** Floating-point precision of a training run: float32 by default, float64 on request. */
public enum Precision {
  FLOAT32(DataType.FLOAT),
  FLOAT64(DataType.DOUBLE);

  private final DataType dataType;

  Precision(DataType dataType) {
    this.dataType = dataType;
  }

  /** The ND4J data type used for every array of the run. */
  public DataType dataType() {
    return dataType;
  }

  /** Parses {@code float32} or {@code float64}. */
  public static Precision parse(String s) {
    return Check.oneOf(SpecKeys.PRECISION, s, values(), Precision::label);
  }

  /** The spec spelling, {@code float32} or {@code float64}. */
  public String label() {
    return this == FLOAT32 ? Values.FLOAT32 : Values.FLOAT64;
  }
}
