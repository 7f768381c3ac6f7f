package io.grokgrid.jobs;

import static io.grokgrid.vocab.Columns.DATASET_SEED;
import static io.grokgrid.vocab.Columns.ENGINE_VERSION;
import static io.grokgrid.vocab.Columns.RUN_ID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.grokgrid.jobs.spec.Lattice;
import io.grokgrid.jobs.spec.SpecParser;
import io.grokgrid.jobs.spec.SweepSpec;
import io.grokgrid.vocab.SpecKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A sweep's output directory on any Hadoop file system: {@code sweep.json}, the four tables, and
 * the committed training batches {@code _batches/batch-NNNNN} they are cut from. This class is the
 * one place that knows the batch names, which batches count (those with Spark's {@code _SUCCESS}
 * marker), and what an existing directory allows: refuse, overwrite, or resume.
 *
 * <p>A resume keeps the runs of the committed batches and deletes the uncommitted ones (an
 * interrupted Spark job committed nothing). It is refused, before anything is written or
 * deleted, when the stored spec differs in more than its grid, replicates and fixed values, or
 * when the committed batches were written by another grokgrid version.
 */
final class SweepDir {
  /** The hidden directory of committed batches (Spark readers skip names starting with _). */
  static final String BATCHES = "_batches";
  static final String SWEEP_JSON = SpecKeys.SWEEP_JSON;
  private static final String BATCH_PREFIX = "batch-";

  private final FileSystem fs;
  private final Path out;

  private SweepDir(FileSystem fs, Path out) {
    this.fs = fs;
    this.out = out;
  }

  /** The directory {@code out} (a path or URI) on the file system Spark's Hadoop settings give it. */
  static SweepDir open(SparkSession spark, String out) {
    Path p = new Path(out);
    try {
      return new SweepDir(p.getFileSystem(spark.sparkContext().hadoopConfiguration()), p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the file system of " + p, e);
    }
  }

  Path path() {
    return out;
  }

  /** Takes the directory's single-writer lease (see {@link Lease}); the caller releases it. */
  Lease lease(PrintStream messages) {
    return Lease.acquire(fs, out, messages);
  }

  /** The directory of table {@code name} (one of the {@code io.grokgrid.vocab.Columns} table names). */
  Path table(String name) {
    return new Path(out, name);
  }

  /** The directory of batch {@code index}. */
  Path batch(int index) {
    return new Path(new Path(out, BATCHES), batchName(index));
  }

  /** {@code batch-NNNNN}: five digits, so names sort in batch order up to 100,000 batches. */
  static String batchName(int index) {
    return String.format(Locale.ROOT, BATCH_PREFIX + "%05d", index);
  }

  /** The index in a batch directory's name, or -1 if the name is not one. */
  static int batchIndex(String name) {
    if (!name.startsWith(BATCH_PREFIX)) {
      return -1;
    }
    try {
      return Integer.parseInt(name.substring(BATCH_PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Checks the directory against the mode; returns the runs already stored (resume). Nothing
   * is deleted unless the mode is OVERWRITE or a resume passed every check, and nothing at all on
   * a refusal.
   *
   * @param version the grokgrid version this sweep writes its batches with
   */
  Stored prepare(SparkSession spark, SweepSpec spec, SweepJob.Existing mode, String version,
      PrintStream messages) {
    try {
      boolean exists = fs.exists(out) && (!fs.getFileStatus(out).isDirectory() || contents().length > 0);
      if (!exists) {
        return Stored.NONE;
      }
      if (mode == SweepJob.Existing.REFUSE) {
        throw new IllegalArgumentException("output directory already exists: " + out
            + " (use --resume to add the missing runs, or --overwrite to replace it)");
      }
      Path json = new Path(out, SWEEP_JSON);
      if (mode == SweepJob.Existing.OVERWRITE) {
        if (!fs.exists(json)) {
          throw new IllegalArgumentException("refusing to overwrite " + out + ": it is not empty and has no "
              + SWEEP_JSON + " (not a grokgrid sweep); delete it yourself or choose another --out");
        }
        for (FileStatus st : contents()) {
          fs.delete(st.getPath(), true);
        }
        return Stored.NONE;
      }
      if (!fs.exists(json)) {
        throw new IllegalArgumentException("cannot resume: " + out + " has no " + SWEEP_JSON
            + " (not a grokgrid sweep); use --overwrite or another --out");
      }
      checkResumable(readSpec(json), spec);
      discardDamaged(spark, messages);
      List<String> done = committedBatches();
      String[] paths = done.toArray(new String[0]);
      if (!done.isEmpty()) {
        checkVersion(spark, paths, version);
      }
      for (FileStatus st : listBatches()) {
        if (!done.contains(st.getPath().toString())) {
          fs.delete(st.getPath(), true); // an interrupted batch: committed nothing
        }
      }
      return done.isEmpty() ? Stored.NONE : stored(spark, paths);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot inspect output directory " + out, e);
    }
  }

  /**
   * The runs stored in committed batches, as numbers (8 bytes a run on the driver, not a row
   * object): run ids as {@link Lattice#idNumber}, and the data set seeds they were trained on,
   * each sorted and distinct.
   *
   * @param ids the stored run ids
   * @param datasetSeeds the stored runs' data set seeds: a unit whose seed is not among them has
   *     no stored run, and a resume need not expand its runs
   */
  record Stored(long[] ids, long[] datasetSeeds) {
    static final Stored NONE = new Stored(new long[0], new long[0]);
  }

  /** Each partition packs its ids and seeds into two long[] on the executor. */
  private static Stored stored(SparkSession spark, String[] paths) {
    List<long[][]> parts = spark.read().parquet(paths).select(RUN_ID, DATASET_SEED).javaRDD()
        .mapPartitions((FlatMapFunction<Iterator<Row>, long[][]>) rows -> {
          long[] ids = new long[1024];
          long[] seeds = new long[1024];
          int n = 0;
          while (rows.hasNext()) {
            if (n == ids.length) {
              ids = Arrays.copyOf(ids, 2 * n);
              seeds = Arrays.copyOf(seeds, 2 * n);
            }
            Row r = rows.next();
            ids[n] = Lattice.idNumber(r.getString(0));
            seeds[n++] = r.getLong(1);
          }
          long[][] out = {Arrays.copyOf(ids, n), Arrays.stream(seeds, 0, n).distinct().toArray()};
          return List.<long[][]>of(out).iterator();
        }).collect();
    return new Stored(sortedDistinct(parts, 0), sortedDistinct(parts, 1));
  }

  private static long[] sortedDistinct(List<long[][]> parts, int which) {
    long[] all = new long[parts.stream().mapToInt(a -> a[which].length).sum()];
    int at = 0;
    for (long[][] a : parts) {
      System.arraycopy(a[which], 0, all, at, a[which].length);
      at += a[which].length;
    }
    Arrays.sort(all);
    return Arrays.stream(all).distinct().toArray();
  }

  /**
   * The rows of the committed batches from their Parquet footers (no Spark job), counting up to
   * just past {@code limit}: a result above {@code limit} means "more than that".
   */
  long committedRows(SparkSession spark, long limit) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    long rows = 0;
    try {
      for (String b : committedBatches()) {
        for (FileStatus f : fs.listStatus(new Path(b))) {
          if (!f.getPath().getName().endsWith(".parquet")) {
            continue;
          }
          try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromStatus(f, conf))) {
            rows += r.getRecordCount();
          }
          if (rows > limit) {
            return rows;
          }
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the batches under " + new Path(out, BATCHES), e);
    }
  }

  /** The directory's entries but the writer's lease, which is no sweep content. */
  private FileStatus[] contents() throws IOException {
    return Arrays.stream(fs.listStatus(out)).filter(st -> !isLease(st.getPath().getName()))
        .toArray(FileStatus[]::new);
  }

  private static boolean isLease(String name) {
    return name.equals(Lease.NAME) || name.equals("." + Lease.NAME + ".crc");
  }

  /**
   * Drops the marker of every committed batch with a Parquet file whose footer cannot be read (a
   * truncated or corrupted file, e.g. from a disk that filled up or a copy cut short), so that the
   * batch counts as uncommitted: it is deleted below and its runs are trained again. Reading the
   * footers is one small read per file; a file damaged only in its middle still fails the later
   * scan, with the file named by Spark.
   */
  private void discardDamaged(SparkSession spark, PrintStream messages) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    for (String b : committedBatches()) {
      Path batch = new Path(b);
      for (FileStatus f : fs.listStatus(batch)) {
        if (!f.getPath().getName().endsWith(".parquet")) {
          continue;
        }
        String problem = null;
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromStatus(f, conf))) {
          r.getFooter();
        } catch (IOException | RuntimeException e) {
          problem = Cli.oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        if (problem != null) {
          messages.println("grokgrid: " + f.getPath() + " is damaged (" + problem + "); discarding "
              + batch.getName() + ", its runs are trained again");
          fs.delete(new Path(batch, "_SUCCESS"), false);
          break;
        }
      }
    }
  }

  private void checkResumable(SweepSpec stored, SweepSpec now) {
    Map<String, Object> a = new LinkedHashMap<>(stored.toMap());
    Map<String, Object> b = new LinkedHashMap<>(now.toMap());
    // a resume may extend the grid or add replicates; anything else changes the runs' meaning
    // a refined sweep's points depend on every earlier level's outcomes: its grid, replicates and
    // fixed values must stay as they are for a resume to continue the same refinement
    if (now.refine() == null && stored.refine() == null) {
      for (String k : List.of(SpecKeys.GRID, SpecKeys.REPLICATES, SpecKeys.FIXED)) {
        a.remove(k);
        b.remove(k);
      }
    }
    for (String k : a.keySet()) {
      if (!String.valueOf(a.get(k)).equals(String.valueOf(b.get(k)))) {
        throw new IllegalArgumentException("cannot resume " + out + ": the spec's " + k + " ("
            + b.get(k) + ") differs from the stored sweep's (" + a.get(k) + "); use --overwrite or another --out");
      }
    }
  }

  /**
   * A resume never mixes two grokgrid versions in one sweep. The version is read from the rows
   * themselves (every batch row carries {@code engine_version}, the version its task ran) rather
   * than from a marker file beside each batch: the rows are what the tables are cut from, so they
   * cannot disagree with it, and batches written before this check existed carry it too. The scan
   * reads one dictionary-encoded column.
   */
  private void checkVersion(SparkSession spark, String[] committed, String version) {
    Set<String> found = new TreeSet<>();
    for (Row r : spark.read().parquet(committed).select(ENGINE_VERSION).distinct().collectAsList()) {
      found.add(r.isNullAt(0) ? "(unknown)" : r.getString(0));
    }
    if (!found.equals(Set.of(version))) {
      throw new IllegalArgumentException("cannot resume " + out + ": its batches were written by grokgrid "
          + String.join(" and ", found) + " and this is grokgrid " + version + "; use --overwrite or another --out");
    }
  }

  private SweepSpec readSpec(Path json) throws IOException {
    try (InputStream in = fs.open(json)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = new ObjectMapper().readValue(in, Map.class);
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) m.get(SpecKeys.SPEC);
      return SpecParser.fromMap(spec, json.toString());
    }
  }

  private FileStatus[] listBatches() throws IOException {
    Path dir = new Path(out, BATCHES);
    return fs.exists(dir) ? fs.listStatus(dir) : new FileStatus[0];
  }

  /** Batch directories with a {@code _SUCCESS} marker, fully qualified, in batch order. */
  List<String> committedBatches() {
    try {
      List<String> done = new ArrayList<>();
      for (FileStatus st : listBatches()) {
        if (st.isDirectory() && fs.exists(new Path(st.getPath(), "_SUCCESS"))) {
          done.add(st.getPath().toString());
        }
      }
      done.sort(null);
      return done;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + new Path(out, BATCHES), e);
    }
  }

  /** One past the highest batch index present (committed or not), 0 if none. */
  int nextBatchIndex() {
    try {
      int next = 0;
      for (FileStatus st : listBatches()) {
        next = Math.max(next, batchIndex(st.getPath().getName()) + 1);
      }
      return next;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + new Path(out, BATCHES), e);
    }
  }

  /**
   * Writes {@code sweep.json} (through a temporary file, then a rename).
   *
   * @param finished null while the sweep runs
   * @param byStatus null while the sweep runs
   */
  void writeSweepJson(SparkSession spark, SweepSpec spec, String version, String started,
      String finished, Map<String, Long> byStatus) {
    writeSweepJson(spark, spec, version, started, finished, byStatus,
        finished == null ? SpecKeys.RUNNING : SpecKeys.COMPLETE);
  }

  /** Writes {@code sweep.json} with the given state ({@link SpecKeys#RUNNING}, ...). */
  void writeSweepJson(SparkSession spark, SweepSpec spec, String version, String started,
      String finished, Map<String, Long> byStatus, String state) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(SpecKeys.SPEC, spec.toMap());
    m.put(SpecKeys.GROKGRID_VERSION, version);
    m.put(SpecKeys.SPARK_VERSION, spark.version());
    m.put(SpecKeys.MASTER, spark.sparkContext().master());
    m.put(SpecKeys.RUNS, spec.runCount());
    m.put(SpecKeys.STARTED_AT, started);
    m.put(SpecKeys.FINISHED_AT, finished);
    m.put(SpecKeys.STATE, state);
    m.put(SpecKeys.COUNTS_BY_STATUS, byStatus == null ? Map.of() : byStatus);
    try {
      fs.mkdirs(out);
      Path tmp = new Path(out, "." + SWEEP_JSON + ".tmp");
      try (OutputStream os = fs.create(tmp, true)) {
        os.write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .writeValueAsString(m).getBytes(StandardCharsets.UTF_8));
      }
      Path dst = new Path(out, SWEEP_JSON);
      fs.delete(dst, false);
      fs.rename(tmp, dst);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + new Path(out, SWEEP_JSON), e);
    }
  }
}
