package io.grokgrid.analysis.report;

import java.util.List;

/**
 * One chart of the page: the files a chart class wrote, or, when the data cannot make that
 * chart (a single grid point, no interpolating run, no run that generalized, ...), no file and a
 * one-sentence reason that the page shows in the chart's place.
 *
 * @param id anchor name in the page
 * @param heading the section heading
 * @param files PNG file names (relative to the report directory), empty when not drawn
 * @param width pixel width of each file
 * @param height pixel height of each file
 * @param caption what the chart shows (HTML-escaped by the page)
 * @param missing why the chart is not drawn, or null
 * @param notes further remarks (points left out and why)
 */
record Figure(String id, String heading, List<String> files, int width, int height,
    String caption, String missing, List<String> notes) {
  static Figure missing(String id, String heading, String why) {
    return new Figure(id, heading, List.of(), 0, 0, "", why, List.of());
  }
}
