package io.grokgrid.engine;

import java.util.List;

/**
 * The outcome of a pack: runs sharing a data set and an initialization, trained together.
 *
 * @param form the form used
 * @param runs one result per hyper, in the given order
 * @param flops floating-point operations spent (multiply and add counted apart)
 */
public record PackResult(Form form, List<RunResult> runs, double flops) {}
